from django.urls import path

from . import views

app_name = "diagnosis"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("a/<int:pk>/", views.assessment_view, name="assessment"),
    path("a/<int:pk>/answer/", views.answer, name="answer"),
    path("a/<int:pk>/type/", views.enterprise_type, name="enterprise_type"),
    path("a/<int:pk>/rest-not-met/", views.mark_rest, name="mark_rest"),
    path("a/<int:pk>/section/", views.assign_section, name="assign_section"),
    path("a/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("a/<int:pk>/submit/", views.submit, name="submit"),
    path("a/<int:pk>/report/", views.report, name="report"),
    path("a/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("a/<int:pk>/target/", views.set_target, name="set_target"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path(
        "campaigns/<int:pk>/providers/", views.campaign_provider_add, name="campaign_provider_add"
    ),
    path("campaigns/<int:pk>/allocate/", views.campaign_allocate, name="campaign_allocate"),
    path("campaigns/<int:pk>/state/", views.campaign_state, name="campaign_state"),
    path("campaigns/<int:pk>/export/", views.campaign_export, name="campaign_export"),
    path("targets/<int:pk>/move/", views.target_move, name="target_move"),
    path("targets/<int:pk>/visit/", views.target_visit, name="target_visit"),
    path("targets/<int:pk>/start/", views.target_start, name="target_start"),
    path("statistics/", views.statistics, name="statistics"),
]
