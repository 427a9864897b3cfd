"""Policies background tasks: ids in, re-fetch, call one service. Safe to run twice."""

from __future__ import annotations

from django.tasks import task

from zhizao.common.worker import on_lost, retries_transient_errors, retry_safe

from .models import Scan
from .services.scans import fail_scan, run_scan


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def run_scan_task(scan_id: int) -> str:
    scan = Scan.objects.filter(pk=scan_id).first()
    if scan is None:
        return "missing"
    return run_scan(scan).state


@on_lost(run_scan_task.module_path)
def _scan_task_lost(args, kwargs) -> None:
    scan_id = (args or [kwargs.get("scan_id")])[0]
    fail_scan(scan_id, "The worker running this scan stopped; start the scan again.")
