"""The main pages of each role under load, served as in production.

    .venv/bin/python benchmarks/pages_bench.py [--size 2000] [--rate 20] [--seconds 10]
        [--workers 4] [--reuse DIR] [--only NAME,NAME]

1. Builds the demo (SQLite, the demo's default size: what ``scripts/demo.sh`` builds: registry,
   diagnosis, policies, matchmaking with its index, events, calls, review, insights) in a
   working directory (``--reuse DIR`` takes one built before and skips this step).
2. Serves it as docs/operations.md's recipe does: ``gunicorn zhizao.wsgi -w N`` with production
   settings on 127.0.0.1, and one task worker (``zhizao worker``: the report PDF is rendered
   there).
3. Logs in each demo role over HTTP, warms each page (every gunicorn worker builds its
   in-memory ranking index on first use), then for each page an open-loop load at ``--rate``
   requests per second for ``--seconds``: arrivals on a fixed schedule, 8 client threads with
   their own keep-alive connection, latency counted from the scheduled arrival, so queueing
   shows. Reports p50 / p95 / p99 / max per page and any non-200 answer.

The pages: each role's workbench; the registry list (all, a search, a filter) and an
organisation page; the diagnosis list, a report and its PDF (served from storage once the
worker rendered it); 我的政策; policies, scans; demands, offerings, introductions; the
ranking-backed pages: a demand with its matches and a provider's offering with the demands
that fit; the funnel, the audit log, the dashboards, the statistics.

Prints one JSON object; docs/benchmarks.md records the figures with the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BIN = Path(PY).parent
PASSWORD = "Zhizao#2026demo"  # noqa: S105 - the documented demo password
ROLES = ("enterprise", "provider", "bank", "officer", "operator", "expert", "society")
DEMO_STEPS = [
    ["migrate", "-v0"],
    ["registry_load_reference"],
    ["registry_demo", "--size", "{size}"],
    ["diagnosis_demo"],
    ["policies_demo"],
    ["match_demo"],
    ["events_demo"],
    ["calls_demo"],
    ["classroom_demo"],
    ["review_demo"],
    ["insights_demo"],
    # as scripts/demo.sh: the ranking snapshot with every listing embedded, before serving
    ["match_snapshot"],
]

# Run inside Django (``manage.py shell -c``): the ids the page list needs, as JSON.
DISCOVER = r"""
import json
from django.db.models import Count
from zhizao.accounts.models import Membership
from zhizao.diagnosis.models import Assessment
from zhizao.matchmaking.models import Demand, Offering
from zhizao.policies.models import Scan
def org(u):
    return Membership.objects.filter(user__username=u).values_list("organization_id", flat=True).first()
ent, prov = org("enterprise"), org("provider")
report = (Assessment.objects.filter(organization_id=ent, state="submitted").order_by("-submitted_at").first()
          or Assessment.objects.filter(state="submitted").order_by("-submitted_at").first())
demand = (Demand.objects.filter(enterprise_id=ent).order_by("-id").first()
          or Demand.objects.order_by("-id").first())
offering = (Offering.objects.filter(provider_id=prov).order_by("id").first()
            or Offering.objects.order_by("id").first())
other = (Assessment.objects.filter(state="submitted").values("organization_id")
         .annotate(n=Count("id")).order_by("-n").first())
scan = Scan.objects.order_by("-id").first()
print(json.dumps({"enterprise": ent, "provider": prov, "report": report.pk,
                  "demand": demand.pk if demand else None,
                  "offering": offering.pk if offering else None,
                  "organization": other["organization_id"],
                  "scan": scan.pk if scan else None}))
