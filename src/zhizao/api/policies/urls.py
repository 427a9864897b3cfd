from django.urls import path

from . import views

urlpatterns = [
    path("policies/", views.PolicyListApi.as_view(), name="api-policies"),
    path("policies/<int:pk>/", views.PolicyDetailApi.as_view(), name="api-policy"),
    path("items/", views.ItemListApi.as_view(), name="api-policy-items"),
    path("items/<slug:key>/", views.ItemDetailApi.as_view(), name="api-policy-item"),
    path("projects/", views.ProjectListApi.as_view(), name="api-projects"),
    path("projects/<int:pk>/", views.ProjectDetailApi.as_view(), name="api-project"),
    path("projects/<int:pk>/loans/", views.ProjectLoansApi.as_view(), name="api-project-loans"),
    path(
        "projects/<int:pk>/loans/<int:loan_id>/",
        views.ProjectLoanDetailApi.as_view(),
        name="api-project-loan",
    ),
]
