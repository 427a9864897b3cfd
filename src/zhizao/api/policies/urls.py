from django.urls import path

from . import evaluations, scans, views

urlpatterns = [
    path("policies/", views.PolicyListApi.as_view(), name="api-policies"),
    path("policies/<int:pk>/", views.PolicyDetailApi.as_view(), name="api-policy"),
    path("items/", views.ItemListApi.as_view(), name="api-policy-items"),
    path("items/<slug:key>/", views.ItemDetailApi.as_view(), name="api-policy-item"),
    path(
        "items/<slug:key>/versions/<int:number>/",
        evaluations.ItemVersionApi.as_view(),
        name="api-policy-item-version",
    ),
    path("items/<slug:key>/draft/", evaluations.DraftApi.as_view(), name="api-policy-item-draft"),
    path(
        "items/<slug:key>/draft/run-cases/",
        evaluations.DraftRunCasesApi.as_view(),
        name="api-policy-item-draft-run-cases",
    ),
    path(
        "items/<slug:key>/draft/publish/",
        evaluations.DraftPublishApi.as_view(),
        name="api-policy-item-draft-publish",
    ),
    path("evaluations/", evaluations.EvaluationsApi.as_view(), name="api-policy-evaluations"),
    path("projects/", views.ProjectListApi.as_view(), name="api-projects"),
    path("projects/<int:pk>/", views.ProjectDetailApi.as_view(), name="api-project"),
    path("projects/<int:pk>/loans/", views.ProjectLoansApi.as_view(), name="api-project-loans"),
    path(
        "projects/<int:pk>/loans/<int:loan_id>/",
        views.ProjectLoanDetailApi.as_view(),
        name="api-project-loan",
    ),
    path("scans/", scans.ScanListApi.as_view(), name="api-policy-scans"),
    path("scans/<int:pk>/", scans.ScanDetailApi.as_view(), name="api-policy-scan"),
    path("name-lists/", scans.NameListListApi.as_view(), name="api-policy-name-lists"),
    path("name-lists/<int:pk>/", scans.NameListDetailApi.as_view(), name="api-policy-name-list"),
    path(
        "name-lists/<int:pk>/announce/",
        scans.NameListAnnounceApi.as_view(),
        name="api-policy-name-list-announce",
    ),
    path(
        "entries/<int:pk>/confirm/",
        scans.EntryConfirmApi.as_view(),
        name="api-policy-entry-confirm",
    ),
    path("payments/", scans.PaymentListApi.as_view(), name="api-policy-payments"),
    path("sandbox/", scans.SandboxApi.as_view(), name="api-policy-sandbox"),
]