"""


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(role, page name, path)."""
    out = [(role, "workbench", "/") for role in ROLES]
    out += [
        ("enterprise", "diagnosis: my assessments", "/diagnosis/"),
        ("enterprise", "diagnosis: report", f"/diagnosis/a/{ids['report']}/report/"),
        (
            "enterprise",
            "diagnosis: report PDF (stored)",
            f"/diagnosis/a/{ids['report']}/report.pdf",
        ),
        ("enterprise", "policies: 我的政策", "/policies/mine/"),
        ("enterprise", "registry: own organisation", f"/registry/{ids['enterprise']}/"),
        ("enterprise", "matchmaking: demands", "/matchmaking/demands/"),
        ("enterprise", "matchmaking: demand + matches", f"/matchmaking/demands/{ids['demand']}/"),
        ("enterprise", "matchmaking: introductions", "/matchmaking/introductions/"),
        ("provider", "matchmaking: home", "/matchmaking/"),
        ("provider", "matchmaking: demands", "/matchmaking/demands/"),
        (
            "provider",
            "matchmaking: offering + matching demands",
            f"/matchmaking/offerings/{ids['offering']}/",
        ),
        ("provider", "matchmaking: introductions", "/matchmaking/introductions/"),
        ("officer", "registry: list", "/registry/"),
        ("officer", "registry: search 数控", "/registry/?" + urlencode({"q": "数控"})),
        ("officer", "registry: Jiangsu, large", "/registry/?province=320000&size=large"),
        ("officer", "registry: organisation", f"/registry/{ids['organization']}/"),
        ("officer", "policies: list", "/policies/"),
        ("officer", "policies: scans", "/policies/scans/"),
        ("officer", "diagnosis: statistics", "/diagnosis/statistics/"),
        ("officer", "insights: dashboard", "/insights/"),
        ("operator", "diagnosis: assessments", "/diagnosis/"),
        ("operator", "diagnosis: campaigns", "/diagnosis/campaigns/"),
        ("operator", "matchmaking: funnel", "/matchmaking/funnel/"),
        ("operator", "matchmaking: offerings", "/matchmaking/offerings/"),
        ("operator", "registry: imports", "/registry/imports/"),
        ("operator", "audit log", "/audit/"),
        ("operator", "accounts: users", "/accounts/users/"),
    ]
    if ids.get("scan"):
        out.append(("officer", "policies: scan", f"/policies/scans/{ids['scan']}/"))
    # without the matchmaking demo (a partial build) its detail pages cannot be measured
    return [p for p in out if "/None/" not in p[2]]


# --- HTTP with cookies ------------------------------------------------------------------------


