"""Maturity diagnosis at scale.

    .venv/bin/python benchmarks/diagnosis_bench.py [--assessments 100000] [--database-url URL]

1. Scoring: the exact (Fraction) engine on N generated answer sets of the default model, side
   by side with a float re-implementation of the same rules (the obvious baseline; it is not
   exact and rounds thresholds wrongly at x.8, which is why we do not use it).
2. Benchmark percentiles for one report with N latest assessments in the database: our
   aggregate queries (one per peer group, on the (model, is_latest, key, score) indexes) side
   by side with loading the peer scores into Python and ranking there.
3. The report page (HTML) and the PDF render for one assessment in that database: medians and
   p95 over repeated requests, with Django's test client (no network).
4. Campaign allocation: 5,000 targets, 40 providers; OR-Tools min-cost flow versus the greedy
   baseline (time, enterprises placed, distance cost).

Prints one JSON object; docs/benchmarks.md records the figures with the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def float_score(model, kind, answers):
    """Baseline: the same rules on floats."""
    levels = []
    met_all = True
    total_met = 0
    first_unmet = None
    for level in model.levels:
        n = level.number
        e_sum = e_w = 0.0
        for element in model.elements:
            d_sum = d_w = 0.0
            for domain in element.domains:
                s_sum = s_w = 0.0
                for sub in domain.subdomains:
                    vals = [
                        float(answers[r.id])
                        for r in model.cells.get((sub.id, n), [])
                        if answers.get(r.id, "na") != "na"
                    ]
                    w = float(sub.weights[kind])
                    if vals and w > 0:
                        s_sum += w * sum(vals) / len(vals)
                        s_w += w
                if s_w and float(domain.weights[kind]) > 0:
                    d_sum += float(domain.weights[kind]) * s_sum / s_w
                    d_w += float(domain.weights[kind])
            if d_w and float(element.weights[kind]) > 0:
                e_sum += float(element.weights[kind]) * d_sum / d_w
                e_w += float(element.weights[kind])
        x = e_sum / e_w if e_w else 0.0
        met = met_all and e_w > 0 and x >= 0.8
        if met:
            total_met += 1
        elif first_unmet is None:
            first_unmet = x
        met_all = met_all and met
        levels.append(x)
    return total_met + (first_unmet or 0.0)


def bench_scoring(n: int) -> dict:
    from zhizao.diagnosis.loading import parse_model_file, shipped_model_files
    from zhizao_core.diagnosis import normalize_answer, score
    from zhizao_core.diagnosis.demo import demo_answers, pick_level

    path = next(p for p in shipped_model_files() if p.name.startswith("cmmm"))
    model, _, _ = parse_model_file(path)
    rng = random.Random(1)
    sets = []
    for _ in range(n):
        kind = "process" if rng.random() < 0.3 else "discrete"
        codes = demo_answers(model, kind, pick_level(rng, 5), rng)
        sets.append((kind, {k: normalize_answer(v) for k, v in codes.items()}))
    started = time.perf_counter()
    exact = []
    for kind, answers in sets:
        result = score(model, kind, answers)
        exact.append((result.score, result.level))  # keep the figures, not the whole tree
    exact_s = time.perf_counter() - started
    float_sets = [(k, {r: (v if v == "na" else float(v)) for r, v in a.items()}) for k, a in sets]
    started = time.perf_counter()
    floats = [float_score(model, kind, answers) for kind, answers in float_sets]
    float_s = time.perf_counter() - started
    disagree = sum(1 for e, f in zip(exact, floats, strict=True) if abs(float(e[0]) - f) > 1e-9)
    levels = {}
    for _score, level in exact:
        levels[level] = levels.get(level, 0) + 1
    return {
        "assessments": n,
        "requirements": len(model.requirements),
        "exact_seconds": round(exact_s, 2),
        "float_baseline_seconds": round(float_s, 2),
        "ratio_exact_over_float": round(exact_s / float_s, 2),
        "per_assessment_ms": round(exact_s * 1000 / n, 3),
        "float_disagreements": disagree,
        "level_shares": {k: round(v / n, 3) for k, v in sorted(levels.items())},
    }


def setup_django(database_url: str | None) -> None:
    tmp = tempfile.mkdtemp(prefix="zhizao-diag-bench-")
    os.environ["ZHIZAO_DATA_DIR"] = tmp
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    os.environ["ZHIZAO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("registry_load_reference", verbosity=0)


def bench_database(n: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from zhizao.accounts.enums import Role
    from zhizao.accounts.models import Membership, User
    from zhizao.common.bulk import refresh_statistics
    from zhizao.diagnosis import services
    from zhizao.diagnosis.cache import clear_provider_index
    from zhizao.diagnosis.loading import shipped_model_files
    from zhizao.diagnosis.models import Answer, Assessment
    from zhizao.diagnosis.selectors import benchmark, default_model
    from zhizao.diagnosis.services import load_model_files
    from zhizao.registry.services.demo import load_demo_organizations
    from zhizao_core.diagnosis.demo import demo_answers

    load_demo_organizations(size=2000, seed=20261123)
    load_model_files(shipped_model_files())
    row = default_model()
    model = row.parsed()
    from zhizao.registry.models import Organization

    orgs = list(
        Organization.objects.filter(kind="manufacturer").values_list(
            "id", "industry_division", "city_code", "province_code", "size"
        )
    )
    rng = random.Random(2)
    started = time.perf_counter()
    batch = []
    now = timezone.now()
    for i in range(n):
        pk, division, city, province, size = orgs[i % len(orgs)]
        level = rng.choice([0, 1, 1, 1, 2, 2, 3, 4])
        batch.append(
            Assessment(
                model=row,
                organization_id=pk,
                kind="self",
                enterprise_type="discrete",
                state="submitted",
                submitted_at=now,
                score=f"{level + rng.random() * 0.79:.6f}",
                level=level,
                is_latest=True,
                industry_division=division or "",
                city_code=city,
                province_code=province,
                size=size or "",
            )
        )
        if len(batch) == 5000:
            Assessment.objects.bulk_create(batch)
            batch = []
    Assessment.objects.bulk_create(batch)
    refresh_statistics(Assessment._meta.db_table)
    insert_s = time.perf_counter() - started
    # one real assessment, answered through the service, for the report
    org = Organization.objects.filter(kind="manufacturer", industry_division__gt="").first()
    user = User.objects.create_user("bench", password="Bench#2026pass")  # noqa: S106
    Membership.objects.create(user=user, organization=org, role=Role.ENTERPRISE)
    from zhizao.common.audit import Actor

    actor = Actor(user=user)
    a = services.start_self_assessment(actor, org, row, "discrete")
    codes = demo_answers(model, "discrete", 2, random.Random(3))
    Answer.objects.bulk_create(
        Answer(assessment=a, requirement_id=k, value=v) for k, v in codes.items()
    )
    a = services.submit(actor, a)

    def timed(fn, repeat):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        return {
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        }

    ours = timed(lambda: benchmark(a, model), 30)

    def python_baseline():
        for where in (
            {"industry_division": a.industry_division},
            {"city_code": a.city_code},
            {"size": a.size},
            {},
        ):
            scores = sorted(
                Assessment.objects.filter(
                    model=row, kind="self", is_latest=True, **where
                ).values_list("score", flat=True)
            )
            below = sum(1 for s in scores if s < a.score)
            _ = below / len(scores)

    baseline = timed(python_baseline, 10)
    client = Client()
    client.force_login(user)
    clear_provider_index()
    client.get(f"/diagnosis/a/{a.pk}/report/")  # warm caches
    page = timed(lambda: client.get(f"/diagnosis/a/{a.pk}/report/"), 30)
    pdf = timed(lambda: client.get(f"/diagnosis/a/{a.pk}/report.pdf"), 5)
    return {
        "vendor": connection.vendor,
        "assessments_in_db": Assessment.objects.count(),
        "insert_seconds": round(insert_s, 1),
        "benchmark_queries": ours,
        "benchmark_python_baseline": baseline,
        "ratio_baseline_over_ours": round(baseline["median_ms"] / ours["median_ms"], 1),
        "report_page": page,
        "report_pdf": pdf,
    }


def bench_allocation() -> dict:
    from zhizao_core.diagnosis.allocation import Provider, Target, allocate, greedy_allocate

    rng = random.Random(4)
    cities = ["3202", "3205", "3204", "3201", "3206", "3210"]
    targets = [Target(i, f"{rng.choice(cities)}{rng.randrange(1, 15):02d}") for i in range(5000)]
    providers = []
    for j in range(40):
        home = f"{rng.choice(cities)}{rng.randrange(1, 15):02d}"
        conflicts = frozenset(rng.sample(range(5000), 20))
        regions = (home[:4] + "00",) if j % 3 else ("320000",)
        providers.append(Provider(1000 + j, home, rng.randrange(60, 140), regions, conflicts))
    out = {}
    for name, fn in (("min_cost_flow", allocate), ("greedy", greedy_allocate)):
        times = []
        for _ in range(3):
            t = time.perf_counter()
            result = fn(targets, providers, 3500)
            times.append(time.perf_counter() - t)
        out[name] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "placed": len(result.assigned),
            "distance_cost": result.cost,
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--scoring", type=int, default=None, help="answer sets to score")
    parser.add_argument("--database-url")
    parser.add_argument("--skip-db", action="store_true")
    args = parser.parse_args()
    report = {
        "machine": f"{platform.node()} · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} cores · Python {platform.python_version()}",
    }
    setup_django(args.database_url)
    if not args.skip_db:
        report["database"] = bench_database(args.assessments)
        print(json.dumps(report["database"]), file=sys.stderr, flush=True)
    report["allocation"] = bench_allocation()
    print(json.dumps(report["allocation"]), file=sys.stderr, flush=True)
    report["scoring"] = bench_scoring(args.scoring or args.assessments)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
