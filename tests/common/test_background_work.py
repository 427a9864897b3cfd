"""Background work on real worker processes, on both task backends: the embedded default
(django-tasks-db, ``zhizao worker``) and Celery with RabbitMQ as the broker
(``celery -A zhizao worker``), as production runs them.

The workers are separate processes, so they cannot see pytest's test database (in memory on
SQLite, inside a transaction otherwise). The module works on a copy of it that they can see: a
SQLite file, or a PostgreSQL database made from the test database as its template. This process
points its own connection at the copy for these tests and back afterwards. The Celery messages
go to a queue of this test run alone (``zhizao-test-…``), deleted at the end.

RabbitMQ must be running (``scripts/test.sh`` starts it): without it these tests fail.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.common.worker_tasks import attempts_file, flaky_task, process_file, process_task
from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.common.audit import Actor
from zhizao.common.models import AuditEntry, PeriodicJob
from zhizao.common.processes import THREAD_VARIABLES
from zhizao.registry.enums import ImportState
from zhizao.registry.models import ImportBatch, Organization
from zhizao.registry.services.imports import create_batch, run_import_check, set_import_state
from zhizao.registry.tasks import commit_import_task
from zhizao_core.registry.uscc import make_uscc

ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("ZHIZAO_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    "celery": {
        "BACKEND": "django_tasks_celery.CeleryBackend",
        "QUEUES": [],  # any queue: the kill test sends to a queue of its own
        "OPTIONS": {"CELERY_APP": "zhizao.celery.app"},
    },
}
WAIT_SECONDS = 120  # a worker's start on a busy two-core machine included


def wait_for(condition, *, what: str, logs=(), timeout: float = WAIT_SECONDS, every=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    tails = "\n".join(f"--- {log}\n{Path(log).read_text()[-3000:]}" for log in logs)
    pytest.fail(f"timed out waiting for {what}\n{tails}")


# --- the broker, the database the workers see, the worker processes ---------------------------


@pytest.fixture(scope="session")
def celery_queue():
    """A queue of this test run alone; this process sends to it, the test workers read it."""
    from zhizao.celery import app

    queue = f"zhizao-test-{uuid.uuid4().hex[:12]}"
    app.conf.update(broker_url=BROKER_URL, task_default_queue=queue)
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=3, interval_start=0.5, interval_step=0.5)
    except Exception as error:  # any failure to reach the broker fails the run
        pytest.fail(
            f"the broker at {BROKER_URL} cannot be reached ({error}); start RabbitMQ "
            "(scripts/test.sh does) or set ZHIZAO_TEST_BROKER_URL"
        )
    yield queue
    delete_queue(queue)


def delete_queue(queue: str) -> None:
    """The queue and its exchange (Celery names both after the queue) leave the broker."""
    from zhizao.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_delete(queue)
        conn.default_channel.exchange_delete(queue)


@pytest.fixture
def db():
    """pytest-django's ``db`` holds each test in a transaction that other processes cannot see;
    here it only makes pytest-django create the test database, which ``worker_database`` copies."""


@pytest.fixture(scope="module")
def worker_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """A copy of the test database (reference data included) that other processes can open;
    this process's connection points at it while the module runs."""
    data_dir = tmp_path_factory.mktemp("workers")
    conn = connections["default"]
    original = conn.settings_dict["NAME"]
    with django_db_blocker.unblock():
        if conn.vendor == "sqlite":
            path = data_dir / "workers.sqlite3"
            conn.ensure_connection()
            target = sqlite3.connect(path)
            conn.connection.backup(target)
            target.close()
            kept = conn.connection  # an in-memory test database lives as long as it is open
            conn.connection = None
            conn.settings_dict["NAME"] = str(path)
            url = f"sqlite:///{path}"
        else:
            import psycopg

            name = f"zhizao_workers_{uuid.uuid4().hex[:8]}"
            admin = _pg_admin(conn.settings_dict)
            conn.close()
            for _ in range(20):
                try:
                    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{original}"')
                    break
                except psycopg.errors.ObjectInUse:
                    # A template must have no other session: close those that earlier tests'
                    # threads left open on this run's own test database.
                    admin.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = %s AND pid <> pg_backend_pid()",
                        [original],
                    )
                    time.sleep(0.2)
            else:
                pytest.fail(f"could not copy the test database {original}")
            conn.settings_dict["NAME"] = name
            s = conn.settings_dict
            url = (
                f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
                f"{s['PORT'] or 5432}/{name}"
            )
    yield {"url": url, "data_dir": data_dir}
    with django_db_blocker.unblock():
        conn.close()
        conn.settings_dict["NAME"] = original
        if conn.vendor == "sqlite":
            conn.connection = kept
        else:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def _pg_admin(settings_dict):
    import psycopg

    return psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )


