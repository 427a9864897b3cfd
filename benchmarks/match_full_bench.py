"""The top-10 query on a saved index against full scoring, side by side in one process.

    .venv/bin/python benchmarks/match_full_bench.py --index /work/idx1m/1000000
        [--queries 200] [--full-demands 100] [--full-seconds 0] [--full-until EPOCH]
        [--check-plain 0]
        [--profile 0] [--dump FILE]

On the index ``match_bench.py --index-dir`` saved (the demo generator's offerings, seed
20261202; the demands are generated with the same seed):

1. the CPU (``time.thread_time``) of ``rank(demand, top=10)`` over ``--queries`` demands with
   the candidates from every signal, then with today's (before issue 16: the lexical top 200),
   then the first again — in one process, so that both see the same load;
2. full scoring of the first ``--full-demands`` demands (stopping after ``--full-seconds`` of
   wall time when given) by ``rank_full``: the ranking of every allowed offering scored in full,
   computed by scoring in full only those that bounds cannot rule out; its CPU per demand,
   how many offerings the exact scorer ran on, and overlap@10 of both candidate steps with it;
3. ``--check-plain K``: for the first K demands, full scoring the plain way too (every allowed
   offering through the exact scorer, ``FULL_SCORING_LIMIT`` above N) — ``rank_full`` must
   return the same ids, order and shown scores; the count of differences is reported.

``--profile N``: cProfile (the thread's CPU as its clock) of N top-10 queries. Prints one JSON
object; progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from match_tiled_bench import latency  # the same summary of per-query CPU (stdlib only)

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261202


def log(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--src", default=str(ROOT / "src"))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--full-demands", type=int, default=100)
    parser.add_argument("--full-seconds", type=float, default=0)
    parser.add_argument(
        "--full-until", type=float, default=0, help="no full scoring after (epoch s)"
    )
    parser.add_argument("--check-plain", type=int, default=0)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--dump")
    args = parser.parse_args()
    sys.path.insert(0, args.src)

    from zhizao_core.demo.matching import generate_demands
    from zhizao_core.matching import MatchIndex, parse_demands
    from zhizao_core.matching import index as index_module
    from zhizao_core.matching import rank as rank_module

    t, c = time.perf_counter(), time.process_time()
    index = MatchIndex.load(args.index, embedder=None)
    report: dict = {
        "index": args.index,
        "offerings": len(index),
        "load_seconds": round(time.perf_counter() - t, 1),
        "load_cpu_seconds": round(time.process_time() - c, 1),
        "rss_mb": round(rss_mb()),
        "load_average_start": os.getloadavg()[0],
    }
    log("loaded", report)
    demands = parse_demands(list(generate_demands(seed=SEED, size=args.queries)))

    def shown(matches) -> list:
        return [(m.id, round(m.score, 9)) for m in matches]

    def run(label: str) -> tuple[dict, list]:
        index.rank(demands[0], top=10)  # warm-up
        cpu, out = [], []
        for d in demands:
            c0 = time.thread_time()
            ms = index.rank(d, top=10)
            cpu.append((time.thread_time() - c0) * 1000)
            out.append(shown(ms))
        result = {"cpu": latency(cpu), "load": round(os.getloadavg()[0], 1)}
        log(label, result)
        return result, out

    if args.profile:
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile(time.thread_time)
        prof.enable()
        for d in demands[: args.profile]:
            index.rank(d, top=10)
        prof.disable()
        stats = pstats.Stats(prof, stream=io.StringIO())
        rows = sorted(
            ((ct, tt, f"{Path(f).name}:{line}({name})") for (f, line, name), (_c, _n, tt, ct, _)
             in stats.stats.items()),
            reverse=True,
        )  # fmt: skip
        report["profile_cpu_ms_per_query"] = [
            {"function": name, "cumulative": round(ct * 1000 / args.profile, 1),
             "own": round(tt * 1000 / args.profile, 1)}
            for ct, tt, name in rows[:30]
        ]  # fmt: skip
        log("profile", json.dumps(report["profile_cpu_ms_per_query"], ensure_ascii=False))

    report["index_query"], ours = run("candidates from every signal")
    ix = index
    ix._pick_offerings = lambda demand, infer, mask, lex, qvec, limit: ix._pick(
        ix.offerings, mask, lex, qvec, limit
    )
    report["todays_index_query"], today = run("today's (lexical top 200)")
    del ix._pick_offerings
    report["index_query_again"], _ = run("candidates from every signal, again")

    full_cpu, scored, overlaps = [], [], {"index": [], "todays_index": []}
    same = {"index": 0, "todays_index": 0}
    full_tops = []
    started, started_wall = time.process_time(), time.perf_counter()
    for i, d in enumerate(demands[: args.full_demands]):
        if args.full_seconds and time.perf_counter() - started_wall > args.full_seconds:
            break
        if args.full_until and time.time() > args.full_until:
            break
        before = index.scored
        c0 = time.thread_time()
        top = shown(index.rank_full(d, top=10))
        full_cpu.append((time.thread_time() - c0) * 1000)
        scored.append(index.scored - before)
        full_tops.append(top)
        ids = {m for m, _ in top}
        if ids:
            for name, results in (("index", ours), ("todays_index", today)):
                overlaps[name].append(len(ids & {m for m, _ in results[i]}) / len(ids))
                same[name] += results[i] == top
        if (i + 1) % 10 == 0:
            log(
                f"full scoring {i + 1}",
                {k: round(statistics.fmean(v), 3) for k, v in overlaps.items() if v},
                f"CPU {time.process_time() - started:.0f} s",
            )
    if full_cpu:
        report["full_scoring"] = {
            "demands": len(full_cpu),
            "cpu": latency(full_cpu),
            "offerings_scored_in_full": {
                "p50": statistics.median(scored),
                "max": max(scored),
                "mean": round(statistics.fmean(scored)),
            },
            "load": round(os.getloadavg()[0], 1),
        }
        for name, values in overlaps.items():
            report["full_scoring"][f"overlap_at_10_{name}"] = (
                round(statistics.fmean(values), 3) if values else None
            )
            report["full_scoring"][f"same_top10_ids_order_scores_{name}"] = same[name]
        log("full scoring", report["full_scoring"])

    if args.check_plain:
        saved = index_module.FULL_SCORING_LIMIT, rank_module._TEXTS_SIZE
        index_module.FULL_SCORING_LIMIT = 10**12
        rank_module._TEXTS_SIZE = 2 * len(index.offerings.items) + 1024
        differ, plain_cpu = [], []
        try:
            for i, d in enumerate(demands[: min(args.check_plain, len(full_tops))]):
                c0 = time.thread_time()
                plain = shown(index.rank(d, top=10))
                plain_cpu.append((time.thread_time() - c0) * 1000)
                if plain != full_tops[i]:
                    differ.append(d.id)
        finally:
            index_module.FULL_SCORING_LIMIT, rank_module._TEXTS_SIZE = saved
            rank_module._TEXTS.clear()
        report["plain_full_scoring"] = {
            "demands": len(plain_cpu),
            "cpu": latency(plain_cpu),
            "differ_from_rank_full": differ,
        }
        log("plain full scoring", report["plain_full_scoring"])
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for i, d in enumerate(demands):
                row = {"demand": d.id, "top10": ours[i], "todays": today[i]}
                if i < len(full_tops):
                    row["full"] = full_tops[i]
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    report["load_average_end"] = os.getloadavg()[0]
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
