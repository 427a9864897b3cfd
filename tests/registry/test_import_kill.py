"""A worker killed with SIGKILL in the middle of an import's write leaves nothing written; the
next worker finds the lost task, runs it again, and the whole batch lands once.

This test runs real processes (``zhizao worker``) against a database of its own: a fresh SQLite
file, or a fresh PostgreSQL database when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
ROWS = 30000


def zhizao(env, *args, check=True):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=check,
        timeout=600,
    )


def query(env, code: str) -> str:
    out = zhizao(env, "shell", "-c", code)
    return out.stdout.strip().splitlines()[-1]


@pytest.fixture
def own_database(tmp_path):
    env = {
        **os.environ,
        "ZHIZAO_DATA_DIR": str(tmp_path),
        "ZHIZAO_WORKER_STALE_SECONDS": "3600",
        "ZHIZAO_LOG_LEVEL": "WARNING",
    }
    default = settings.DATABASES["default"]
    dbname = None
    if default["ENGINE"].endswith("postgresql"):
        import psycopg

        dbname = f"zhizao_kill_{uuid.uuid4().hex[:8]}"
        params = {
            "host": default["HOST"] or "127.0.0.1",
            "port": default["PORT"] or 5432,
            "user": default["USER"],
            "password": default["PASSWORD"],
            "dbname": "postgres",
            "autocommit": True,
        }
        with psycopg.connect(**params) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = (
            f"postgres://{default['USER']}:{default['PASSWORD']}@"
            f"{params['host']}:{params['port']}/{dbname}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    zhizao(env, "migrate", "-v0")
    zhizao(env, "registry_load_reference")
    yield env
    if dbname:
        with psycopg.connect(**params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def write_file(path: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from zhizao_core.registry.uscc import make_uscc

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "名称",
                "统一社会信用代码",
                "机构类型",
                "行政区划代码",
                "行业代码",
                "主要产品",
                "联系人",
                "联系电话",
            ]
        )
        for i in range(ROWS):
            writer.writerow(
                [
                    f"无锡测试{i:05d}精密机械有限公司",
                    make_uscc(region="320214", serial=300000 + i),
                    "制造企业",
                    "320214",
                    "3421",
                    "数控车床、加工中心",
                    "张伟",
                    "13912345678",
                ]
            )


def test_kill_9_during_import_write_leaves_nothing_then_retry_lands_everything(
    own_database, tmp_path
):
    env = own_database
    path = tmp_path / "big.csv"
    write_file(path)
    batch_id = query(
        env,
        (
            "from zhizao.common.audit import Actor;"
            "from zhizao.registry.services.imports import commit_import, create_batch, "
            "run_import_check;"
            f"b = create_batch(Actor(), name='big.csv', data=open({str(path)!r}, 'rb').read());"
            "run_import_check(b); b.refresh_from_db();"
            "assert b.valid == %d, (b.valid, b.errors[:3]);"
            # more rows than ZHIZAO_IMPORT_INLINE_ROWS: the service queues the task
            "b = commit_import(Actor(), b, skip_invalid=False);"
            "assert b.state == 'queued', b.state; print(b.pk)"
        )
        % ROWS,
    )
    state_query = (
        "from zhizao.registry.models import ImportBatch, Organization;"
        f"b = ImportBatch.objects.get(pk={batch_id!r});"
        "print(b.state, b.phase, Organization.objects.count())"
    )

    worker = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "worker",
            "--no-schedule",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        state = ""
        while time.monotonic() < deadline:
            state = query(env, state_query)
            if state.split()[1] == "writing":
                break
            time.sleep(0.05)
        assert state.split()[:2] == ["committing", "writing"], state
        time.sleep(0.3)  # well inside the single write transaction
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    # Nothing of the batch is visible: the transaction died with the worker.
    assert query(env, state_query).split() == ["committing", "writing", "0"]
    assert (
        query(
            env,
            "from django_tasks_db.models import DBTaskResult;"
            "print(DBTaskResult.objects.get().status)",
        )
        == "RUNNING"
    )

    # A new worker on this host sees the dead worker's process is gone, requeues the task
    # (imports are retry-safe) and runs it to the end.
    worker = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "worker",
            "--no-schedule",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--batch",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert worker.wait(timeout=300) == 0
    assert query(env, state_query).split() == ["committed", "done", str(ROWS)]
    assert query(
        env,
        "from zhizao.common.models import AuditEntry;"
        "print(AuditEntry.objects.filter(action='create', content_type__model='organization').count())",
    ) == str(ROWS)
