"""What django-tasks-db leaves to us: heartbeats, a reaper for lost tasks, retries, a schedule.

* Every worker (``zhizao worker``) writes a heartbeat row from a background thread.
* The reaper finds RUNNING tasks whose worker is gone: its heartbeat is stale, or it ran on this
  host and its process no longer exists. A task declared safe to retry (``RETRY_SAFE``) goes back
  to READY, up to its attempt limit; any other is marked FAILED with ``WorkerLost``, visibly.
* ``retry_later`` re-enqueues a failed attempt with exponential backoff;
  ``retries_transient_errors`` does so for a retry-safe task whose attempt hit a database error
  that passes by itself (a lock wait timed out, a deadlock, a dropped connection).
* ``enqueue_due_jobs`` runs the one declared schedule (``settings.ZHIZAO_PERIODIC_JOBS``); a
  conditional UPDATE makes sure that only one of many workers enqueues each due job.
* No pile of identical runs: a periodic job, or a task declared ``coalesced`` (it refreshes or
  rebuilds something whole), is enqueued only when no run of it is waiting (``enqueue_once``);
  a task declared ``runs_alone`` returns at once when another run of it is in progress.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import logging
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    router,
    transaction,
)
from django.dispatch import receiver
from django.tasks import TaskResultStatus
from django.tasks.signals import task_started
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules, import_string
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .models import PeriodicJob, WorkerHeartbeat

logger = logging.getLogger("zhizao.worker")

# task path -> maximum attempts. Tasks listed here are idempotent: running them again after a
# crash gives the same result as running them once.
RETRY_SAFE: dict[str, int] = {}


def retry_safe(max_attempts: int = 3) -> Callable:
    """Declare a task function safe to run again after its worker died."""

    def decorate(task):
        RETRY_SAFE[task.module_path] = max_attempts
        return task

    return decorate


class WorkerLost(Exception):
    """The worker running this task stopped without finishing it."""


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def beat(worker_id: str, *, started_at: dt.datetime, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": now,
        },
    )


@dataclass(frozen=True)
class ReapResult:
    retried: list[str]
    failed: list[str]


def _worker_is_dead(
    worker_id: str, heartbeats: dict[str, WorkerHeartbeat], stale_before: dt.datetime, hostname: str
) -> bool:
    heartbeat = heartbeats.get(worker_id)
    if heartbeat is None:
        return True
    if heartbeat.last_seen < stale_before:
        return True
    return heartbeat.hostname == hostname and not process_alive(heartbeat.pid)


def discover_tasks() -> None:
    """Import every app's ``tasks`` module, so that their ``retry_safe`` and ``on_lost``
    declarations are known before the reaper judges a task (nothing else in a worker process
    need have imported them)."""
    autodiscover_modules("tasks")


def reap_lost_tasks(*, now: dt.datetime | None = None) -> ReapResult:
    discover_tasks()
    now = now or timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.ZHIZAO_WORKER_STALE_SECONDS)
    hostname = socket.gethostname()
    retried: list[str] = []
    failed: list[str] = []
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING))
    if not running:
        return ReapResult(retried, failed)
    heartbeats = {h.worker_id: h for h in WorkerHeartbeat.objects.all()}
    for result in running:
        worker_id = result.worker_ids[-1] if result.worker_ids else ""
        if not _worker_is_dead(worker_id, heartbeats, stale_before, hostname):
            continue
        attempts = len(result.worker_ids)
        limit = RETRY_SAFE.get(result.task_path, 0)
        with transaction.atomic():
            locked = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=result.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if locked is None:
                continue
            if attempts < limit:
                locked.status = TaskResultStatus.READY
                locked.started_at = None
                locked.run_after = now
                locked.save(update_fields=["status", "started_at", "run_after"])
                retried.append(str(locked.pk))
                logger.warning(
                    "task %s (%s) lost by worker %s: retrying",
                    locked.pk,
                    locked.task_path,
                    worker_id,
                )
            else:
                locked.set_failed(WorkerLost(f"worker {worker_id} stopped during the task"))
                failed.append(str(locked.pk))
                logger.error(
                    "task %s (%s) lost by worker %s: failed", locked.pk, locked.task_path, worker_id
                )
                on_lost = LOST_HANDLERS.get(locked.task_path)
                if on_lost is not None:
                    on_lost(
                        locked.args_kwargs.get("args", []), locked.args_kwargs.get("kwargs", {})
                    )
    WorkerHeartbeat.objects.filter(last_seen__lt=stale_before - dt.timedelta(days=1)).delete()
    return ReapResult(retried, failed)


# task path -> function(args, kwargs) called when the task is failed by the reaper, so that the
# domain object it worked on can show the failure (e.g. an import batch).
LOST_HANDLERS: dict[str, Callable] = {}


def on_lost(task_path: str) -> Callable:
    def decorate(func):
        LOST_HANDLERS[task_path] = func
        return func

    return decorate


def backoff_seconds(attempt: int, *, base: int | None = None, cap: int = 3600) -> int:
    """10 s, 20 s, 40 s, … up to an hour (the base is ``ZHIZAO_TASK_RETRY_BASE_SECONDS``)."""
    if base is None:
        base = settings.ZHIZAO_TASK_RETRY_BASE_SECONDS
    return min(cap, base * 2 ** max(0, attempt - 1))


def retry_later(
    task, *, attempt: int, max_attempts: int, args=(), kwargs=None, now: dt.datetime | None = None
) -> bool:
    """Enqueue the next attempt of ``task`` after a backoff; False once attempts are used up."""
    if attempt >= max_attempts:
        return False
    now = now or timezone.now()
    run_after = now + dt.timedelta(seconds=backoff_seconds(attempt))
    task.using(run_after=run_after).enqueue(*args, **{**(kwargs or {}), "attempt": attempt + 1})
    return True


def enqueue_after_commit(task_path: str, *args: Any) -> None:
    """Enqueue the task at ``task_path`` with ``args`` (ids) once the current transaction
    commits (at once outside one). Services start their background work with this: they name
    the task by its stable path, as the schedule does, so a domain's services never import its
    tasks module (which imports them). A ``coalesced`` task is enqueued only when no run of it
    is waiting."""

    def enqueue() -> None:
        task = import_string(task_path)  # its module declares whether it is coalesced
        if task_path in COALESCED and not args:
            enqueue_once(task)
        else:
            task.enqueue(*args)

    transaction.on_commit(enqueue)


# Errors after which the same attempt may well succeed a little later.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def retries_transient_errors(func: Callable) -> Callable:
    """Put under ``@task`` of a task declared ``retry_safe``: an attempt that hits a transient
    database error ends with a warning, and the next attempt is enqueued after a backoff, up to
    the task's attempt limit; the last attempt's error fails the task as usual. The attempt
    number travels as the ``attempt`` keyword argument, which the task function never sees."""

    @functools.wraps(func)
    def run(*args, attempt: int = 1, **kwargs):
        try:
            return func(*args, **kwargs)
        except TRANSIENT_ERRORS as error:
            task = import_string(f"{func.__module__}.{func.__qualname__}")
            limit = RETRY_SAFE.get(task.module_path, 1)
            if not task.get_backend().supports_defer or not retry_later(
                task, attempt=attempt, max_attempts=limit, args=args, kwargs=kwargs
            ):
                raise
            logger.warning(
                "task %s failed on attempt %d of %d (%s: %s); next attempt in %d s",
                task.module_path,
                attempt,
                limit,
                type(error).__name__,
                error,
                backoff_seconds(attempt),
            )
            return None

    return run


def enqueue_due_jobs(*, now: dt.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    enqueued: list[str] = []
    for name, (task_path, every) in settings.ZHIZAO_PERIODIC_JOBS.items():
        PeriodicJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
        claimed = PeriodicJob.objects.filter(name=name, next_run_at__lte=now).update(
            next_run_at=now + dt.timedelta(seconds=every), last_enqueued_at=now
        )
        # a run still waiting in the queue is this one: a worker busy for longer than the
        # interval does not find a pile of identical runs when it is free again
        if claimed and enqueue_once(import_string(task_path)):
            enqueued.append(name)
    return enqueued


def prune_task_results(*, days: int = 30) -> int:
    """Finished task results older than ``days`` are deleted; returns how many."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
    ).delete()
    return deleted


