"""The audit log is append-only; the worker additions recover lost tasks and run the schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhizao.common.audit import Actor, AuditAction, diff, record
from zhizao.common.exports import neutralise
from zhizao.common.models import AppendOnlyError, AuditEntry, PeriodicJob, WorkerHeartbeat
from zhizao.common.worker import backoff_seconds, enqueue_due_jobs, reap_lost_tasks


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted():
    entry = record(Actor(), AuditAction.UPDATE, None, object_repr="x", changes={"a": [1, 2]})
    entry.object_repr = "y"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.django_db(transaction=True)
def test_audit_table_refuses_raw_updates_and_deletes_in_the_database():
    record(Actor(), AuditAction.UPDATE, None, object_repr="x")
    for sql in (
        "UPDATE common_auditentry SET object_repr = 'tampered'",
        "DELETE FROM common_auditentry",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert list(AuditEntry.objects.values_list("object_repr", flat=True)) == ["x"]


def test_diff_lists_only_changed_fields_as_plain_values():
    from decimal import Decimal

    assert diff(
        {"a": 1, "b": Decimal("2.50"), "c": ["x"]}, {"a": 1, "b": Decimal("3"), "c": ["x", "y"]}
    ) == {"b": ["2.50", "3"], "c": [["x"], ["x", "y"]]}


def test_neutralise_prefixes_formula_starters_only():
    assert [neutralise(v) for v in ["=1+1", "+86 139", "-5", "@A1", "\tx", "正常", 5]] == [
        "'=1+1",
        "'+86 139",
        "'-5",
        "'@A1",
        "'\tx",
        "正常",
        5,
    ]


def test_backoff_doubles_up_to_the_cap():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4, 20)] == [10, 20, 40, 80, 3600]


def _running_task(task_path: str, worker_id: str, attempts: int = 1) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": ["00000000-0000-0000-0000-000000000000"], "kwargs": {}},
        task_path=task_path,
        worker_ids=[f"{worker_id}-{i}" for i in range(attempts - 1)] + [worker_id],
        queue_name="default",
        backend_name="default",
        run_after=now,
        started_at=now,
        priority=0,
        exception_class_path="",
        traceback="",
    )


@pytest.mark.django_db
def test_reaper_requeues_retry_safe_task_of_a_dead_worker_and_fails_the_rest():
    import zhizao.registry.tasks  # noqa: F401  (declares the retry-safe tasks)

    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="alive", hostname="elsewhere", pid=1, started_at=now, last_seen=now
    )
    WorkerHeartbeat.objects.create(
        worker_id="silent",
        hostname="elsewhere",
        pid=1,
        started_at=now,
        last_seen=now - dt.timedelta(minutes=10),
    )
    safe = _running_task("zhizao.registry.tasks.commit_import_task", "silent")
    exhausted = _running_task("zhizao.registry.tasks.commit_import_task", "silent", attempts=3)
    unsafe = _running_task("zhizao.common.tasks.prune_task_results_task", "silent")
    healthy = _running_task("zhizao.registry.tasks.commit_import_task", "alive")
    result = reap_lost_tasks(now=now)
    assert sorted(result.retried) == [str(safe.pk)]
    assert sorted(result.failed) == sorted([str(exhausted.pk), str(unsafe.pk)])
    statuses = {r.pk: (r.status, r.exception_class_path) for r in DBTaskResult.objects.all()}
    assert statuses[safe.pk] == (TaskResultStatus.READY, "")
    assert statuses[unsafe.pk] == (TaskResultStatus.FAILED, "zhizao.common.worker.WorkerLost")
    assert statuses[healthy.pk] == (TaskResultStatus.RUNNING, "")


@pytest.mark.django_db
def test_schedule_enqueues_each_due_job_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    now = timezone.now()
    assert sorted(enqueue_due_jobs(now=now)) == sorted(settings.ZHIZAO_PERIODIC_JOBS)
    assert enqueue_due_jobs(now=now + dt.timedelta(seconds=30)) == []
    later = now + dt.timedelta(seconds=61)
    assert enqueue_due_jobs(now=later) == ["reap-lost-tasks"]
    job = PeriodicJob.objects.get(name="reap-lost-tasks")
    assert job.next_run_at == later + dt.timedelta(seconds=60)
