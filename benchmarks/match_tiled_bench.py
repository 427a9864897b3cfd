"""The top-10 query at a million rows without a million-row build: a saved index (``match_bench.py
--index-dir``) tiled ``--times`` times in memory, then the same 200 demands ranked by the
candidates from every signal and by today's (the lexical top 200), in one process.

    .venv/bin/python benchmarks/match_tiled_bench.py --index /tmp/idx/100000 --times 10
        [--src DIR] [--queries 200] [--dump FILE]

Each copy of an offering gets its own id (``O0000001~3``) and the same text, categories,
industries, regions and cases: the postings, structured postings and columns are the saved
ones with the rows shifted, so every posting list is ``--times`` times as long, the BM25 idf
and the average length are those of the original, and the candidate step does the work it does
on a catalogue of that size. It is not the demo generator's million (every text occurs
``--times`` times, so exact ties are the rule): the figures are latencies, not overlap.
``--src`` runs another checkout's ``src`` (the same benchmark on an older candidate step).
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def latency(values: list[float]) -> dict:
    v = sorted(values)
    p99 = v[min(len(v) - 1, max(0, round(0.99 * len(v)) - 1))]
    return {
        "n": len(v),
        "p50_ms": round(statistics.median(v), 2),
        "p99_ms": round(p99, 2),
        "mean_ms": round(statistics.fmean(v), 2),
        "max_ms": round(v[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--src", default=str(ROOT / "src"))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dump")
    parser.add_argument("--profile", type=int, default=0, help="cProfile this many queries")
    args = parser.parse_args()
    sys.path.insert(0, args.src)
    import numpy as np

    from zhizao_core.demo.matching import generate_demands
    from zhizao_core.matching import MatchIndex, parse_demands
    from zhizao_core.matching import index as index_module

    t = time.perf_counter()
    index = MatchIndex.load(args.index, embedder=None)
    c = index.offerings
    n, k = len(c.items), args.times
    shift = [r * n for r in range(k)]

    def tile_rows(rows):
        return np.concatenate([rows + s for s in shift]).astype(np.int32)

    c.items = [
        it if r == 0 else dataclasses.replace(it, id=f"{it.id}~{r}")
        for r in range(k)
        for it in c.items[:n]
    ]
    c.slot = {it.id: i for i, it in enumerate(c.items)}
    for name in ("alive", "doclen", "has_vec", "financial", "price", "sig"):
        grow = getattr(c, name)
        setattr(c, name, index_module._Grow(grow.a.dtype, data=np.tile(grow.view, k)))
    vecs = index_module._Rows(c.vecs.width)
    vecs.tail = index_module._Grow(
        np.float32, width=c.vecs.width, data=np.tile(c.vecs.view, (k, 1))
    )
    c.vecs = vecs
    for term, (slots, tfs) in list(c.postings.items()):
        c.postings[term] = (
            index_module._Grow(np.int32, data=tile_rows(slots.view)),
            index_module._Grow(np.float32, data=np.tile(tfs.view, k)),
        )
        c.codes[term] = index_module._Grow(c.code_dtype, data=np.tile(c.codes[term].view, k))
        c.df[term] *= k
    for key, (slots, values) in list(c.keys.items()):
        c.keys[key] = (
            index_module._Grow(np.int32, data=tile_rows(slots.view)),
            index_module._Grow(np.float32, data=np.tile(values.view, k)),
        )
    c.total_len *= k
    c.n_alive *= k
    setup_s = time.perf_counter() - t
    demands = parse_demands(list(generate_demands(seed=20261202, size=args.queries)))

    def run(label: str) -> tuple[dict, list]:
        index.rank(demands[0], top=10)
        cpu, wall, out = [], [], []
        for d in demands:
            t0, c0 = time.perf_counter(), time.thread_time()
            ms = index.rank(d, top=10)
            cpu.append((time.thread_time() - c0) * 1000)
            wall.append((time.perf_counter() - t0) * 1000)
            out.append([(m.id, round(m.score, 9)) for m in ms])
        result = {"cpu": latency(cpu), "wall": latency(wall), "load": os.getloadavg()[0]}
        print(time.strftime("%H:%M:%S"), label, result, file=sys.stderr, flush=True)
        return result, out

    report = {
        "src": args.src,
        "rows": len(c.items),
        "setup_seconds": round(setup_s, 1),
        "load_average_start": os.getloadavg()[0],
    }
    if args.profile:
        # where a query's CPU goes at this size (the thread's CPU as cProfile's clock)
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
            ((ct, tt, name) for (_f, _l, name), (_c, _n, tt, ct, _) in stats.stats.items()),
            reverse=True,
        )
        report["profile_cpu_ms_per_query"] = [
            {"function": name, "cumulative": round(ct * 1000 / args.profile, 1),
             "own": round(tt * 1000 / args.profile, 1)}
            for ct, tt, name in rows[:25]
        ]  # fmt: skip
        print(json.dumps(report["profile_cpu_ms_per_query"]), file=sys.stderr, flush=True)
    report["index_query"], results = run("candidates from every signal")
    ix = index
    ix._pick_offerings = lambda demand, infer, mask, lex, qvec, limit: ix._pick(
        ix.offerings, mask, lex, qvec, limit
    )
    report["todays_index_query"], today = run("today's (lexical top 200)")
    del ix._pick_offerings
    report["index_query_again"], _ = run("candidates from every signal, again")
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for d, top, top_today in zip(demands, results, today, strict=True):
                f.write(json.dumps({"demand": d.id, "top10": top, "todays": top_today}) + "\n")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