class Session:
    """A logged-in user: its cookies, and one keep-alive connection per thread."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.local = threading.local()

    def conn(self) -> http.client.HTTPConnection:
        c = getattr(self.local, "conn", None)
        if c is None:
            c = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return c

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, dict]:
        headers = {"Host": "127.0.0.1", "Accept-Language": "zh-CN"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}/accounts/login/"
        for attempt in (1, 2):
            c = self.conn()
            try:
                c.request(method, path, body=body, headers=headers)
                r = c.getresponse()
                data = r.read()
                break
            except (http.client.HTTPException, ConnectionError):
                c.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                k, _, v = value.split(";", 1)[0].partition("=")
                self.cookies[k.strip()] = v.strip()
        return r.status, data, dict(r.getheaders())

    def login(self, username: str) -> None:
        _s, body, _h = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
        status, _b, _h = self.request("POST", "/accounts/login/", form)
        assert status == 302, (username, status)
        assert "sessionid" in self.cookies, username


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def open_loop(session: Session, path: str, *, rate: float, seconds: float, threads: int = 8):
    """GET ``path`` at ``rate``/s for ``seconds``; latency (ms) from the scheduled arrival."""
    start = time.perf_counter() + 0.05
    arrivals = [start + i / rate for i in range(int(rate * seconds))]
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    index = [0]

    def worker():
        while True:
            with lock:
                if index[0] >= len(arrivals):
                    return
                due = arrivals[index[0]]
                index[0] += 1
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status, _body, _h = session.request("GET", path)
            with lock:
                latencies.append((time.perf_counter() - due) * 1000)
                statuses[status] = statuses.get(status, 0) + 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, statuses


# --- build and serve --------------------------------------------------------------------------


def environment(workdir: Path, port: int) -> dict:
    return {
        **os.environ,
        "ZHIZAO_DATA_DIR": str(workdir),
        "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
        "ZHIZAO_SECRET_KEY": "bench-" + "x" * 60,
        "ZHIZAO_SSL_REDIRECT": "false",
        "ZHIZAO_ALLOWED_HOSTS": "127.0.0.1",
        "ZHIZAO_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
        "ZHIZAO_LOGIN_RATE_PER_IP": "100000",
        "ZHIZAO_API_RATE": "1000000/hour",
    }


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(env: dict, size: int) -> dict:
    """Each step's wall time and CPU time (user + system of the step's process), seconds."""
    timings = {}
    for step in DEMO_STEPS:
        cmd = [a.format(size=size) for a in step]
        started, cpu = time.perf_counter(), children_cpu()
        subprocess.run(
            [PY, str(ROOT / "manage.py"), *cmd], env=env, check=True, capture_output=True
        )
        timings[step[0]] = {
            "wall": round(time.perf_counter() - started, 1),
            "cpu": round(children_cpu() - cpu, 1),
        }
        print(
            f"{step[0]}: {timings[step[0]]['wall']} s ({timings[step[0]]['cpu']} s CPU), "
            f"load {os.getloadavg()[0]:.1f}",
            file=sys.stderr,
        )
    return timings


def group_cpu(pgid: int) -> dict:
    """CPU seconds (user + system) of the live processes of a process group, and their nice."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu, nice = 0.0, set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields from the state on: pgrp is the third
            cpu += (int(fields[11]) + int(fields[12])) / tick
            nice.add(int(fields[16]))
    return {"cpu_s": round(cpu, 1), "nice": sorted(nice)}


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing listens on {port}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8777)
    parser.add_argument("--reuse", default="", help="a directory built by an earlier run")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument("--only", default="", help="comma-separated page names to measure")
    args = parser.parse_args()

    workdir = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="zhizao-pages-"))
    env = environment(workdir, args.port)
    timings = {} if args.reuse else build(env, args.size)
    ids = json.loads(
        subprocess.run(
            [PY, str(ROOT / "manage.py"), "shell", "-c", DISCOVER],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    prod = {**env, "ZHIZAO_ENV": "production"}
    # the production static files storage (hashed names, the manifest)
    subprocess.run(
        [PY, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], env=prod, check=True
    )
    web = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "zhizao.wsgi",
            "-b",
            f"127.0.0.1:{args.port}",
            "-w",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env={**prod, "PYTHONPATH": str(ROOT / "src")},
        cwd=ROOT,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [PY, str(ROOT / "manage.py"), "worker", "--no-reload", "--no-schedule", "-v0"],
        env=prod,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    results = []
    load_at_start = os.getloadavg()
    try:
        wait_for(args.port)
        sessions = {}
        for role in ROLES:
            sessions[role] = Session(args.port)
            sessions[role].login(role)
        todo = pages(ids)
        if args.only:
            wanted = set(args.only.split(","))
            todo = [p for p in todo if p[1] in wanted or f"{p[0]}:{p[1]}" in wanted]
        # Warm-up: each gunicorn worker loads its caches (the ranking index on first use, a
        # page's ranking in its process); the report PDF is asked for until the worker has
        # rendered and stored it. The warm requests go out from ``--workers`` threads at once,
        # each on its own connection: sync workers each take one, so every worker is warmed
        # (requests one after another on one keep-alive connection all reach the same worker).
        for role, name, path in todo:

            def warm(_i, role=role, path=path):
                return sessions[role].request("GET", path)

            for _ in range(2):
                with ThreadPoolExecutor(args.workers) as pool:
                    status, _body, headers = list(pool.map(warm, range(args.workers)))[-1]
            if path.endswith(".pdf"):
                deadline = time.monotonic() + 120
                while "application/pdf" not in headers.get("Content-Type", ""):
                    assert time.monotonic() < deadline, "the report PDF was never rendered"
                    time.sleep(1)
                    status, _body, headers = sessions[role].request("GET", path)
            print(f"warm {role:10} {name}: {status}", file=sys.stderr)
        for role, name, path in todo:
            ms, statuses = open_loop(sessions[role], path, rate=args.rate, seconds=args.seconds)
            row = {
                "role": role,
                "page": name,
                "path": path,
                "n": len(ms),
                "p50_ms": round(statistics.median(ms), 1),
                "p95_ms": round(pct(ms, 95), 1),
                "p99_ms": round(pct(ms, 99), 1),
                "max_ms": round(max(ms), 1),
                "statuses": statuses,
            }
            results.append(row)
            print(
                f"{role:10} {name:45} p50 {row['p50_ms']:7.1f}  p99 {row['p99_ms']:7.1f}  "
                f"{statuses}",
                file=sys.stderr,
            )
        processes = {"web": group_cpu(web.pid), "worker": group_cpu(worker.pid)}
    finally:
        for proc in (web, worker):
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in (web, worker):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if not args.reuse and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(
        json.dumps(
            {
                "machine": {
                    "node": platform.node(),
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "load_average_at_start": load_at_start,
                    "load_average": os.getloadavg(),
                },
                # CPU time of gunicorn (master and workers) and of the task worker over the
                # whole run (warm-up included), and their niceness
                "processes": processes,
                "size": args.size,
                "rate": args.rate,
                "seconds": args.seconds,
                "gunicorn_workers": args.workers,
                "build_s": timings,
                "workdir": str(workdir) if (args.reuse or args.keep) else "",
                "pages": results,
                "over_300ms_p99": [r["page"] for r in results if r["p99_ms"] >= 300],
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
