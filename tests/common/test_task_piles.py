"""No pile of identical runs: a periodic job or a coalesced task is enqueued only when no run of
it waits (the database backend's queue, counted row by row here), and a task that runs alone
returns at once while another run of it holds its lock."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhizao.common.models import PeriodicJob
from zhizao.common.worker import (
    COALESCED,
    enqueue_after_commit,
    enqueue_due_jobs,
    enqueue_once,
    run_alone,
)
from zhizao.insights.tasks import rebuild_facts_task
from zhizao.matchmaking import index
from zhizao.matchmaking.tasks import refresh_match_snapshot_task

pytestmark = pytest.mark.django_db

SNAPSHOT = "zhizao.matchmaking.tasks.refresh_match_snapshot_task"
REBUILD = "zhizao.insights.tasks.rebuild_facts_task"
REPORT_PDF = "zhizao.diagnosis.tasks.render_report_pdf_task"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def queued() -> list[tuple[str, str]]:
    """(task path, status) of every row of the queue, in path and status order."""
    return sorted(DBTaskResult.objects.values_list("task_path", "status"))


def test_the_declared_tasks_are_coalesced():
    assert {SNAPSHOT, REBUILD, "zhizao.insights.tasks.refresh_facts_task"} <= COALESCED


def test_a_coalesced_task_waits_in_the_queue_once(database_tasks):
    assert [enqueue_once(refresh_match_snapshot_task) for _ in range(4)] == [
        True,
        False,
        False,
        False,
    ]
    assert queued() == [(SNAPSHOT, TaskResultStatus.READY)]
    # once the waiting run has started, a request enqueues the next run (it may read rows the
    # running one did not), and that one alone again
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)
    assert [enqueue_once(refresh_match_snapshot_task) for _ in range(3)] == [True, False, False]
    assert queued() == [(SNAPSHOT, TaskResultStatus.READY), (SNAPSHOT, TaskResultStatus.RUNNING)]
    DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.SUCCESSFUL
    )
    assert enqueue_once(refresh_match_snapshot_task) is False
    assert len(queued()) == 2


def test_web_processes_that_find_no_snapshot_enqueue_one_build(database_tasks, monkeypatch):
    """Four gunicorn workers find no snapshot at once: each asks, one build waits."""
    for _process in range(4):
        monkeypatch.setattr(index, "_build_enqueued_at", None)  # another process's first ask
        index._enqueue_build()
    assert queued() == [(SNAPSHOT, TaskResultStatus.READY)]


def test_the_schedule_does_not_pile_runs_behind_a_busy_worker(database_tasks, settings):
    jobs = settings.ZHIZAO_PERIODIC_JOBS
    paths = sorted(path for path, _every in jobs.values())
    now = timezone.now()
    assert sorted(enqueue_due_jobs(now=now)) == sorted(jobs)
    assert queued() == [(path, TaskResultStatus.READY) for path in paths]
    # the worker is busy for ten minutes: the snapshot (every 2 min) and the reaper (every
    # minute) fall due five and ten times, and nothing more waits
    for minute in range(1, 11):
        assert enqueue_due_jobs(now=now + dt.timedelta(minutes=minute, seconds=1)) == []
    assert queued() == [(path, TaskResultStatus.READY) for path in paths]
    assert PeriodicJob.objects.get(name="match-snapshot").next_run_at == now + dt.timedelta(
        minutes=10, seconds=121
    )
    # the worker takes the snapshot run: the next due time enqueues the next one
    DBTaskResult.objects.filter(task_path=SNAPSHOT).update(status=TaskResultStatus.RUNNING)
    later = now + dt.timedelta(minutes=12, seconds=2)
    assert enqueue_due_jobs(now=later) == ["match-snapshot"]
    assert sorted(
        DBTaskResult.objects.filter(task_path=SNAPSHOT).values_list("status", flat=True)
    ) == sorted([TaskResultStatus.READY, TaskResultStatus.RUNNING])


def test_services_enqueue_a_coalesced_task_once_and_others_each_time(
    database_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _request in range(3):
            enqueue_after_commit(REBUILD)
        enqueue_after_commit(REPORT_PDF, 1, "zh-hans", None)
        enqueue_after_commit(REPORT_PDF, 1, "zh-hans", None)
    assert queued() == [
        (REPORT_PDF, TaskResultStatus.READY),
        (REPORT_PDF, TaskResultStatus.READY),
        (REBUILD, TaskResultStatus.READY),
    ]
    assert rebuild_facts_task.module_path == REBUILD


def hold(name: str, held: threading.Event, release: threading.Event, got: list) -> None:
    """Hold the lock ``name`` in another thread (on PostgreSQL: another connection)."""
    try:
        with run_alone(name) as mine:
            got.append(mine)
            held.set()
            release.wait(30)
    finally:
        connection.close()


def test_a_snapshot_run_returns_at_once_while_another_runs(settings):
    settings.ZHIZAO_MATCH_EMBEDDER = "none"
    index.reset()
    held, release, got = threading.Event(), threading.Event(), []
    other = threading.Thread(target=hold, args=(SNAPSHOT, held, release, got))
    other.start()
    try:
        assert held.wait(30)
        assert refresh_match_snapshot_task.call() is None
        assert index.current_snapshot() is None  # nothing built, nothing saved
        with run_alone(SNAPSHOT) as mine:
            assert mine is False
    finally:
        release.set()
        other.join(30)
    assert got == [True]
    # the lock is free again: the next run builds and saves the snapshot
    result = refresh_match_snapshot_task.call()
    assert (result["written"], result["snapshot"]) == (True, index.current_snapshot().name)
