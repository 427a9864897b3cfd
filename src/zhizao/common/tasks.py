"""Platform housekeeping tasks, run from the declared schedule."""

from __future__ import annotations

import datetime as dt

from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .worker import reap_lost_tasks


@task
def reap_lost_tasks_task() -> dict:
    result = reap_lost_tasks()
    return {"retried": len(result.retried), "failed": len(result.failed)}


@task
def prune_task_results_task(days: int = 30) -> int:
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
    ).delete()
    return deleted
