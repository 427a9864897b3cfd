from django.urls import path

from .views import applications, calls, office, publicity

app_name = "calls"

urlpatterns = [
    path("", calls.call_list, name="call_list"),
    path("new/", calls.call_new, name="call_new"),
    path("<int:pk>/", calls.call_detail, name="call_detail"),
    path("<int:pk>/settings/", calls.call_settings, name="call_settings"),
    path("<int:pk>/state/", calls.call_state, name="call_state"),
    path("<int:pk>/fields/", calls.field_save, name="field_save"),
    path("<int:pk>/stages/", calls.stages_save, name="stages_save"),
    path("<int:pk>/eligibility/", calls.eligibility_save, name="eligibility_save"),
    path("<int:pk>/quotas/", calls.quota_save, name="quota_save"),
    path("<int:pk>/rubric/", calls.rubric_save, name="rubric_save"),
    path("<int:pk>/rubric/bands/", calls.rubric_bands, name="rubric_bands"),
    path("<int:pk>/apply/", applications.application_new, name="application_new"),
    path("<int:pk>/nominations/", office.nominations_page, name="nominations"),
    path("<int:pk>/nominations/rank/", office.nominations_rank, name="nominations_rank"),
    path("<int:pk>/formal/", office.formal_review, name="formal_review"),
    path("<int:pk>/publicity/", publicity.publicity_page, name="publicity"),
    path("<int:pk>/publicity/close/", publicity.publicity_close, name="publicity_close"),
    path("<int:pk>/publish/", publicity.catalogue_publish, name="catalogue_publish"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/answer/", applications.application_answer, name="application_answer"
    ),
    path(
        "applications/<int:pk>/upload/", applications.application_upload, name="application_upload"
    ),
    path(
        "applications/<int:pk>/files/<slug:code>/",
        applications.application_file,
        name="application_file",
    ),
    path(
        "applications/<int:pk>/action/", applications.application_action, name="application_action"
    ),
    path(
        "applications/<int:pk>/exclusions/",
        applications.application_exclusions,
        name="application_exclusions",
    ),
    path("applications/<int:pk>/nominate/", office.nominate, name="nominate"),
    path("applications/<int:pk>/formal/", office.formal_action, name="formal_action"),
    path("objections/<int:pk>/", publicity.objection_detail, name="objection_detail"),
    path("catalogues/", publicity.catalogue_list, name="catalogue_list"),
    path("catalogues/<int:pk>/", publicity.catalogue_detail, name="catalogue_detail"),
    path(
        "catalogues/<int:pk>/export.<str:fmt>", publicity.catalogue_export, name="catalogue_export"
    ),
    path("calendar/", publicity.calendar_page, name="calendar"),
    path("identities/", publicity.identities_page, name="identities"),
]
