"""Insights background tasks: thin, safe to run twice."""

from __future__ import annotations

from django.tasks import task

from zhizao.common.worker import retry_safe

from .services import refresh_facts


@retry_safe(max_attempts=3)
@task
def refresh_facts_task() -> int:
    """Rebuild the dashboards' summary tables (hourly, and when an operator asks). Returns the
    number of rows."""
    return refresh_facts().rows
