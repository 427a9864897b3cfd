"""Events background tasks: thin, safe to run twice."""

from __future__ import annotations

from django.tasks import task

from zhizao.common.worker import retries_transient_errors, retry_safe

from .services import send_reminders


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def send_meeting_reminders_task() -> int:
    """Both parties of a published meeting are reminded once, within 30 minutes of its start
    (every 5 minutes). Returns how many meetings were reminded."""
    return send_reminders()