class Processes:
    """Worker and scheduler processes of one backend, each with its log file."""

    def __init__(self, backend: str, env: dict, log_dir: Path, queue: str):
        self.backend, self.env, self.log_dir, self.queue = backend, env, log_dir, queue
        self.running: list[subprocess.Popen] = []

    def start(self, name: str, *args: str) -> tuple[subprocess.Popen, Path]:
        log = self.log_dir / f"{self.backend}-{name}.log"
        with log.open("ab") as out:
            proc = subprocess.Popen(
                [sys.executable, *args],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the pool children go with it
            )
        self.running.append(proc)
        return proc, log

    def worker(self, name: str, *, queue: str | None = None) -> tuple[subprocess.Popen, Path]:
        if self.backend == "celery":
            return self.start(
                name,
                *("-m", "celery", "-A", "zhizao", "worker", "--pool", "prefork"),
                *("--concurrency", "1", "--hostname", f"{name}-{uuid.uuid4().hex[:6]}@%h"),
                *("--queues", queue or self.queue, "--loglevel", "INFO", "--include"),
                "tests.common.worker_tasks",
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            )
        return self.start(
            name,
            *(str(ROOT / "manage.py"), "worker", "--no-schedule", "--no-startup-delay"),
            *("--interval", "0.2"),
        )

    def scheduler(self, name: str) -> tuple[subprocess.Popen, Path]:
        return self.start(name, str(ROOT / "manage.py"), "scheduler", "--interval", "0.5")

    def stop(self, proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)
        else:
            try:  # a prefork pool child may outlive its killed parent
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def stop_all(self) -> None:
        """At the end the workers are idle; nothing is lost by killing them outright."""
        for proc in self.running:
            self.stop(proc, signal.SIGKILL)


def processes_for(backend: str, worker_database, queue: str, log_dir: Path) -> Processes:
    env = {
        **os.environ,
        "DATABASE_URL": worker_database["url"],
        "ZHIZAO_DATA_DIR": str(worker_database["data_dir"]),
        "ZHIZAO_TASK_BACKEND": backend,
        "ZHIZAO_CELERY_BROKER_URL": BROKER_URL,
        "ZHIZAO_CELERY_QUEUE": queue,
        "ZHIZAO_TASK_RETRY_BASE_SECONDS": "1",
        "ZHIZAO_LOG_LEVEL": "INFO",
        "ZHIZAO_MATCH_EMBEDDER": "none",
    }
    env.pop("ZHIZAO_TEST_DATABASE_NAME", None)
    return Processes(backend, env, log_dir, queue)


@pytest.fixture(scope="module", params=["database", "celery"])
def backend(request, worker_database, celery_queue, tmp_path_factory):
    processes = processes_for(
        request.param, worker_database, celery_queue, tmp_path_factory.mktemp("logs")
    )
    # Two workers for the whole module: the tasks below go to whichever is free.
    processes.logs = [processes.worker("worker-1")[1], processes.worker("worker-2")[1]]
    yield processes
    processes.stop_all()


def _use(backend: str, worker_database, settings) -> None:
    settings.TASKS = {"default": BACKENDS[backend]}
    settings.MEDIA_ROOT = worker_database["data_dir"] / "media"
    settings.ZHIZAO_MATCH_EMBEDDER = "none"


@pytest.fixture
def on_workers(db, backend, worker_database, django_db_blocker, settings):
    """This test enqueues on ``backend`` and reads and writes the workers' database."""
    _use(backend.backend, worker_database, settings)
    with django_db_blocker.unblock():
        yield backend


@pytest.fixture
def celery_alone(db, worker_database, celery_queue, django_db_blocker, settings, tmp_path):
    """Celery workers of this test alone, on a queue of their own."""
    _use("celery", worker_database, settings)
    queue = f"{celery_queue}-alone"
    processes = processes_for("celery", worker_database, queue, tmp_path)
    with django_db_blocker.unblock():
        yield processes
    processes.stop_all()
    delete_queue(queue)


# --- what the tests enqueue -------------------------------------------------------------------


def import_file(rows: int, *, serial: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["名称", "统一社会信用代码", "机构类型", "行政区划代码", "行业代码", "主要产品"]
    )
    for i in range(rows):
        writer.writerow(
            [
                f"无锡后台{serial + i:06d}精密机械有限公司",
                make_uscc(region="320214", serial=serial + i),
                "制造企业",
                "320214",
                "3421",
                "数控车床、加工中心",
            ]
        )
    return out.getvalue().encode()


