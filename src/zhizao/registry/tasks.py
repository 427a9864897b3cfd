"""Registry background tasks: ids in, re-fetch, call one service. Safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from zhizao.common.worker import on_lost, retries_transient_errors, retry_safe

from .enums import IMPORT_FINAL_STATES
from .models import ImportBatch
from .services.imports import actor_for_batch, check_batch, commit_batch, fail_lost_batch


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def check_import_task(batch_id: str) -> str:
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    return check_batch(batch).state


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def commit_import_task(batch_id: str) -> str:
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    return commit_batch(batch, actor_for_batch(batch)).state


@on_lost(commit_import_task.module_path)
@on_lost(check_import_task.module_path)
def _batch_task_lost(args, kwargs) -> None:
    batch_id = (args or [kwargs.get("batch_id")])[0]
    fail_lost_batch(batch_id)


@task
def purge_import_files_task(days: int = 7) -> int:
    """Uploaded files are kept a week for re-checks and error reports, then deleted."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    purged = 0
    for batch in ImportBatch.objects.filter(
        state__in=IMPORT_FINAL_STATES, created_at__lt=cutoff
    ).exclude(file=""):
        batch.file.delete(save=False)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")
        purged += 1
    return purged
