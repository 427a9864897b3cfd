"""The demo conference's public pages under a real server at a fixed request rate.

    .venv/bin/python benchmarks/events_pages_bench.py [--rate 50] [--seconds 20]
        [--size 2000] [--database-url URL] [--workdir DIR] [--cached-only]

1. Builds the demo (``registry_demo --size N``, ``match_demo``, ``events_demo``: the World
   Intelligent Manufacturing Conference with 150 exhibitors, 34 sessions) in a temporary
   directory on SQLite (or ``--database-url``); ``--workdir`` reuses a directory built before.
2. Starts gunicorn (2 workers, production settings) on 127.0.0.1 twice: once with the public
   page cache off (``ZHIZAO_EVENTS_PUBLIC_CACHE=0``, the baseline: every request queries and
   renders) and once with it on (the default).
3. A second process sends an open-loop load at ``--rate`` requests per second for ``--seconds``
   (arrivals on a fixed schedule, 24 client threads, latency counted from the scheduled
   arrival, so queueing shows), the pages in turn: the programme with what is live now, the
   exhibitor search (several Chinese queries and a zone), booth pages and session pages (each
   request a different one), halls and speakers.

Prints p50/p99 per page for both runs side by side and the gunicorn workers' CPU time per
request (user + system, from /proc: the figure that means something on a shared machine),
then one JSON object; docs/benchmarks.md
records the figures with the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SEARCHES = ["", "机器人", "数控 机床", "视觉", "智能制造", "传感器", "软件", "检测"]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def load_main() -> None:
    """Second process: open-loop load, prints the latencies per page kind."""
    job = json.loads(sys.argv[2])
    rate, seconds, port = job["rate"], job["seconds"], job["port"]
    kinds = list(job["paths"])
    start = time.perf_counter() + 0.1
    arrivals = [(start + i / rate, kinds[i % len(kinds)], i) for i in range(int(rate * seconds))]
    lock = threading.Lock()
    out: dict[str, list[float]] = {k: [] for k in kinds}
    errors: list[str] = []
    index = [0]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if index[0] >= len(arrivals):
                    return
                due, kind, n = arrivals[index[0]]
                index[0] += 1
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            paths = job["paths"][kind]
            path = paths[(n // len(kinds)) % len(paths)]
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            with lock:
                out[kind].append((time.perf_counter() - due) * 1000)
                if status != 200:
                    errors.append(f"{status} {path}")

    threads = [threading.Thread(target=worker) for _ in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"latencies": out, "errors": errors}))


def manage(env: dict, *args: str, capture: bool = True) -> str:
    result = subprocess.run(
        [PY, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        capture_output=capture,
        text=True,
        cwd=ROOT,
    )
    return result.stdout if capture else ""


def build(env: dict, size: int) -> None:
    demo_env = {k: v for k, v in env.items() if k != "ZHIZAO_ENV"}  # demo refused in production
    manage(demo_env, "migrate", "-v0")
    manage(demo_env, "registry_load_reference")
    manage(demo_env, "registry_demo", "--size", str(size))
    manage(demo_env, "match_demo")
    manage(demo_env, "events_demo")
    manage(env, "collectstatic", "--noinput", "-v0")


def page_paths(env: dict) -> dict[str, list[str]]:
    script = (
        "import json; from zhizao.events.models import Event, Booth, Session, Zone;"
        "e = Event.objects.get(title='2026 世界智能制造大会');"
        "print(json.dumps({'event': e.pk,"
        "'booths': list(Booth.objects.filter(event=e).order_by('id').values_list('pk', flat=True)),"
        "'sessions': list(Session.objects.filter(event=e).order_by('id').values_list('pk', flat=True)),"
        "'zones': list(Zone.objects.filter(hall__event=e).order_by('id').values_list('pk', flat=True)[:5])}))"
    )
    ids = json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])
    event = ids["event"]
    base = f"/events/public/{event}"
    searches = [f"{base}/exhibitors/?q={quote(q)}" for q in SEARCHES]
    searches += [f"{base}/exhibitors/?zone={z}" for z in ids["zones"]]
    searches += [f"{base}/exhibitors/?page=3"]
    return {
        "programme": [f"{base}/"],
        "exhibitor search": searches,
        "booth page": [f"/events/public/booths/{b}/" for b in ids["booths"]],
        "session page": [f"/events/public/sessions/{s}/" for s in ids["sessions"]],
        "halls": [f"{base}/halls/"],
        "speakers": [f"{base}/speakers/"],
    }


def server_cpu_s(master: int) -> float:
    """User + system CPU seconds of the gunicorn master's worker processes (Linux /proc). On a
    shared machine this, not the latency, tells what a request costs."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def run(env: dict, port: int, paths: dict, rate: float, seconds: float) -> dict:
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "zhizao.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--access-logfile",
            "/dev/null",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(150):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        # warm-up: every page once (imports, templates, and the cache when it is on)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for kind_paths in paths.values():
            for path in kind_paths:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    raise SystemExit(f"{path}: HTTP {response.status}")
        job = {"port": port, "paths": paths, "rate": rate, "seconds": seconds}
        cpu_before = server_cpu_s(server.pid)
        out = subprocess.run(
            [PY, __file__, "--load", json.dumps(job)], capture_output=True, text=True, check=True
        )
        cpu = server_cpu_s(server.pid) - cpu_before
        result = json.loads(out.stdout)
    finally:
        server.terminate()
        server.wait()
    return {
        kind: {
            "n": len(lat),
            "p50_ms": round(statistics.median(lat), 1),
            "p99_ms": round(pct(lat, 99), 1),
        }
        for kind, lat in result["latencies"].items()
    } | {
        "errors": len(result["errors"]),
        "server_cpu_ms_per_request": round(
            cpu * 1000 / max(1, sum(len(lat) for lat in result["latencies"].values())), 2
        ),
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        load_main()
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workdir", default="")
    parser.add_argument("--cached-only", action="store_true", help="skip the uncached baseline")
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="zhizao-expo-pages-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "ZHIZAO_DATA_DIR": str(workdir),
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'pages.sqlite3'}",
        "ZHIZAO_ENV": "production",
        "ZHIZAO_SECRET_KEY": "bench-" + "x" * 60,
        "ZHIZAO_SSL_REDIRECT": "false",
        "ZHIZAO_ALLOWED_HOSTS": "127.0.0.1",
    }
    if not (workdir / "built").exists():
        started = time.perf_counter()
        build(env, args.size)
        (workdir / "built").write_text("")
        print(f"demo built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    else:
        manage({k: v for k, v in env.items() if k != "ZHIZAO_ENV"}, "migrate", "-v0")
        if not (workdir / "static" / "staticfiles.json").exists():
            manage(env, "collectstatic", "--noinput", "-v0")
    paths = page_paths(env)
    results = {}
    runs = (("uncached (baseline)", "0"), ("cached", "1"))
    for name, flag in runs[1:] if args.cached_only else runs:
        results[name] = run(
            env | {"ZHIZAO_EVENTS_PUBLIC_CACHE": flag}, args.port, paths, args.rate, args.seconds
        )
    print(
        f"machine: {platform.node()} · {os.cpu_count()} cores · {args.rate:g} req/s open loop · "
        f"{args.seconds:g} s per run · gunicorn 2 workers",
        file=sys.stderr,
    )
    header = f"{'page':<18}" + "".join(f"{n + ' p50/p99 ms':>34}" for n in results)
    print(header, file=sys.stderr)
    for kind in paths:
        row = f"{kind:<18}"
        for figures in results.values():
            row += f"{figures[kind]['p50_ms']:>24.1f} / {figures[kind]['p99_ms']:<7.1f}"
        print(row, file=sys.stderr)
    for name, figures in results.items():
        print(
            f"{name}: server CPU {figures['server_cpu_ms_per_request']} ms per request",
            file=sys.stderr,
        )
    print(json.dumps({"machine": platform.node(), "cores": os.cpu_count(), "results": results}))


if __name__ == "__main__":
    main()
