"""Calls background tasks: thin, safe to run twice."""

from __future__ import annotations

from django.tasks import task

from zhizao.common.worker import retries_transient_errors, retry_safe

from .services.reminders import remind_deadlines


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def remind_deadlines_task() -> int:
    """Deadline reminders to applicants and nominating bodies (hourly; each sent once)."""
    return remind_deadlines()
