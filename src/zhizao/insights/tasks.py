"""Insights background tasks: thin, safe to run twice."""

from __future__ import annotations

from django.tasks import task

from zhizao.common.worker import retry_safe

from .rendering import warm_dashboards
from .services import refresh_facts


@retry_safe(max_attempts=3)
@task
def refresh_facts_task() -> int:
    """Rebuild the dashboards' summary tables (hourly, and when an operator asks) and draw the
    pages officers open first. Returns the number of rows."""
    refresh = refresh_facts()
    warm_dashboards(refresh)
    return refresh.rows
