"""Expert assignment and score aggregation at scale (issue 12).

    .venv/bin/python benchmarks/review_bench.py            # full sizes (several minutes)
    .venv/bin/python benchmarks/review_bench.py --quick    # small sizes, seconds
        [--highs-limit 300] [--skip-highs] [--only dense|sparse|aggregate]

Instances (fixed seed): 30-topic Dirichlet profiles for applications and experts, affinity =
cosine rounded to 4 places; 回避 from organisations (1,500 organisations for experts, each
application one of them), former organisations (10 % of experts, left within 3 years) and 1 %
random declared conflicts; loads min 1, max ⌈kP/R⌉ + 1 per expert; at most one expert per
organisation on an application.

* **dense** 5,000 applications × 2,500 experts, every pair a candidate, k = 3 and k = 5;
* **sparse** 20,000 × 20,000, only the top 200 affinities per application are candidates
  (``listed_pairs_only``), k = 3 and k = 5.

For each instance, in one run, side by side on the same input:

1. **EXACT** — ``solve_assignment`` (the platform's path: 回避 rules, compile, min-cost flow on
   each application's best candidates, proved optimal by the dual);
   **whole network** — the same without pruning (the previous EXACT, the baseline);
2. **greedy** — pairs in descending affinity, taken while the application needs experts, the
   expert has load left and the organisation cap allows (no minimum loads: it reports how many
   applications it leaves short and how many experts under their minimum);
3. **HiGHS** — SciPy's ``milp`` (HiGHS) on the same candidate pairs with the same constraints,
   with a time limit.

Each solver runs in a forked child: wall time, total affinity, the worst-off application's
affinity, peak RSS of the child (and the RSS it started with, shared with the parent).
Aggregation: 100,000 reviews (20,000 applications × 5, 2,000 experts, 3 criteria), mean,
trimmed mean and z-score. Prints one JSON object (progress on stderr).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from zhizao_core.review import (  # noqa: E402
    Application,
    AssignmentProblem,
    Criterion,
    Expert,
    PastOrganisation,
    ReviewScore,
    aggregate,
    solve_assignment,
)
from zhizao_core.review.compile import compile_problem  # noqa: E402

CALL = date(2026, 6, 30)


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def profiles(n: int, rng) -> np.ndarray:
    x = rng.dirichlet(np.full(30, 0.3), size=n).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def make_problem(P: int, R: int, k: int, *, top: int | None, seed: int = 1) -> AssignmentProblem:
    rng = np.random.default_rng(seed)
    n_orgs = 1500
    exp_org = rng.integers(0, n_orgs, R)
    app_org = rng.integers(0, n_orgs, P)
    apps = [Application(f"A{i}", organisations=(f"ORG{app_org[i]}",)) for i in range(P)]
    hi = -(-k * P // R) + 1
    experts = []
    for j in range(R):
        past = ()
        if rng.random() < 0.1:
            past = (PastOrganisation(f"ORG{rng.integers(0, n_orgs)}", date(2024, 3, 31)),)
        experts.append(
            Expert(
                f"E{j}",
                organisation=f"ORG{exp_org[j]}",
                past_organisations=past,
                min_load=1,
                max_load=hi,
            )
        )
    a_prof, e_prof = profiles(P, rng), profiles(R, rng)
    if top is None:
        sims = a_prof @ e_prof.T
        scaled = np.rint(np.clip(sims, 0, 1) * 10000).astype(np.int64)
        pa = np.repeat(np.arange(P, dtype=np.int64), R)
        pe = np.tile(np.arange(R, dtype=np.int64), P)
        sc = scaled.ravel()
        n_conf = P * R // 100
        ca, ce = rng.integers(0, P, n_conf), rng.integers(0, R, n_conf)
    else:
        pa_l, pe_l, sc_l = [], [], []
        for start in range(0, P, 1000):
            sims = a_prof[start : start + 1000] @ e_prof.T
            idx = np.argpartition(-sims, top, axis=1)[:, :top]
            rows = np.repeat(np.arange(start, start + len(sims)), top)
            pa_l.append(rows)
            pe_l.append(idx.ravel())
            sc_l.append(np.rint(np.clip(np.take_along_axis(sims, idx, 1), 0, 1) * 10000).ravel())
        pa = np.concatenate(pa_l).astype(np.int64)
        pe = np.concatenate(pe_l).astype(np.int64)
        sc = np.concatenate(sc_l).astype(np.int64)
        pick = rng.integers(0, len(pa), len(pa) // 100)
        ca, ce = pa[pick], pe[pick]
    conflicts = frozenset((f"A{a}", f"E{e}") for a, e in zip(ca.tolist(), ce.tolist(), strict=True))
    return AssignmentProblem(
        call_date=CALL,
        applications=apps,
        experts=experts,
        reviewers_per_application=k,
        max_experts_per_organisation=1,
        conflicts=conflicts,
        affinity_scaled=(pa, pe, sc),
        listed_pairs_only=top is not None,
    )


# --- solvers (each returns total scaled affinity, worst application, extra figures) ----------


def run_exact(problem):
    result = solve_assignment(problem)
    return {
        "total_affinity": str(result.total_affinity),
        "worst_application": str(result.worst_application_affinity),
        "short_applications": 0,
    }


def run_whole_network(problem):
    """The previous EXACT: the min-cost flow on every candidate pair (no pruning), the baseline
    the pruned solve is compared with in the same run (same optimum, its time)."""
    from zhizao_core.review import assign

    assign.PRUNE_MIN_PAIRS = 2**62  # this forked child only
    return run_exact(problem)


def run_greedy(problem):
    c = compile_problem(problem)
    order = np.argsort(-c.pair_aff, kind="stable")
    pa = c.pair_app[order].tolist()
    pe = c.pair_exp[order].tolist()
    sc = c.pair_aff[order].tolist()
    need = c.k_rem.tolist()
    left = c.hi_rem.tolist()
    org = c.exp_org.tolist()
    used: set[tuple[int, int]] = set()
    m = problem.max_experts_per_organisation
    per_group: dict[tuple[int, int], int] = {}
    remaining = sum(need)
    app_total = [0] * len(need)
    loads = [0] * len(left)
    for a, e, s in zip(pa, pe, sc, strict=True):
        if not remaining:
            break
        if need[a] == 0 or left[e] == 0:
            continue
        key = (a, org[e])
        if org[e] >= 0 and per_group.get(key, 0) >= m:
            continue
        need[a] -= 1
        left[e] -= 1
        loads[e] += 1
        per_group[key] = per_group.get(key, 0) + 1
        app_total[a] += s
        remaining -= 1
        used.add((a, e))
    short = sum(1 for n in need if n)
    under = sum(1 for e, ex in enumerate(problem.experts) if loads[e] < ex.min_load)
    return {
        "total_affinity": str(Decimal(sum(app_total)).scaleb(-4)),
        "worst_application": str(Decimal(min(app_total)).scaleb(-4)),
        "short_applications": short,
        "experts_under_min_load": under,
    }


def run_highs(problem, limit):
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    c = compile_problem(problem)
    P, R, n = len(c.app_ids), len(c.exp_ids), len(c.pair_app)
    has, inv, uniq, caps = c.group_caps()
    counts = np.bincount(inv, minlength=len(uniq))
    need = counts > caps
    gid = np.full(len(uniq), -1)
    gid[need] = np.arange(int(need.sum()))
    g_rows = gid[inv]
    sel = g_rows >= 0
    rows = np.concatenate([c.pair_app, P + c.pair_exp, P + R + g_rows[sel]])
    cols = np.concatenate([np.arange(n), np.arange(n), has[sel]])
    A = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(P + R + int(need.sum()), n)).tocsr()
    lo = np.concatenate([c.k_rem, c.lo_rem, np.zeros(int(need.sum()))])
    hi = np.concatenate([c.k_rem, c.hi_rem, caps[need]])
    t0 = time.perf_counter()
    res = milp(
        -c.pair_aff.astype(float),
        constraints=LinearConstraint(A, lo, hi),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={"time_limit": limit, "presolve": True},
    )
    out = {"status": int(res.status), "message": res.message, "solve_s": time.perf_counter() - t0}
    if res.x is not None:
        x = res.x > 0.5
        per_app = np.bincount(c.pair_app[x], weights=c.pair_aff[x], minlength=P)
        out |= {
            "total_affinity": str(Decimal(int(c.pair_aff[x].sum())).scaleb(-4)),
            "worst_application": str(Decimal(int(per_app.min())).scaleb(-4)),
        }
    return out


def _child(fn, problem, args, conn):
    start = rss_mb()
    t0 = time.perf_counter()
    c0 = time.process_time()
    try:
        out = fn(problem, *args)
    except Exception as exc:  # reported, not raised: the other solvers still run
        out = {"error": f"{type(exc).__name__}: {exc}"}
    out["seconds"] = round(time.perf_counter() - t0, 2)
    # CPU time of the child: on a shared machine it is the fairer figure (wall time includes
    # waiting for a core).
    out["cpu_seconds"] = round(time.process_time() - c0, 2)
    out["rss_start_mb"] = round(start)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    conn.send(out)


def in_child(fn, problem, *args, timeout=None):
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, problem, args, child))
    proc.start()
    out = parent.recv() if parent.poll(timeout) else {"error": f"no result within {timeout} s"}
    proc.join(5)
    if proc.is_alive():
        proc.kill()
    return out


def bench_assignment(name, P, R, k, top, highs_limit, skip_highs):
    log(f"{name}: generating {P}×{R} k={k} top={top}")
    t0 = time.perf_counter()
    problem = make_problem(P, R, k, top=top)
    gen = time.perf_counter() - t0
    log(f"  generated in {gen:.1f} s; EXACT")
    row = {"instance": name, "P": P, "R": R, "k": k, "top": top, "generate_s": round(gen, 1)}
    row["exact"] = in_child(run_exact, problem)
    log("  ", row["exact"])
    row["whole_network"] = in_child(run_whole_network, problem)
    log("  ", row["whole_network"])
    row["greedy"] = in_child(run_greedy, problem)
    log("  ", row["greedy"])
    if not skip_highs:
        row["highs"] = in_child(run_highs, problem, highs_limit, timeout=highs_limit + 600)
        log("  ", row["highs"])
    exact = Decimal(row["exact"].get("total_affinity", "0"))
    for key in ("greedy", "highs"):
        if key in row and "total_affinity" in row[key] and exact:
            row[key]["ratio_to_exact"] = float(Decimal(row[key]["total_affinity"]) / exact)
    return row


def bench_aggregation(n_apps, per_app, n_experts):
    rng = np.random.default_rng(3)
    criteria = [
        Criterion("innovation", Decimal("0.4"), Decimal(100)),
        Criterion("impact", Decimal("0.35"), Decimal(100)),
        Criterion("feasibility", Decimal("0.25"), Decimal(100)),
    ]
    values = rng.integers(40, 101, size=(n_apps * per_app, 3)).tolist()
    experts = rng.integers(0, n_experts, size=(n_apps, per_app * 3))
    scores = []
    j = 0
    for a in range(n_apps):
        chosen = list(dict.fromkeys(experts[a].tolist()))[:per_app]
        for e in chosen:
            v = values[j]
            j += 1
            scores.append(
                ReviewScore(
                    f"A{a}",
                    f"E{e}",
                    {
                        "innovation": Decimal(v[0]),
                        "impact": Decimal(v[1]),
                        "feasibility": Decimal(v[2]),
                    },
                )
            )
    out = {"reviews": len(scores)}
    for method in ("mean", "trimmed_mean", "zscore"):
        t0, c0 = time.perf_counter(), time.process_time()
        results = aggregate(criteria, scores, method=method)
        out[method] = {
            "seconds": round(time.perf_counter() - t0, 2),
            "cpu_seconds": round(time.process_time() - c0, 2),
            "results": len(results),
        }
        log(f"aggregation {method}: {out[method]}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--highs-limit", type=float, default=300)
    parser.add_argument("--skip-highs", action="store_true")
    parser.add_argument("--only", choices=("dense", "sparse", "aggregate"))
    args = parser.parse_args()
    if args.quick:
        dense, sparse, agg = (500, 250), (2000, 2000, 50), (2000, 5, 200)
    else:
        dense, sparse, agg = (5000, 2500), (20000, 20000, 200), (20000, 5, 2000)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{round(os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30)} GiB",
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "assignment": [],
    }
    for k in (3, 5):
        if args.only in (None, "dense"):
            report["assignment"].append(
                bench_assignment(
                    f"dense {dense[0]}×{dense[1]}",
                    *dense,
                    k,
                    None,
                    args.highs_limit,
                    args.skip_highs,
                )
            )
        if args.only in (None, "sparse"):
            report["assignment"].append(
                bench_assignment(
                    f"sparse {sparse[0]}×{sparse[1]} top {sparse[2]}",
                    sparse[0],
                    sparse[1],
                    k,
                    sparse[2],
                    args.highs_limit,
                    args.skip_highs,
                )
            )
    if args.only in (None, "aggregate"):
        report["aggregation"] = bench_aggregation(*agg)
    report["load_average_at_end"] = os.getloadavg()
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
