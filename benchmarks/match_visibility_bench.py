"""Time from an edit in one process to its visibility in another process's ranking.

    DATABASE_URL=postgres://zhizao:zhizao@127.0.0.1:5432/zhizao_NAME ZHIZAO_DATA_DIR=/tmp/zt-NAME \\
        .venv/bin/python -m pytest -q -s -p no:cacheprovider benchmarks/match_visibility_bench.py

Run through pytest for its database setup (a test database with real commits). The worker
saves a snapshot; a second process (a "web process": ``ZHIZAO_MATCH_BUILD_IN_PROCESS=0``) maps
it and ranks the demand in a loop; this process then publishes a new offering five times (and
withdraws one) through the services, and the other process reports when its ranking first
shows the change. No embedder (the model would add ~30 ms per listing to the apply). Prints one
JSON object; docs/benchmarks.md records the figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.matchmaking import index, services

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, sys, time
import django
django.setup()
from zhizao.matchmaking import index
from zhizao.matchmaking.models import Demand
demand = Demand.objects.get(pk=int(sys.argv[1]))
index.get_index()
print("ready", flush=True)
seen = {m.id for m in index.rank_offerings(demand)}
polls = 0
while True:
    line = sys.stdin.readline().strip()  # the offering id to wait for (+/-)
    if not line:
        break
    sign, key = line[0], line[1:]
    started = time.time()
    while True:
        ids = {m.id for m in index.rank_offerings(demand, top=50)}
        polls += 1
        if (key in ids) == (sign == "+"):
            break
    print(json.dumps({"seen_at": time.time(), "poll_ms": (time.time() - started) * 1000,
                      "snapshot": index._state.snapshot, "polls": polls}), flush=True)
"""


def _url(db: dict) -> str:
    """The test database's URL for the other process (PostgreSQL: SQLite's test database is in
    memory, which another process cannot open)."""
    if "postgresql" not in db["ENGINE"]:
        pytest.skip("needs DATABASE_URL=postgres://… (a database two processes can open)")
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_visibility(settings, tmp_path):
    settings.ZHIZAO_MATCH_EMBEDDER = "none"
    provider = make_organization(name="常州视觉科技有限公司", kind="provider", region="320411")
    puser = make_user("p", role=Role.PROVIDER, organization=provider)
    factory = make_organization()
    euser = make_user("e", role=Role.ENTERPRISE, organization=factory)
    actor = actor_for(puser)

    def offering(title):
        o = services.create_offering(
            actor,
            provider,
            kind="solution",
            title=title,
            description="机器视觉外观缺陷检测，常州本地服务团队。",
            categories=["machine_vision"],
            industries=["29"],
            regions=["320400"],
        )
        return services.publish_offering(actor, o)

    offering("注塑件外观缺陷机器视觉检测系统")
    demand = services.publish_demand(
        actor_for(euser),
        services.create_demand(
            actor_for(euser),
            factory,
            title="注塑件外观缺陷视觉检测",
            description="替代人工目检",
            category="machine_vision",
            industry="2929",
            region="320214",
            budget_band="500k-1m",
            timeline="3m",
            must=[],
            nice=[],
        ),
    )
    report = index.build_snapshot()
    from django.db import connection

    env = dict(
        os.environ,
        DATABASE_URL=_url(connection.settings_dict),
        ZHIZAO_MATCH_EMBEDDER="none",
        ZHIZAO_MATCH_BUILD_IN_PROCESS="0",
        ZHIZAO_MATCH_SNAPSHOT_DIR=str(settings.ZHIZAO_MATCH_SNAPSHOT_DIR),
        DJANGO_SETTINGS_MODULE="zhizao.settings",
    )
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(demand.pk)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert child.stdout.readline().strip() == "ready"
    rows = []
    for i in range(5):
        o = offering(f"PCB外观AOI检测设备 {i}")
        committed = time.time()
        child.stdin.write(f"+{o.pk}\n")
        child.stdin.flush()
        got = json.loads(child.stdout.readline())
        rows.append(
            {"edit": "publish", "visible_after_ms": round((got["seen_at"] - committed) * 1000, 1)}
        )
    services.withdraw_offering(actor, o)
    committed = time.time()
    child.stdin.write(f"-{o.pk}\n")
    child.stdin.flush()
    got = json.loads(child.stdout.readline())
    rows.append(
        {"edit": "withdraw", "visible_after_ms": round((got["seen_at"] - committed) * 1000, 1)}
    )
    child.stdin.close()
    child.wait(30)
    times = sorted(r["visible_after_ms"] for r in rows)
    print(
        json.dumps(
            {
                "snapshot": report,
                "edits": rows,
                "median_ms": times[len(times) // 2],
                "max_ms": times[-1],
                "child_snapshot": got["snapshot"],
                "load_average": [round(x, 1) for x in os.getloadavg()],
            },
            ensure_ascii=False,
        )
    )