# --- no pile of identical runs ----------------------------------------------------------------

#: tasks without arguments that refresh or rebuild something whole: one waiting run of them is
#: as good as many, so their enqueues (``enqueue_after_commit``, the schedule) go through
#: ``enqueue_once``
COALESCED: set[str] = set()
#: how long a marker of a waiting run lives on a backend whose queue cannot be looked into
#: (Celery), in case its message is lost
QUEUED_MARKER_SECONDS = 3600


def coalesced(task):
    """Declare a task (no arguments; put above ``@task``) of which one waiting run is enough."""
    COALESCED.add(task.module_path)
    return task


def _is_celery(backend_class: type) -> bool:
    return backend_class.__module__.startswith("django_tasks_celery")


def _queued_marker(task_path: str) -> str:
    return f"zhizao:task-queued:{task_path}"


def _lock_key(name: str) -> int:
    """A PostgreSQL advisory lock key (signed 64 bits) for ``name``."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), signed=True)


def enqueue_once(task) -> bool:
    """Enqueue ``task`` (no arguments) unless a run of it is already waiting; True if enqueued.

    On the database backend the queue itself is looked at (a READY row of the task), inside a
    transaction that only one process at a time holds (SQLite: ``IMMEDIATE`` transactions;
    PostgreSQL: an advisory lock of the task), so two processes cannot both enqueue. On Celery
    the queue is in the broker: a marker in the shared cache stands for the waiting run; the
    run removes it when it starts, and it expires after ``QUEUED_MARKER_SECONDS`` in case the
    message is lost. Other backends (the immediate one of the tests) enqueue as asked."""
    backend = task.get_backend()
    path = task.module_path
    if isinstance(backend, DatabaseBackend):
        alias = router.db_for_write(DBTaskResult)
        with transaction.atomic(using=alias):
            if connections[alias].vendor == "postgresql":
                with connections[alias].cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(path)])
            waiting = DBTaskResult.objects.using(alias).filter(
                task_path=path, status=TaskResultStatus.READY
            )
            if waiting.exists():
                logger.info("task %s not enqueued: a run of it is waiting", path)
                return False
            task.enqueue()
            return True
    if not _is_celery(type(backend)):
        task.enqueue()
        return True
    if not cache.add(_queued_marker(path), timezone.now().isoformat(), QUEUED_MARKER_SECONDS):
        logger.info("task %s not enqueued: a run of it is waiting", path)
        return False
    task.enqueue()
    return True


@receiver(task_started, dispatch_uid="zhizao-task-queued-marker")
def _run_started(sender, task_result, **kwargs) -> None:
    """A Celery run of a coalesced task starts: the next request enqueues again."""
    if _is_celery(sender):
        path = task_result.task.module_path
        if path in COALESCED or path in {p for p, _e in settings.ZHIZAO_PERIODIC_JOBS.values()}:
            cache.delete(_queued_marker(path))


@contextmanager
def run_alone(name: str) -> Iterator[bool]:
    """Try to hold the lock ``name`` without waiting: yields True while this process holds it,
    False when another process (or thread) does. PostgreSQL: a session advisory lock, shared by
    every host; SQLite (one machine): an ``flock`` on ``DATA_DIR/locks/NAME.lock``. Either is
    released when its process dies: a killed worker holds nothing."""
    if connection.vendor == "postgresql":
        key = _lock_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
                except DatabaseError:  # the connection is gone, and the lock with it
                    logger.info("lock %s released with its connection", name)
        return
    path = Path(settings.DATA_DIR) / "locks" / f"{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def runs_alone(func: Callable) -> Callable:
    """Put under ``@task`` of a task that redoes something whole (and saves a complete result
    each time): a run that starts while another run of it is in progress, on any worker,
    returns None at once, having done nothing."""
    name = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def run(*args, **kwargs):
        with run_alone(name) as held:
            if not held:
                logger.info("task %s skipped: another run of it is in progress", name)
                return None
            return func(*args, **kwargs)

    return run
