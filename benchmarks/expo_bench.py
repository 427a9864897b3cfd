"""The 1:1 meeting scheduler at expo scale (zhizao_core.expo).

    .venv/bin/python benchmarks/expo_bench.py [--quick] [--time-limit 120] [--seed 1]

Two generated two-day expos (zhizao_core.expo.synthetic): 600 participants × 28 slots × 2,000
accepted requests and 3,000 × 28 × 15,000. On each, side by side in one run:

- first-come booking: requests in arrival order, each taking an open common slot picked at
  random (what a person booking does; the slot that a later request needed is burnt);
- the greedy baseline: highest priority first, earliest open common slot;
- our scheduler (HiGHS MIP, the default): placed meetings, total priority, idle gaps, time,
  whether the optimum is proven, and the gap to the solver's proven bound.

On the first instance also CP-SAT (the other formulation) under the same time limit, and
incremental placement on both: the greedy schedule of all but the last 20 requests is
published, then each of those 20 is placed on its own (median and max milliseconds).

``--quick``: 150 × 28 × 500 and 600 × 28 × 3,000, 20 s limits (a smoke run). Prints one JSON
object; docs/benchmarks.md records the figures with the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from zhizao_core.expo import ScheduleProblem, greedy, place_incremental, schedule  # noqa: E402
from zhizao_core.expo.synthetic import generate  # noqa: E402


def row(result, seconds):
    out = {
        "placed": result.placed,
        "weight": result.weight,
        "idle_gaps": result.idle_gaps,
        "seconds": round(seconds, 3),
    }
    if result.solver in ("highs", "cp-sat"):
        out["optimal"] = result.optimal
        out["gaps_optimal"] = result.gaps_optimal
        out["bound"] = result.bound
        if result.bound:
            out["gap_to_bound_pct"] = round(100 * (result.bound - result.weight) / result.bound, 3)
    return out


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def instance(participants, slots, requests, seed, time_limit, *, both=False, incremental=False):
    problem, gen_s = timed(generate, participants, slots, requests, seed=seed)
    out = {
        "participants": participants,
        "slots": slots,
        "requests": requests,
        "tables": problem.tables,
        "generate_seconds": round(gen_s, 2),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }
    res, s = timed(greedy, problem, order="arrival", pick="random", seed=seed)
    out["first_come"] = row(res, s)
    res, s = timed(greedy, problem)
    out["greedy"] = row(res, s)
    best, s = timed(schedule, problem, time_limit=time_limit)
    out["highs"] = row(best, s)
    if both:
        res, s = timed(schedule, problem, time_limit=time_limit, solver="cp-sat")
        out["cp_sat"] = row(res, s)
    if incremental:
        last = problem.requests[-20:]
        head = ScheduleProblem(
            problem.slots, problem.tables, problem.participants, problem.requests[:-20]
        )
        published = greedy(head).meetings  # any valid published schedule will do here
        ms, placed = [], 0
        for r in last:
            res, s = timed(place_incremental, problem, published, r.id)
            ms.append(1000 * s)
            placed += len(res.meetings) - len(published)
        out["incremental"] = {
            "published": len(published),
            "new_requests": len(last),
            "placed": placed,
            "median_ms": round(statistics.median(ms), 1),
            "max_ms": round(max(ms), 1),
        }
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    limit = 20.0 if args.quick else args.time_limit
    small, large = (
        ((150, 28, 500), (600, 28, 3000)) if args.quick else ((600, 28, 2000), (3000, 28, 15000))
    )
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "time_limit": limit,
        "first": instance(*small, args.seed, limit, both=True, incremental=True),
        "second": instance(*large, args.seed, limit, incremental=True),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
