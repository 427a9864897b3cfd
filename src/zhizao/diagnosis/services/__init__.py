"""Writes for the diagnosis module. Each function checks its business rules, writes in one
transaction and records an audit entry; the pages, the API, the commands and the demo call these
and nothing else. Reads (the report, the scores of the answers) are in ``..selectors``."""

from .assessments import (
    add_evidence,
    assign_section,
    mark_rest_not_met,
    remove_evidence,
    save_answer,
    save_answers,
    set_enterprise_type,
    set_target_level,
    start_self_assessment,
    submit,
)
from .base import audit
from .campaigns import (
    add_provider,
    create_campaign,
    propose_allocation,
    reassign_target,
    record_visit,
    set_campaign_state,
    start_onsite,
)
from .models import LoadOutcome, load_model_files
from .reports import ReportPdf, render_stored_report_pdf, report_version, request_report_pdf

__all__ = [
    "LoadOutcome",
    "ReportPdf",
    "add_evidence",
    "add_provider",
    "assign_section",
    "audit",
    "create_campaign",
    "load_model_files",
    "mark_rest_not_met",
    "propose_allocation",
    "reassign_target",
    "record_visit",
    "remove_evidence",
    "render_stored_report_pdf",
    "report_version",
    "request_report_pdf",
    "save_answer",
    "save_answers",
    "set_campaign_state",
    "set_enterprise_type",
    "set_target_level",
    "start_onsite",
    "start_self_assessment",
    "submit",
]
