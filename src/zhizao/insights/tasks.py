"""Insights background tasks: thin, safe to run twice."""

from __future__ import annotations

from django.tasks import task

from zhizao.common.worker import coalesced, retry_safe

from .rendering import warm_dashboards
from .services import refresh_facts


@retry_safe(max_attempts=3)
@coalesced
@task
def refresh_facts_task() -> int:
    """Refresh the dashboards' summary tables hourly: only the months written since the last
    refresh. Then draw the pages officers open first. Returns the number of rows written."""
    refresh = refresh_facts(incremental=True)
    warm_dashboards(refresh)
    return refresh.rows


@retry_safe(max_attempts=3)
@coalesced
@task
def rebuild_facts_task() -> int:
    """Rebuild the summary tables from scratch (nightly, and when an operator asks: catches
    any write the hooks of ``insights.dirty`` did not see). Returns the number of rows. One
    waiting rebuild is enough: it has not read anything yet (``coalesced``)."""
    refresh = refresh_facts()
    warm_dashboards(refresh)
    return refresh.rows