def queued_batch(rows: int, *, serial: int) -> ImportBatch:
    actor = Actor(extra={"via": "test"})
    batch = create_batch(actor, name="orgs.csv", data=import_file(rows, serial=serial))
    run_import_check(batch)
    # Queued as commit_import queues it, without its enqueue: each test sends the task itself,
    # to the queue it watches.
    assert set_import_state(
        batch,
        ImportState.QUEUED,
        expected={ImportState.VALIDATED},
        actor=actor,
        skip_invalid=False,
        phase="queued",
        progress=0,
    )
    return batch


def batch_state(batch: ImportBatch) -> tuple:
    return ImportBatch.objects.values_list("state", "phase").get(pk=batch.pk)


def written(batch: ImportBatch) -> tuple[int, int, int]:
    """Organisations, their creation entries, and import entries written for the batch."""
    org_type = ContentType.objects.get_for_model(Organization)
    creations = AuditEntry.objects.filter(
        action="create", content_type=org_type, context__import_batch=str(batch.pk)
    ).count()
    imports = AuditEntry.objects.filter(action="import", object_id=str(batch.pk)).count()
    ids = AuditEntry.objects.filter(
        action="create", content_type=org_type, context__import_batch=str(batch.pk)
    ).values_list("object_id", flat=True)
    orgs = Organization.objects.filter(pk__in=[int(i) for i in ids]).count()
    return orgs, creations, imports


SERIALS = {"database": 610000, "celery": 620000}


# --- the tests --------------------------------------------------------------------------------


def test_import_commit_runs_on_a_worker(on_workers):
    batch = queued_batch(3, serial=SERIALS[on_workers.backend])
    commit_import_task.enqueue(str(batch.pk))
    wait_for(lambda: batch_state(batch)[0] == "committed", what="the commit", logs=on_workers.logs)
    assert ImportBatch.objects.values_list("created", "updated", "unchanged").get(pk=batch.pk) == (
        3,
        0,
        0,
    )
    assert written(batch) == (3, 3, 1)
    first = SERIALS[on_workers.backend]
    assert sorted(
        Organization.objects.filter(
            uscc__in=[make_uscc(region="320214", serial=first + i) for i in range(3)]
        ).values_list("name", flat=True)
    ) == [f"无锡后台{first + i:06d}精密机械有限公司" for i in range(3)]


def test_policy_scan_runs_on_a_worker(on_workers):
    from tests.policies.conftest import wuxi_rule
    from zhizao.policies import services
    from zhizao.policies.models import Decision, Scan
    from zhizao.policies.services.scans import start_scan
    from zhizao.policies.tasks import run_scan_task

    tag = on_workers.backend
    bureau = make_organization(
        name=f"无锡市工业和信息化局（{tag}）", kind="government", industry=None
    )
    officer = actor_for(make_user(f"officer-{tag}", role=Role.OFFICER, organization=bureau))
    factory = make_organization(name=f"无锡后台扫描装备有限公司（{tag}）", region="320211")
    services.create_project(
        officer,
        factory,
        name="锻压线智能化改造",
        kind="intelligent_transformation",
        start_date=dt.date(2026, 3, 1),
        equipment_yuan=Decimal("31000000"),
        software_yuan=Decimal("0"),
        services_yuan=Decimal("0"),
        other_yuan=Decimal("0"),
    )
    policy = services.create_policy(
        officer,
        title=f"无锡市智能化改造专项资金管理办法（{tag}）",
        doc_number=f"锡工信规〔2026〕{len(tag)}号",
        issuing_unit="无锡市工业和信息化局",
        level="city",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2028, 12, 31),
        budget_yuan=Decimal("50000000"),
    )
    policy = services.publish_policy(officer, policy)
    item = services.create_item(
        officer,
        policy,
        key=f"wuxi-im-{tag}",
        name="智能化改造设备投资奖补",
        category="grant",
        subject="project",
    )
    version = item.versions.get(number=1)
    services.update_item_version(officer, version, rule=wuxi_rule())
    version = services.publish_item_version(officer, version)
    scan = start_scan(officer, version, as_of=dt.date(2026, 6, 30))

    run_scan_task.enqueue(scan.pk)
    wait_for(
        lambda: Scan.objects.get(pk=scan.pk).state in {"done", "failed"},
        what="the scan",
        logs=on_workers.logs,
    )
    scan.refresh_from_db()
    assert (scan.state, scan.message) == ("done", "")
    assert list(
        Decision.objects.filter(scan=scan, enterprise=factory).values_list(
            "eligible", "amount_yuan"
        )
    ) == [("yes", Decimal("2480000.00"))]


