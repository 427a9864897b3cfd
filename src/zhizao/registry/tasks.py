"""Registry background tasks: ids in, re-fetch, call one service. Safe to run twice."""

from __future__ import annotations

from django.tasks import task

from zhizao.common.worker import on_lost, retries_transient_errors, retry_safe

from .models import ImportBatch
from .services.imports import (
    fail_lost_import,
    purge_import_files,
    run_import_check,
    run_import_commit,
)


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def check_import_task(batch_id: str) -> str:
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    return run_import_check(batch).state


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def commit_import_task(batch_id: str) -> str:
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    return run_import_commit(batch).state


@on_lost(commit_import_task.module_path)
@on_lost(check_import_task.module_path)
def _batch_task_lost(args, kwargs) -> None:
    batch_id = (args or [kwargs.get("batch_id")])[0]
    fail_lost_import(batch_id)


@task
def purge_import_files_task(days: int = 7) -> int:
    """Uploaded files are kept a week for re-checks and error reports, then deleted."""
    return purge_import_files(days=days)
