"""Expert review background tasks: thin, safe to run twice."""

from __future__ import annotations

from django.tasks import task

from zhizao.common.worker import retries_transient_errors, retry_safe

from .services import compute_assignment, send_reminders


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def run_assignment_task(round_id: int) -> str:
    """A big round's assignment run (the result replaces the previous run's rows)."""
    summary = compute_assignment(round_id)
    return summary.get("digest") or "infeasible"


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def send_review_reminders_task() -> int:
    """Reminders to experts whose reviews are due within three days (hourly; once a day per
    round)."""
    return send_reminders()
