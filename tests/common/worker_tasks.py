"""Tasks for the worker tests only. ``flaky_task`` fails with a transient database error on its
first ``failures`` attempts, and each attempt appends its start time to a file, so that a test
can read how often and when it ran. ``process_task`` writes what the process that runs it is
(its id, its niceness, the numeric libraries' thread variables). Workers load them with
``-I tests.common.worker_tasks`` (Celery) or by their path (``zhizao worker``)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import OperationalError
from django.tasks import task

from zhizao.common.processes import THREAD_VARIABLES
from zhizao.common.worker import retries_transient_errors, retry_safe


def attempts_file(marker: str, data_dir: Path | None = None) -> Path:
    return Path(data_dir or settings.DATA_DIR) / f"{marker}.attempts"


@retry_safe(max_attempts=3)
@task
@retries_transient_errors
def flaky_task(marker: str, failures: int) -> str:
    path = attempts_file(marker)
    with path.open("a") as handle:
        handle.write(f"{time.time()}\n")
    attempt = len(path.read_text().splitlines())
    if attempt <= failures:
        raise OperationalError(f"attempt {attempt}: database is locked")
    return f"done on attempt {attempt}"


def process_file(marker: str, data_dir: Path | None = None) -> Path:
    return Path(data_dir or settings.DATA_DIR) / f"{marker}.process.json"


@task
def process_task(marker: str) -> int:
    report = {
        "pid": os.getpid(),
        "nice": os.nice(0),
        "threads": {name: os.environ.get(name) for name in THREAD_VARIABLES},
    }
    tmp = process_file(marker).with_suffix(".tmp")
    tmp.write_text(json.dumps(report))
    tmp.replace(process_file(marker))
    return report["pid"]
