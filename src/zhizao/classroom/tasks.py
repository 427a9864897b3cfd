"""Classroom background tasks: thin, safe to run twice."""

from __future__ import annotations

from django.tasks import task

from zhizao.common.worker import retries_transient_errors, retry_safe

from .services import send_live_class_reminders


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def send_live_class_reminders_task() -> int:
    """The approved registrants of a live class are reminded once, within an hour of its
    start (every 10 minutes). Returns how many classes were reminded."""
    return send_live_class_reminders()
