"""Latency of the registry list page and the API list with many organisations, under load.

    .venv/bin/python benchmarks/list_bench.py --orgs 100000 [--concurrency 4] [--seconds 20]

A fresh SQLite database (or --database-url) gets the demo registry of --orgs organisations. The
platform runs under gunicorn (2 workers, production settings) on 127.0.0.1; a second process
drives requests with a fixed concurrency and records every latency. The health endpoint (one
``SELECT 1``) under the same load is the baseline. Median and p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
QUERIES = [
    {},
    {"kind": "manufacturer"},
    {"province": "320000"},
    {"province": "320000", "city": "320200"},
    {"q": "数控"},
    {"q": "机器视觉"},
    {"division": "34"},
    {"size": "large", "sort": "-revenue"},
    {"q": "精密", "province": "330000"},
    {"page": "40"},
    {"chain": "js-ev"},
]


def drive(
    port: int,
    paths: list[str],
    headers: dict,
    concurrency: int,
    seconds: float,
    out: list[float],
    errors: list[int],
) -> None:
    deadline = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            path = rng.choice(paths)
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - start) * 1000
            if response.status != 200:
                errors.append(response.status)
            out.append(elapsed)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def load_main() -> None:
    """Second process: read the job from argv, drive the load, print the latencies."""
    job = json.loads(sys.argv[2])
    out: list[float] = []
    errors: list[int] = []
    drive(
        job["port"], job["paths"], job["headers"], job["concurrency"], job["seconds"], out, errors
    )
    print(json.dumps({"latencies": out, "errors": errors}))


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        load_main()
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=100000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="zhizao-list-"))
    env = {
        **os.environ,
        "ZHIZAO_DATA_DIR": str(workdir),
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'list.sqlite3'}",
        "ZHIZAO_ENV": "production",
        "ZHIZAO_SECRET_KEY": "bench-" + "x" * 60,
        "ZHIZAO_SSL_REDIRECT": "false",
        "ZHIZAO_ALLOWED_HOSTS": "127.0.0.1",
        "ZHIZAO_API_RATE": "1000000/hour",
        "ZHIZAO_LOGIN_RATE_PER_IP": "100000",
    }
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "registry_load_reference"], env=env, check=True, capture_output=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run(
        [*manage, "registry_demo", "--size", str(args.orgs)],
        env={
            k: v for k, v in env.items() if k != "ZHIZAO_ENV"
        },  # demo data is refused in production
        check=True,
        capture_output=True,
    )
    print(f"demo registry of {args.orgs:,} organisations in {time.perf_counter() - started:.0f} s")
    token = (
        subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from rest_framework.authtoken.models import Token; from zhizao.accounts.models import User;"
                "print(Token.objects.get_or_create(user=User.objects.get(username='operator'))[0].key)",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "zhizao.wsgi",
            "-b",
            f"127.0.0.1:{args.port}",
            "-w",
            "2",
            "--access-logfile",
            "/dev/null",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request(
                    "GET", "/healthz"
                )
                break
            except OSError:
                time.sleep(0.2)
        # log in once to get a session cookie for the page
        session = (
            subprocess.run(
                [
                    *manage,
                    "shell",
                    "-c",
                    "from django.test import Client; c = Client(); "
                    "c.login(username='operator', password='Zhizao#2026demo'); "
                    "print(c.cookies['sessionid'].value)",
                ],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        cases = [
            ("health (baseline)", ["/healthz"], {}),
            (
                "registry list page",
                [f"/registry/?{urlencode(q)}" for q in QUERIES],
                {"Cookie": f"sessionid={session}"},
            ),
            (
                "API list",
                [
                    f"/api/registry/organizations/?{urlencode({k if k != 'province' else 'region': v for k, v in q.items() if k != 'city'})}"
                    for q in QUERIES
                ],
                {"Authorization": f"Token {token}"},
            ),
        ]
        print(
            f"\nmachine: {platform.node()} · {os.cpu_count()} cores · concurrency "
            f"{args.concurrency} · {args.seconds:.0f} s per case · {args.orgs:,} organisations"
        )
        print(f"{'case':<22}{'requests':>10}{'median ms':>11}{'p99 ms':>9}{'errors':>8}")
        for name, paths, headers in cases:
            job = {
                "port": args.port,
                "paths": paths,
                "headers": headers,
                "concurrency": args.concurrency,
                "seconds": args.seconds,
            }
            out = subprocess.run(
                [PY, __file__, "--load", json.dumps(job)],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout)
            lat = result["latencies"]
            print(
                f"{name:<22}{len(lat):>10,}{statistics.median(lat):>11.1f}{p99(lat):>9.1f}"
                f"{len(result['errors']):>8}"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
