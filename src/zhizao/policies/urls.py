from django.urls import path

from .views import (
    calculator,
    documents,
    editor,
    namelists,
    payments,
    policies,
    projects,
    recognitions,
    sandbox,
    scans,
)

app_name = "policies"

urlpatterns = [
    path("", policies.policy_list, name="policy_list"),
    path("new/", policies.policy_new, name="policy_new"),
    path("<int:pk>/", policies.policy_detail, name="policy_detail"),
    path("<int:pk>/edit/", policies.policy_edit, name="policy_edit"),
    path("<int:pk>/state/", policies.policy_state, name="policy_state"),
    path("<int:pk>/attachment/", policies.policy_attachment, name="policy_attachment"),
    path("<int:pk>/items/new/", policies.item_new, name="item_new"),
    path("items/<slug:key>/", policies.item_detail, name="item_detail"),
    path("items/<slug:key>/versions/new/", policies.item_version_new, name="item_version_new"),
    path("versions/<int:pk>/publish/", policies.version_publish, name="version_publish"),
    path("items/<slug:key>/editor/", editor.item_editor, name="item_editor"),
    path(
        "items/<slug:key>/editor/preview/", editor.item_editor_preview, name="item_editor_preview"
    ),
    path("items/<slug:key>/editor/cases/", editor.item_editor_case, name="item_editor_case"),
    path(
        "items/<slug:key>/editor/cases/<int:index>/delete/",
        editor.item_editor_case_delete,
        name="item_editor_case_delete",
    ),
    path("items/<slug:key>/editor/json/", editor.item_editor_json, name="item_editor_json"),
    path(
        "items/<slug:key>/editor/publish/", editor.item_editor_publish, name="item_editor_publish"
    ),
    path("mine/", calculator.my_policies, name="my_policies"),
    path("mine/record/", calculator.my_policies_record, name="my_policies_record"),
    path(
        "organizations/<int:pk>/calculator/",
        calculator.organization_calculator,
        name="organization_calculator",
    ),
    path(
        "organizations/<int:pk>/calculator/record/",
        calculator.organization_calculator_record,
        name="organization_calculator_record",
    ),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/loans/", projects.loan_add, name="loan_add"),
    path("loans/<int:pk>/edit/", projects.loan_edit, name="loan_edit"),
    path("loans/<int:pk>/delete/", projects.loan_delete, name="loan_delete"),
    path("projects/<int:pk>/documents/", documents.document_upload, name="document_upload"),
    path("documents/<int:pk>/", documents.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", documents.document_delete, name="document_delete"),
    path("recognitions/", recognitions.my_recognitions, name="my_recognitions"),
    path(
        "organizations/<int:pk>/recognitions/",
        recognitions.organization_records,
        name="organization_records",
    ),
    path(
        "organizations/<int:pk>/recognitions/add/",
        recognitions.recognition_add,
        name="recognition_add",
    ),
    path(
        "recognitions/<int:pk>/remove/", recognitions.recognition_remove, name="recognition_remove"
    ),
    path("organizations/<int:pk>/credit/add/", recognitions.credit_add, name="credit_add"),
    path("credit/<int:pk>/end/", recognitions.credit_end, name="credit_end"),
    # proactive scans, name lists, payments, sandbox (免申即享)
    path("items/<slug:key>/scan/", scans.scan_new, name="scan_new"),
    path("scans/", scans.scan_list, name="scan_list"),
    path("scans/<int:pk>/", scans.scan_detail, name="scan_detail"),
    path(
        "scans/<int:pk>/explanations/<int:decision>/",
        scans.scan_explanation,
        name="scan_explanation",
    ),
    path("scans/<int:pk>/name-list/", namelists.name_list_new, name="name_list_new"),
    path("name-lists/<int:pk>/", namelists.name_list_detail, name="name_list_detail"),
    path("name-lists/<int:pk>/announce/", namelists.name_list_announce, name="name_list_announce"),
    path("entries/<int:pk>/exclude/", namelists.entry_exclude, name="entry_exclude"),
    path("entries/<int:pk>/pay/", payments.payment_new, name="payment_new"),
    path("benefits/", namelists.my_benefits, name="my_benefits"),
    path("benefits/<int:pk>/", namelists.entry_confirm, name="entry_confirm"),
    path("benefits/<int:pk>/decline/", namelists.entry_decline, name="entry_decline"),
    path("public/name-lists/", namelists.public_name_lists, name="public_name_lists"),
    path("public/name-lists/<int:pk>/", namelists.public_name_list, name="public_name_list"),
    path("items/<slug:key>/sandbox/", sandbox.sandbox_new, name="sandbox"),
    path("sandbox/<int:pk>/", sandbox.sandbox_detail, name="sandbox_detail"),
]
