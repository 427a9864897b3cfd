"""Diagnosis background tasks: thin, safe to run twice."""

from __future__ import annotations

from django.tasks import task

from zhizao.common.worker import retries_transient_errors, retry_safe

from .services import render_stored_report_pdf


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def render_report_pdf_task(assessment_id: int, language: str, target_level: int | None) -> str:
    """Render the report PDF of the assessment's current version and store it (the download
    page serves it from then on). Returns the storage name."""
    return render_stored_report_pdf(assessment_id, language, target_level).name