def test_expiry_job_runs_on_a_worker(on_workers):
    from zhizao.matchmaking import services
    from zhizao.matchmaking.models import Introduction
    from zhizao.matchmaking.tasks import expire_introductions_task

    tag = on_workers.backend
    provider = make_organization(
        name=f"常州后台视觉科技有限公司（{tag}）", kind="provider", region="320411", industry="6513"
    )
    factory = make_organization(name=f"无锡后台注塑有限公司（{tag}）")
    provider_actor = actor_for(
        make_user(f"provider-{tag}", role=Role.PROVIDER, organization=provider)
    )
    enterprise_actor = actor_for(
        make_user(f"enterprise-{tag}", role=Role.ENTERPRISE, organization=factory)
    )
    offering = services.create_offering(
        provider_actor,
        provider,
        kind="solution",
        title="注塑件外观缺陷机器视觉检测系统",
        description="基于深度学习的机器视觉检测，识别注塑件缺料、飞边等外观缺陷。",
        categories=["machine_vision"],
        industries=["29"],
        regions=["320400"],
    )
    offering = services.publish_offering(provider_actor, offering)
    demand = services.create_demand(
        enterprise_actor,
        factory,
        title="注塑件外观缺陷视觉检测",
        description="注塑车间需要机器视觉检测外观缺陷，替代人工目检。",
        category="machine_vision",
        industry="2929",
        region="320214",
        budget_band="500k-1m",
        timeline="3m",
    )
    demand = services.publish_demand(enterprise_actor, demand)
    intro = services.request_introduction(enterprise_actor, demand=demand, offering=offering)
    Introduction.objects.filter(pk=intro.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    expire_introductions_task.enqueue()
    wait_for(
        lambda: Introduction.objects.get(pk=intro.pk).state == "expired",
        what="the expiry",
        logs=on_workers.logs,
    )
    assert list(
        AuditEntry.objects.filter(object_id=str(intro.pk), content_type__model="introduction")
        .order_by("id")
        .values_list("changes__state", flat=True)
    ) == [[None, "requested"], ["requested", "expired"]]


def test_schedule_enqueues_each_due_job_once_with_two_schedulers(on_workers):
    """Two schedulers (a standby, a deploy overlap) and two workers: every due job runs once."""
    from django.conf import settings

    jobs = settings.ZHIZAO_PERIODIC_JOBS
    paths = sorted(path for path, _every in jobs.values())
    PeriodicJob.objects.all().delete()  # every job is due
    started = timezone.now()
    offsets = {log: log.stat().st_size for log in on_workers.logs}

    def runs() -> dict[str, int]:
        if on_workers.backend == "database":
            done = DBTaskResult.objects.filter(
                task_path__in=paths, enqueued_at__gte=started, status=TaskResultStatus.SUCCESSFUL
            )
            return {path: done.filter(task_path=path).count() for path in paths}
        text = "".join(log.read_text()[offsets[log] :] for log in on_workers.logs)
        return {
            path: len(re.findall(rf"Task {re.escape(path)}\[[^\]]+\] succeeded", text))
            for path in paths
        }

    schedulers = [on_workers.scheduler("scheduler-1")[0], on_workers.scheduler("scheduler-2")[0]]
    try:
        wait_for(lambda: all(runs().values()), what="every periodic job", logs=on_workers.logs)
        # Both schedulers keep looking twice a second; none of the jobs is due again yet.
        looked = time.monotonic()
        while time.monotonic() - looked < 3:
            time.sleep(0.5)
        assert all(s.poll() is None for s in schedulers)
    finally:
        for proc in schedulers:
            on_workers.stop(proc)
    assert runs() == dict.fromkeys(paths, 1)
    assert sorted(
        PeriodicJob.objects.filter(last_enqueued_at__gte=started).values_list("name", flat=True)
    ) == sorted(jobs)


def test_transient_error_is_retried_with_backoff(on_workers, worker_database):
    marker = f"flaky-{on_workers.backend}-{uuid.uuid4().hex[:6]}"
    path = attempts_file(marker, worker_database["data_dir"])

    def attempts() -> list[float]:
        return [float(t) for t in path.read_text().split()] if path.exists() else []

    flaky_task.enqueue(marker, 2)
    times = wait_for(
        lambda: len(attempts()) == 3 and attempts(), what="three attempts", logs=on_workers.logs
    )
    # a backoff with a base of 1 s: the second attempt 1 s after the first, the third 2 s later
    assert times[1] - times[0] >= 1
    assert times[2] - times[1] >= 2
    text = "".join(log.read_text() for log in on_workers.logs)
    warnings = sorted(
        re.findall(
            r"task tests\.common\.worker_tasks\.flaky_task failed on attempt (\d) of 3 "
            r"\(OperationalError: attempt \d: database is locked\); next attempt in (\d+) s",
            text,
        )
    )
    assert warnings == [("1", "1"), ("2", "2")]


def _pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def _nice_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def test_workers_yield_the_cpu_to_the_web_processes(on_workers, worker_database):
    """Every worker process (``zhizao worker``; Celery's main process and its pool process) runs
    at niceness ``ZHIZAO_WORKER_NICE`` (default 10) with the numeric libraries' thread
    variables at 1 where the environment does not set them: a task that embeds every listing
    leaves the cores to the pages."""
    marker = f"process-{on_workers.backend}-{uuid.uuid4().hex[:6]}"
    path = process_file(marker, worker_database["data_dir"])
    process_task.enqueue(marker)
    wait_for(path.exists, what="the report of the task's process", logs=on_workers.logs)
    report = json.loads(path.read_text())
    nice = max(int(os.environ.get("ZHIZAO_WORKER_NICE", "10")), os.nice(0))
    assert report["nice"] == nice
    assert report["threads"] == {name: os.environ.get(name, "1") for name in THREAD_VARIABLES}
    workers = [proc.pid for proc in on_workers.running if proc.poll() is None]
    pool = [child for pid in workers for child in _pool_children(pid)]
    assert len(workers) == 2
    if on_workers.backend == "celery":  # the task ran in a pool process, forked after the start
        assert len(pool) == 2
        assert report["pid"] in pool
    else:
        assert (pool, report["pid"] in workers) == ([], True)
    assert {pid: _nice_of(pid) for pid in workers + pool} == dict.fromkeys(workers + pool, nice)
    # each worker leads its session (as under a service manager): its scheduling group, which
    # its pool processes share, is niced too, or niceness would count only inside it
    autogroups = {pid: Path(f"/proc/{pid}/autogroup").read_text().split()[-1] for pid in workers}
    if Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1":
        assert autogroups == dict.fromkeys(workers, str(nice))
    text = "".join(log.read_text() for log in on_workers.logs)
    assert "before the worker set its thread limits" not in text


def test_killed_celery_worker_task_is_delivered_again_and_written_once(celery_alone):
    """SIGKILL the pool process in the middle of an import's write, then the whole worker in the
    middle of the second delivery's write: the broker delivers the message a third time to
    another worker, which writes the batch once."""
    rows = 6000
    batch = queued_batch(rows, serial=640000)
    killer, killer_log = celery_alone.worker("killed")
    result = commit_import_task.using(queue_name=celery_alone.queue).enqueue(str(batch.pk))

    wait_for(
        lambda: batch_state(batch) == ("committing", "writing"),
        what="the first write",
        logs=[killer_log],
        every=0.01,
    )
    time.sleep(0.2)  # inside the single write transaction
    [child] = _pool_children(killer.pid)
    os.kill(child, signal.SIGKILL)
    assert written(batch)[0] == 0
    assert batch_state(batch) == ("committing", "writing")

    # The worker's main process sees its pool process die and hands the message back; the
    # broker delivers it again (here to the same worker's new pool process).
    wait_for(
        lambda: batch_state(batch)[1] != "writing",
        what="the second delivery",
        logs=[killer_log],
        every=0.01,
    )
    wait_for(
        lambda: batch_state(batch) == ("committing", "writing"),
        what="the second write",
        logs=[killer_log],
        every=0.01,
    )
    time.sleep(0.2)
    os.killpg(killer.pid, signal.SIGKILL)
    killer.wait(timeout=20)
    assert written(batch)[0] == 0

    # A fresh worker gets the message from the broker (the dead one never acknowledged it).
    _, rescuer_log = celery_alone.worker("rescuer")
    wait_for(
        lambda: batch_state(batch)[0] == "committed",
        what="the third delivery's commit",
        logs=[killer_log, rescuer_log],
    )
    assert written(batch) == (rows, rows, 1)
    assert ImportBatch.objects.values_list("created", "updated", "unchanged").get(pk=batch.pk) == (
        rows,
        0,
        0,
    )
    received = f"Task zhizao.registry.tasks.commit_import_task[{result.id}] received"
    assert killer_log.read_text().count(received) == 2
    assert rescuer_log.read_text().count(received) == 1
    assert "WorkerLostError" in killer_log.read_text()
