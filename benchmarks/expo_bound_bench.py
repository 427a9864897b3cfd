"""How far from optimal is the scheduler at 15,000 requests? The bounds, side by side.

    .venv/bin/python benchmarks/expo_bound_bench.py [--time-limit 120] [--seed 1]
        [--participants 3000] [--requests 15000]

On the generated two-day expo of ``expo_bench.py`` (3,000 participants × 28 slots × 15,000
requests, seed 1) this measures, each on its own:

1. the greedy start (priority first, earliest open slot): the lower end;
2. the HiGHS MIP on the full model, started from the greedy schedule, stopped at
   ``--time-limit``: its incumbent, its own **dual bound** (``mip_dual_bound``) and the MIP gap;
3. the **LP relaxation** of the same model (0 ≤ x ≤ 1, HiGHS, no time limit): a proven upper
   bound on the total priority, usually far tighter than the MIP's dual bound after a short
   run, since the MIP may not finish its root node;
4. the slot-free b-matching relaxation the scheduler uses when a time limit stops it
   (docs/expo.md, "Solvers");
5. the scheduler itself (``schedule(time_limit=…)``): what the command returns.

The gap to optimality is at most (best bound − best schedule) ÷ best bound. Prints one JSON
object; docs/benchmarks.md records the figures with the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from zhizao_core.expo import schedule  # noqa: E402
from zhizao_core.expo.solve import (  # noqa: E402
    Instance,
    _greedy_vars,
    _highs,
    _Model,
    _objective,
    _phase1_highs,
    _relaxation_bound,
)
from zhizao_core.expo.synthetic import generate  # noqa: E402


def lp_bound(model) -> tuple[float, bool]:
    rows = model.rows()
    c, _scale = _objective(model)
    x, proven, _dual = _highs(
        c,
        [[(v, 1.0) for v in vs] for vs, _r in rows],
        [r for _vs, r in rows],
        0,
        len(c),
        maximize=True,
        time_limit=None,
    )
    return sum(ck * xk for ck, xk in zip(c, x, strict=True)), proven


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=15000)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-schedule", action="store_true")
    args = parser.parse_args()
    problem = generate(args.participants, 28, args.requests, seed=args.seed)
    out: dict = {
        "machine": platform.node(),
        "cores": os.cpu_count(),
        "load": os.getloadavg(),
        "instance": f"{args.participants} × 28 × {args.requests:,}, seed {args.seed}",
        "tables": problem.tables,
    }
    started = time.perf_counter()
    inst = Instance(problem)
    model = _Model(inst, [], ())
    out["variables"] = len(model.vars)
    out["rows"] = len(model.rows())
    out["build_s"] = round(time.perf_counter() - started, 1)
    w = model.weights()
    out["greedy"] = sum(w[v] for v in _greedy_vars(model))
    print(json.dumps(out), file=sys.stderr, flush=True)

    started = time.perf_counter()
    value, proven = lp_bound(model)
    out["lp_relaxation"] = {
        "value": round(value, 2),
        "bound": int(value + 1e-6),
        "proven": proven,
        "s": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(out), file=sys.stderr, flush=True)

    started = time.perf_counter()
    out["b_matching_bound"] = _relaxation_bound(model, time_limit=60.0)
    out["b_matching_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    chosen, optimal, bound = _phase1_highs(model, args.time_limit)
    incumbent = sum(w[v] for v in chosen)
    out["highs_mip"] = {
        "time_limit_s": args.time_limit,
        "s": round(time.perf_counter() - started, 1),
        "incumbent": incumbent,
        "dual_bound": bound,
        "mip_gap_pct": round(100 * (bound - incumbent) / bound, 3) if bound else None,
        "proven_optimal": optimal,
    }
    print(json.dumps(out), file=sys.stderr, flush=True)

    if not args.skip_schedule:
        started = time.perf_counter()
        result = schedule(problem, time_limit=args.time_limit)
        out["scheduler"] = {
            "s": round(time.perf_counter() - started, 1),
            "weight": result.weight,
            "placed": result.placed,
            "bound": result.bound,
            "optimal": result.optimal,
        }
    best_bound = min(
        b
        for b in (
            out["lp_relaxation"]["bound"],
            out["b_matching_bound"],
            out["highs_mip"]["dual_bound"],
        )
        if b is not None
    )
    best = max(out["greedy"], incumbent, out.get("scheduler", {}).get("weight", 0))
    out["best_bound"] = best_bound
    out["best_schedule"] = best
    out["gap_at_most_pct"] = round(100 * (best_bound - best) / best_bound, 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
