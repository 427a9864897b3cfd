from django.urls import path

from . import views

urlpatterns = [
    path("", views.CallListApi.as_view(), name="api-calls"),
    path("<int:pk>/", views.CallDetailApi.as_view(), name="api-call"),
    path(
        "<int:pk>/applications/", views.CallApplicationsApi.as_view(), name="api-call-applications"
    ),
    path("<int:pk>/publicity/", views.PublicityApi.as_view(), name="api-call-publicity"),
    path("<int:pk>/objections/", views.ObjectionListApi.as_view(), name="api-call-objections"),
    path(
        "applications/<int:pk>/", views.ApplicationDetailApi.as_view(), name="api-call-application"
    ),
    path(
        "applications/<int:pk>/action/",
        views.ApplicationActionApi.as_view(),
        name="api-call-application-action",
    ),
    path(
        "applications/<int:pk>/nomination/",
        views.NominationApi.as_view(),
        name="api-call-nomination",
    ),
    path(
        "applications/<int:pk>/exclusions/",
        views.NamedExclusionListApi.as_view(),
        name="api-call-exclusions",
    ),
    path(
        "applications/<int:pk>/exclusions/<int:number>/",
        views.NamedExclusionDetailApi.as_view(),
        name="api-call-exclusion",
    ),
    path("applications/<int:pk>/formal/", views.FormalReviewApi.as_view(), name="api-call-formal"),
    path("objections/<int:pk>/", views.ObjectionDetailApi.as_view(), name="api-call-objection"),
    path("catalogues/", views.CatalogueListApi.as_view(), name="api-call-catalogues"),
    path(
        "catalogues/<int:pk>/entries/",
        views.CatalogueEntriesApi.as_view(),
        name="api-call-catalogue-entries",
    ),
]
