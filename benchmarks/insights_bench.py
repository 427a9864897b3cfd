"""Dashboards and the monthly report at scale.

    .venv/bin/python benchmarks/insights_bench.py [--orgs 100000] [--seconds 15] [--rate 20]
        [--database-url URL] [--with-diagnosis] [--base MIGRATED.sqlite3] [--workdir DIR]

1. Builds a demo database (``registry_demo --size N`` with its 18 months of history,
   ``policies_demo``: projects, loans, recognitions; ``diagnosis_demo`` with
   ``--with-diagnosis``) in a temporary directory (SQLite unless ``--database-url``; with
   ``--base``, from a copy of an SQLite file already migrated with the reference data). Each
   step's wall and CPU time, the load average before and after.
2. Rebuilds the summary tables (``refresh_facts``) and times it; then adds 100 enterprises
   and marks last month as edited (an hour's writes) and times the incremental refresh.
3. One dashboard page drawn from the summary tables per scope (a cache miss: time, query
   count, the slowest queries) and the same page from the cache; the drawing of every
   officer's first page after a refresh.
4. Open-loop load at ``--rate`` requests per second for ``--seconds`` (arrivals on a fixed
   schedule, two worker threads, latency counted from the scheduled arrival, so queueing
   shows): the dashboard page of a provincial officer (Jiangsu) and of a city officer (Wuxi)
   through Django's test client (whole view: queries, SVG charts, map, template), side by side
   with the same figures computed by plain aggregate queries over the base tables (the
   figures' querysets filtered by scope and period, grouped by month and key: no rendering;
   arrivals still queued after 3 × ``--seconds`` are counted as not served). The page is
   measured twice: the default page (drawn after the refresh, then from the cache) and four
   filter sets in turn (the first view of each drawn during the run).
5. The monthly report of the previous month as Word and as PDF (median of 3).

Prints one JSON object; docs/benchmarks.md records the figures with the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def summary(ms: list[float], cpu_s: float | None = None) -> dict:
    extra = {} if cpu_s is None else {"cpu_ms_per_request": round(cpu_s * 1000 / len(ms), 2)}
    return extra | {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(pct(ms, 95), 1),
        "p99_ms": round(pct(ms, 99), 1),
        "max_ms": round(max(ms), 1),
    }


def max_rss_mb() -> float:
    """This process's peak resident memory (the page, the refresh's driver and the report all
    run in it; on SQLite the database's page cache too)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def open_loop(
    fn, *, rate: float, seconds: float, workers: int = 2, give_up: float = 0
) -> tuple[list[float], int]:
    """Call ``fn`` at ``rate``/s for ``seconds``; latency from the scheduled arrival. With
    ``give_up``, arrivals still waiting ``give_up`` seconds after the start are not served
    (returned as a count: a path slower than the arrival rate would queue for many minutes)."""
    start = time.perf_counter() + 0.05
    arrivals = [start + i / rate for i in range(int(rate * seconds))]
    lock = threading.Lock()
    latencies: list[float] = []
    index = [0]

    def worker():
        while True:
            with lock:
                if index[0] >= len(arrivals):
                    return
                if give_up and time.perf_counter() > start + give_up:
                    return
                due = arrivals[index[0]]
                index[0] += 1
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            fn()
            with lock:
                latencies.append((time.perf_counter() - due) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, len(arrivals) - len(latencies)


def build(env: dict, orgs: int, with_diagnosis: bool, base: bool = False) -> dict:
    """Each step's wall time and CPU time (user + system of the step's process, which does
    the generating and, on SQLite, the database's work too)."""
    manage = [PY, str(ROOT / "manage.py")]
    timings = {}
    steps = [] if base else [("migrate", ["migrate", "-v0"])]
    if not base:
        steps.append(("reference", ["registry_load_reference"]))
    steps.append(("registry_demo", ["registry_demo", "--size", str(orgs)]))
    steps.append(("policies_demo", ["policies_demo"]))
    if with_diagnosis:
        steps.append(("diagnosis_demo", ["diagnosis_demo"]))
    for name, cmd in steps:
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([*manage, *cmd], env=env, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        timings[name] = {
            "s": round(time.perf_counter() - started, 1),
            "cpu_s": round(cpu, 1),
            "max_rss_mb_of_steps_so_far": round(after.ru_maxrss / 1024, 1),
        }
        print(f"{name}: {timings[name]} load {os.getloadavg()}", file=sys.stderr)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=100000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--with-diagnosis", action="store_true")
    parser.add_argument("--reuse", default="", help="an existing demo database URL (no build)")
    parser.add_argument(
        "--base",
        default="",
        help="SQLite: start the build from a copy of this migrated file with the reference data"
        " (skips migrate and registry_load_reference)",
    )
    parser.add_argument("--workdir", default="", help="where the database and files go")
    parser.add_argument("--no-refresh", action="store_true", help="with --reuse: keep its tables")
    parser.add_argument(
        "--pages-only", action="store_true", help="with --reuse: the cached page's load only"
    )
    args = parser.parse_args()
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="zhizao-insights-", dir=args.workdir or None))
    url = args.reuse or args.database_url or f"sqlite:///{workdir / 'insights.sqlite3'}"
    env = {**os.environ, "ZHIZAO_DATA_DIR": str(workdir), "DATABASE_URL": url}
    result: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": url.split(":", 1)[0],
        "orgs": args.orgs,
    }
    result["load_average_start"] = os.getloadavg()
    if not args.reuse:
        if args.base:
            shutil.copyfile(args.base, workdir / "insights.sqlite3")
        result["build"] = build(env, args.orgs, args.with_diagnosis, base=bool(args.base))
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth
    from django.test import Client
    from django.utils import timezone

    from tests.factories import actor_for, make_organization, make_user
    from zhizao.accounts.enums import Role
    from zhizao.insights import services
    from zhizao.insights.access import Scope
    from zhizao.insights.cli import report_bytes
    from zhizao.insights.providers import figures
    from zhizao.insights.records import records_queryset
    from zhizao.insights.selectors import Filters, default_period
    from zhizao.registry.models import Organization, Region
    from zhizao_core.insights import add_months
    from zhizao_core.registry.uscc import make_uscc

    if args.pages_only:
        args.no_refresh = True
    if not args.no_refresh:
        started, cpu0 = time.perf_counter(), time.process_time()
        refresh = services.refresh_facts()
        result["refresh"] = {
            "seconds": round(time.perf_counter() - started, 2),
            "cpu_s": round(time.process_time() - cpu0, 2),
            "rows": refresh.rows,
            "load_average": os.getloadavg(),
        }
        print(f"refresh: {result['refresh']}", file=sys.stderr)
        # An hour of writes: 100 new enterprises this month, and edits marked in last month.
        from zhizao.insights.dirty import mark_months

        base = 960000 + time.time_ns() % 9000
        for i in range(100):
            make_organization(
                name=f"基准增量{base + i}有限公司",
                region="320205",
                uscc=make_uscc(region="320205", serial=base + i),
            )
        today = timezone.localdate()
        mark_months([add_months(today.replace(day=1), -1)])
        started, cpu0 = time.perf_counter(), time.process_time()
        refresh = services.refresh_facts(incremental=True)
        result["refresh_incremental"] = {
            "seconds": round(time.perf_counter() - started, 2),
            "cpu_s": round(time.process_time() - cpu0, 2),
            "rows": refresh.rows,
            "months": refresh.months,
        }
        print(f"incremental: {result['refresh_incremental']}", file=sys.stderr)
    from zhizao.diagnosis.models import Assessment
    from zhizao.policies.models import Loan, Payment, Project, Recognition

    result["records"] = {
        model.__name__: model.objects.count()
        for model in (Organization, Assessment, Project, Loan, Payment, Recognition)
    }

    serial = 970000 + time.time_ns() % 9000
    operator = make_user(
        f"bench-op-{serial}",
        role=Role.OPERATOR,
        organization=make_organization(
            name=f"基准联盟{serial}",
            kind="society",
            region="320102",
            industry=None,
            uscc=make_uscc(region="320102", serial=serial),
        ),
    )
    users = {}
    for code in ("320000", "320200"):
        serial += 1
        region = {"320000": "320102", "320200": "320205"}[code]
        bureau = make_organization(
            name=f"基准工信{code}-{serial}",
            kind="government",
            region=region,
            industry=None,
            uscc=make_uscc(region=region, serial=serial),
        )
        users[code] = make_user(
            f"bench-{code}-{time.time_ns()}", role=Role.OFFICER, organization=bureau
        )
        services.set_jurisdiction(actor_for(operator), bureau, Region.objects.get(code=code))
    start, end = default_period()
    query = f"start={start:%Y-%m}&end={end:%Y-%m}"
    local = threading.local()

    def client_for(code):
        if not hasattr(local, "clients"):
            local.clients = {}
        if code not in local.clients:
            c = Client()
            c.force_login(users[code])
            local.clients[code] = c
        return local.clients[code]

    variants = {
        "320000": ["", "&region=320200", "&size=small", "&map=policies.projects"],
        "320200": ["", "&region=320205", "&size=small", "&map=policies.projects"],
    }

    def page(code, rotate=False):
        turn = [0]

        def call():
            extra = ""
            if rotate:
                with lock:
                    extra = variants[code][turn[0] % len(variants[code])]
                    turn[0] += 1
            response = client_for(code).get(f"/insights/?{query}{extra}", HTTP_HOST="127.0.0.1")
            assert response.status_code == 200, response.status_code
            connection.close_if_unusable_or_obsolete()

        return call

    lock = threading.Lock()

    def plain(code, level):
        scope = Scope(code=code, level=level)
        filters = Filters(scope=scope, start=start, end=end)

        def call():
            for fig in figures():
                qs = records_queryset(fig, filters).order_by()
                qs = qs.annotate(m=TruncMonth(fig.date))
                dims = ["m", *([fig.key] if fig.key else [])]
                value = Sum(fig.amount) if fig.amount else Count("pk")
                list(qs.values(*dims).annotate(v=value))

        return call

    # The page drawn from the summary tables (a cache miss): time and queries, per scope.
    from django.test.utils import CaptureQueriesContext

    from zhizao.insights.rendering import warm_dashboards
    from zhizao.insights.selectors import last_refresh

    cold = {}
    for code in ("320000", "320200"):
        client_for(code)  # log in outside the measurement
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            page(code)()
            took = time.perf_counter() - t0
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
        cold[code] = {
            "ms": round(took * 1000, 1),
            "queries": len(queries),
            "query_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 1),
            "slowest": [
                {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:160]} for q in slowest
            ],
        }
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            page(code)()
            cold[code]["cached_ms"] = round((time.perf_counter() - t0) * 1000, 1)
            cold[code]["cached_queries"] = len(queries)
        print(f"page drawn {code}: {cold[code]}", file=sys.stderr)
    result["page_drawn"] = cold
    t0 = time.perf_counter()
    drawn = warm_dashboards(last_refresh())
    result["warm_after_refresh"] = {"pages": drawn, "seconds": round(time.perf_counter() - t0, 2)}

    level = {"320000": "province", "320200": "city"}
    load = {}
    give_up = args.seconds * 3
    for code in ("320000", "320200"):
        cpu0 = time.process_time()  # this process's CPU (the page runs in it: no server)
        ms, unserved = open_loop(page(code), rate=args.rate, seconds=args.seconds)
        load[f"dashboard page {code}"] = summary(ms, time.process_time() - cpu0)
        print(f"page {code}: {load[f'dashboard page {code}']}", file=sys.stderr)
        if not args.pages_only:
            cpu0 = time.process_time()
            ms, unserved = open_loop(page(code, rotate=True), rate=args.rate, seconds=args.seconds)
            rotated = summary(ms, time.process_time() - cpu0)
            load[f"dashboard pages {code}, 4 filter sets, first view of each drawn"] = rotated
            print(f"pages {code}: {rotated}", file=sys.stderr)
        cpu0 = time.process_time()
        ms, unserved = open_loop(
            plain(code, level[code]), rate=args.rate, seconds=args.seconds, give_up=give_up
        )
        load[f"plain aggregates {code}"] = {
            **(summary(ms, time.process_time() - cpu0) if ms else {"n": 0}),
            "not_served_within_s": [unserved, give_up],
        }
        print(f"plain {code}: {load[f'plain aggregates {code}']}", file=sys.stderr)
    result["load"] = {"rate_per_s": args.rate, "seconds": args.seconds, **load}

    if args.pages_only:
        result["load_average_end"] = os.getloadavg()
        result["max_rss_mb"] = max_rss_mb()
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    month = add_months(timezone.localdate().replace(day=1), -1)
    report = {}
    for fmt in ("docx", "pdf"):
        times, cpus = [], []
        for _ in range(3):
            t0, cpu0 = time.perf_counter(), time.process_time()
            body = report_bytes(month=f"{month:%Y-%m}", fmt=fmt)
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - cpu0)
        report[fmt] = {
            "median_s": round(statistics.median(times), 2),
            "median_cpu_s": round(statistics.median(cpus), 2),
            "bytes": len(body),
        }
    result["report"] = report
    result["load_average_end"] = os.getloadavg()
    result["max_rss_mb"] = max_rss_mb()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
