from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("dashboard.pdf", views.dashboard_pdf, name="dashboard_pdf"),
    path("refresh/", views.refresh, name="refresh"),
    path("records/<str:name>/", views.records, name="records"),
    path("export/<str:name>.<str:fmt>", views.export, name="export"),
    path("public/", views.public_summary, name="public"),
    path("public/settings/", views.public_settings, name="public_settings"),
    path("jurisdictions/", views.jurisdiction_list, name="jurisdiction_list"),
    path("jurisdictions/<int:pk>/", views.jurisdiction_edit, name="jurisdiction_edit"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/redraft/", views.report_redraft, name="report_redraft"),
    path("reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("reports/<int:pk>/activities/", views.activity_add, name="activity_add"),
    path("activities/<int:pk>/remove/", views.activity_remove, name="activity_remove"),
    path("reports/<int:pk>/news/", views.news_add, name="news_add"),
    path("news/<int:pk>/remove/", views.news_remove, name="news_remove"),
    path("reports/<int:pk>/report.<str:fmt>", views.report_download, name="report_download"),
]
