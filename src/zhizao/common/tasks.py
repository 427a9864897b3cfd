"""Platform housekeeping tasks, run from the declared schedule: each calls one function."""

from __future__ import annotations

from django.tasks import task

from .worker import prune_task_results, reap_lost_tasks


@task
def reap_lost_tasks_task() -> dict:
    result = reap_lost_tasks()
    return {"retried": len(result.retried), "failed": len(result.failed)}


@task
def prune_task_results_task(days: int = 30) -> int:
    return prune_task_results(days=days)
