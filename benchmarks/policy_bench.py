"""Policy engine at scale.

    .venv/bin/python benchmarks/policy_bench.py [--enterprises 1000000] [--projects N]
        [--baseline-rows 1000000] [--skip-platform]

1. A scan of one item (``wuxi-im-transformation``, ``jiangsu-mfg-loan-interest``) over N
   enterprises with N projects from the demo generator (``zhizao_core.demo.policies``):
   FactTable build time, the bulk screener's median over 5 runs, rows per second; side by side
   in the same run, a plain per-row Python evaluation of the same item (a loop over the same
   facts calling the explainer's ``evaluate_rule`` per enterprise) on ``--baseline-rows``
   enterprises (extrapolated to N when fewer, and said so), and the check that both give the
   same counts and total on the enterprises both evaluated.
2. The explainer for one enterprise with all shipped items (``evaluate``): median and p95 over
   1,000 enterprises.
3. With Django (unless ``--skip-platform``): a demo database (2,000 organisations, the policies
   demo); the calculator page ``policies:my_policies`` through Django's test client (median,
   p95 over 50 requests) if that view exists, and a scan through the platform's service
   (``services.scans.start_scan`` + ``run_scan``) over the demo registry.

Prints one JSON object (and each part as it finishes, on stderr); docs/benchmarks.md records
the figures with the machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RULES = ROOT / "src" / "zhizao" / "policies" / "data" / "rules"
ITEMS = ("wuxi-im-transformation", "jiangsu-mfg-loan-interest")
AS_OF = date(2026, 11, 30)


def say(label: str, value) -> None:
    print(f"{label}: {json.dumps(value, ensure_ascii=False, default=str)}", file=sys.stderr)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def shipped_catalogue():
    import yaml

    from zhizao_core.policy import parse_rule_file

    catalogue = {}
    for path in sorted(RULES.glob("*.yaml")):
        f = parse_rule_file(yaml.safe_load(path.read_text(encoding="utf-8")))
        catalogue[f.key] = f.versions
    return catalogue


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import numpy

    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram": mem,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
    }


def per_row(rule, enterprises, as_of):
    """The baseline: the explainer, one enterprise at a time."""
    from zhizao_core.policy import evaluate_rule

    yes = unknown = no = 0
    total = 0
    rows = 0
    for enterprise in enterprises:
        for outcome in evaluate_rule(rule, enterprise, as_of, lang="zh"):
            rows += 1
            if outcome.eligible is True:
                yes += 1
                total += outcome.amount_fen or 0
            elif outcome.eligible is None:
                unknown += 1
            else:
                no += 1
    return {
        "rows": rows,
        "eligible": yes,
        "unknown": unknown,
        "not_eligible": no,
        "total_fen": total,
    }


def screen_counts(result, upto_enterprise: int):
    import numpy as np

    keep = result.enterprise_index < upto_enterprise
    eligible = result.eligible[keep]
    amount = result.amount_fen[keep]
    yes = eligible == 1
    return {
        "rows": int(keep.sum()),
        "eligible": int(yes.sum()),
        "unknown": int((eligible == -1).sum()),
        "not_eligible": int((eligible == 0).sum()),
        "total_fen": int(np.where(yes, amount, 0).sum()),
    }


def bench_scan(n: int, projects: int, baseline_rows: int) -> dict:
    from zhizao_core.demo.policies import benchmark_enterprises
    from zhizao_core.policy import version_in_force
    from zhizao_core.policy.screen import FactTable, screen

    catalogue = shipped_catalogue()
    started = time.perf_counter()
    enterprises = benchmark_enterprises(n, projects)
    generate_s = time.perf_counter() - started
    say("generated", {"enterprises": n, "projects": projects, "seconds": round(generate_s, 1)})
    gc.collect()
    gc.freeze()  # a million frozen objects: keep the collector from walking them on every run
    builds = []
    for _ in range(3):
        started = time.perf_counter()
        table = FactTable.build(enterprises)
        builds.append(time.perf_counter() - started)
    say("fact table build", [round(b, 2) for b in builds])
    out = {
        "enterprises": n,
        "projects": table.n_projects,
        "loans": len(table.l_proj),
        "generate_seconds": round(generate_s, 1),
        "build_seconds_median": round(statistics.median(builds), 3),
        "items": {},
    }
    for key in ITEMS:
        runs = []
        result = None
        for _ in range(5):
            started = time.perf_counter()
            result = screen(catalogue, table, AS_OF, item=key)
            runs.append(time.perf_counter() - started)
        screen_s = statistics.median(runs)
        rule = version_in_force(catalogue[key], AS_OF)
        m = min(baseline_rows, n)
        started = time.perf_counter()
        baseline = per_row(rule, enterprises[:m], AS_OF)
        baseline_s = time.perf_counter() - started
        baseline_full_s = baseline_s * n / m
        same = screen_counts(result, m)
        entry = {
            "rows": len(result),
            "summary": result.summary(),
            "screen_seconds_median": round(screen_s, 3),
            "screen_seconds_runs": [round(r, 3) for r in runs],
            "screen_rows_per_second": round(len(result) / screen_s),
            "screen_plus_build_seconds": round(screen_s + statistics.median(builds), 3),
            "per_row_enterprises": m,
            "per_row_seconds": round(baseline_s, 2),
            "per_row_seconds_for_all": round(baseline_full_s, 1),
            "per_row_extrapolated": m < n,
            "per_row_rows_per_second": round(baseline["rows"] / baseline_s),
            "ratio_per_row_over_screen": round(baseline_full_s / screen_s, 1),
            "agree_on_common_rows": same == baseline,
            "common_rows": baseline,
        }
        if same != baseline:
            entry["screen_on_common_rows"] = same
        out["items"][key] = entry
        say(key, entry)
    gc.unfreeze()
    return out


def bench_explainer(count: int = 1000) -> dict:
    from zhizao_core.demo.policies import benchmark_enterprises
    from zhizao_core.policy import evaluate

    catalogue = shipped_catalogue()
    enterprises = benchmark_enterprises(count, count, seed=7)
    times = []
    outcomes = 0
    for enterprise in enterprises:
        started = time.perf_counter()
        result = evaluate(catalogue, enterprise, AS_OF, lang="zh")
        times.append((time.perf_counter() - started) * 1000)
        outcomes += len(result)
    out = {
        "enterprises": count,
        "items": len(catalogue),
        "outcomes_per_enterprise": round(outcomes / count, 2),
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(pct(times, 0.95), 3),
        "max_ms": round(max(times), 3),
    }
    say("explainer", out)
    return out


def setup_django() -> None:
    tmp = tempfile.mkdtemp(prefix="zhizao-policy-bench-")
    os.environ["ZHIZAO_DATA_DIR"] = tmp
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    os.environ["ZHIZAO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("registry_load_reference", verbosity=0)


def bench_platform() -> dict:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from zhizao.accounts.demo import ensure_demo_accounts
    from zhizao.common.audit import Actor
    from zhizao.policies.demo import load_policy_demo
    from zhizao.policies.models import PolicyItemVersion
    from zhizao.policies.services.scans import run_scan, start_scan
    from zhizao.registry.services.demo import load_demo_organizations

    started = time.perf_counter()
    load_demo_organizations(size=2000, seed=20261123)
    ensure_demo_accounts()
    demo = load_policy_demo()
    out = {"setup_seconds": round(time.perf_counter() - started, 1), "demo": demo}
    say("platform demo", out)
    try:
        url = reverse("policies:my_policies")
    except NoReverseMatch:
        url = None
    if url:
        client = Client()
        assert client.login(username="enterprise", password="Zhizao#2026demo")  # noqa: S106 (the demo password)
        first = client.get(url)
        times = []
        for _ in range(50):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        out["calculator_page"] = {
            "url": url,
            "first_status": first.status_code,
            "bytes": len(response.content),
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(pct(times, 0.95), 1),
        }
        say("calculator page", out["calculator_page"])
    else:
        out["calculator_page"] = "policies:my_policies does not exist yet"
    scans = {}
    for key in ITEMS:
        version = PolicyItemVersion.objects.get(item__key=key, state="published")
        times = []
        for _ in range(3):
            started = time.perf_counter()
            scan = run_scan(start_scan(Actor(), version, as_of=AS_OF))
            times.append(time.perf_counter() - started)
        scans[key] = {
            "enterprises": scan.evaluated,
            "eligible": scan.eligible_count,
            "unknown": scan.unknown_count,
            "excluded": scan.excluded_count,
            "total_yuan": str(scan.total_yuan),
            "median_seconds": round(statistics.median(times), 2),
        }
        say(f"platform scan {key}", scans[key])
    out["platform_scan"] = scans
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=None)
    parser.add_argument("--baseline-rows", type=int, default=1_000_000)
    parser.add_argument("--skip-platform", action="store_true")
    args = parser.parse_args()
    report = {"machine": machine()}
    say("machine", report["machine"])
    report["scan"] = bench_scan(
        args.enterprises, args.projects or args.enterprises, args.baseline_rows
    )
    report["explainer"] = bench_explainer()
    if not args.skip_platform:
        setup_django()
        report["platform"] = bench_platform()
    print(json.dumps(report, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()
