"""Evaluation on a gold set: nDCG@10, P@5, Recall@50 and two-sided coverage for every ranking
variant side by side, a deterministic development/test split of the demands, and a coordinate
search of the fused weights on the development split.

Grades: 3 solves it and meets every must, 2 solves it with a gap, 1 related, 0 irrelevant
(unjudged pairs are 0). Gain of a grade g is 2^g − 1. "Relevant" for P@5 and Recall@50 is
grade ≥ 2. Coverage: the share of the catalogue's offerings that appear in some demand's top 10
(offering side), and the share of demands that appear in some offering's top 10 (demand side).
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

from .model import Demand
from .rank import (
    PROBLEM,
    VARIANTS,
    Candidate,
    Weights,
    component_matrix,
    diversify,
    order,
    variant_scores,
)

__all__ = [
    "DEMAND_TYPES",
    "BigramBaseline",
    "Judgments",
    "evaluate_variants",
    "gap_calibration",
    "metrics_by_type",
    "metrics_for",
    "split_demands",
    "tune",
]


@dataclass(frozen=True)
class Judgments:
    """Graded relevance: demand id → offering id → grade (0–3)."""

    grades: Mapping[str, Mapping[str, int]]

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping]) -> Judgments:
        grades: dict[str, dict[str, int]] = {}
        for row in rows:
            grades.setdefault(str(row["demand"]), {})[str(row["offering"])] = int(row["grade"])
        return cls(grades)

    def of(self, demand_id: str) -> Mapping[str, int]:
        return self.grades.get(demand_id, {})


def split_demands(ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """Development and test demands: by the parity of the first byte of SHA-1 of the id, so the
    split is stable when demands are added."""
    dev, test = [], []
    for ident in ids:
        (dev if hashlib.sha1(ident.encode()).digest()[0] % 2 == 0 else test).append(ident)  # noqa: S324
    return dev, test


def _dcg(gains: Sequence[float]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def metrics_for(ranking: Sequence[str], grades: Mapping[str, int]) -> dict[str, float]:
    """nDCG@10, P@5 and Recall@50 of one ranking (offering ids best first)."""
    gains = [2 ** grades.get(o, 0) - 1 for o in ranking[:10]]
    ideal = sorted((2**g - 1 for g in grades.values()), reverse=True)[:10]
    idcg = _dcg(ideal)
    relevant = {o for o, g in grades.items() if g >= 2}
    p5 = sum(1 for o in ranking[:5] if o in relevant) / 5
    r50 = len(relevant & set(ranking[:50])) / len(relevant) if relevant else float("nan")
    return {
        "ndcg@10": _dcg(gains) / idcg if idcg > 0 else float("nan"),
        "p@5": p5,
        "recall@50": r50,
    }


@dataclass
class _Query:
    ident: str
    ids: list[str]
    providers: list[str]
    comp: dict[str, np.ndarray]
    #: the demand names a category (else it is ranked with the ``…_problem`` weights, if any)
    named: bool = True


def prepare(
    pairs_by_query: Mapping[str, Sequence[Candidate]],
    *,
    side: str = "offering",
    named: Mapping[str, bool] | None = None,
):
    """Per query, its candidates' ids and score components (computed once, scored many times).
    For the demand side the candidates' ``offering`` is the fixed offering and ``ids`` must be
    given through ``_Query`` directly. ``named``: whether each demand names a category."""
    out = []
    for ident, cands in pairs_by_query.items():
        out.append(
            _Query(
                ident,
                [c.offering.id for c in cands],
                [c.offering.provider_key for c in cands],
                component_matrix(cands),
                True if named is None else named.get(ident, True),
            )
        )
    return out


def ranking(
    q: _Query, variant: str, w: Weights, *, diverse: bool = True, problem: Weights | None = None
) -> list[str]:
    """The offering ids of ``q`` best first; ``problem``: the weights for a demand that names no
    category (default ``w``)."""
    if problem is not None and not q.named:
        w = problem
    scores = variant_scores(variant, q.comp, w)
    idx, _ = order(variant, scores, q.comp, w)
    ids = [int(i) for i in idx]
    if diverse and variant in ("fused", "fused_lexical"):
        ids = diversify(ids, q.providers, w.per_provider)
    return [q.ids[i] for i in ids]


def mean_metrics(
    queries: Sequence[_Query],
    judgments: Judgments,
    variant: str,
    w: Weights,
    only=None,
    problem: Weights | None = None,
) -> dict[str, float]:
    rows = []
    for q in queries:
        if only is not None and q.ident not in only:
            continue
        grades = judgments.of(q.ident)
        if not any(g > 0 for g in grades.values()):
            continue
        rows.append(metrics_for(ranking(q, variant, w, problem=problem), grades))
    out = {}
    for key in ("ndcg@10", "p@5", "recall@50"):
        values = [r[key] for r in rows if not math.isnan(r[key])]
        out[key] = sum(values) / len(values) if values else float("nan")
    out["demands"] = len(rows)
    return out


def coverage(
    queries: Sequence[_Query],
    variant: str,
    w: Weights,
    universe: int,
    problem: Weights | None = None,
) -> float:
    seen: set[str] = set()
    for q in queries:
        seen.update(ranking(q, variant, w, problem=problem)[:10])
    return len(seen) / universe if universe else float("nan")


#: the grid each weight is searched over
GRID = {
    "lexical": (0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8),
    "semantic": (0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8),
    "category": (0.0, 0.1, 0.2, 0.4, 0.6),
    "industry": (0.0, 0.05, 0.1, 0.2),
    "cases": (0.0, 0.05, 0.1, 0.2),
    "local": (0.0, 0.05, 0.1, 0.2),
    "nice": (0.0, 0.05, 0.1),
    "domain": (0.0, 0.05, 0.1, 0.2, 0.3),
    "floor": (0.0, 0.3, 0.5, 0.6, 0.7, 0.8),
}


def tune(
    queries: Sequence[_Query],
    judgments: Judgments,
    variant: str,
    start: Weights,
    dev: set[str],
    *,
    rounds: int = 3,
    problem: Weights | None = None,
    names: Sequence[str] | None = None,
) -> tuple[Weights, float]:
    """Coordinate search on the development demands: each weight in turn takes the grid value
    that maximises mean nDCG@10 (ties keep the current value), for ``rounds`` passes or until
    nothing changes. ``fused_lexical`` keeps ``semantic`` at 0. ``problem``: fixed weights for
    the demands that name no category; ``names``: search only these weights."""
    best = start
    best_score = mean_metrics(queries, judgments, variant, best, dev, problem)["ndcg@10"]
    names = [
        f.name for f in fields(Weights) if f.name in GRID and (names is None or f.name in names)
    ]
    for _ in range(rounds):
        changed = False
        for name in names:
            if variant == "fused_lexical" and name == "semantic":
                continue
            for value in GRID[name]:
                trial = replace(best, **{name: value})
                if trial == best:
                    continue
                score = mean_metrics(queries, judgments, variant, trial, dev, problem)["ndcg@10"]
                if score > best_score + 1e-9:
                    best, best_score, changed = trial, score, True
        if not changed:
            break
    return best, best_score


def evaluate_variants(
    queries: Sequence[_Query],
    reverse: Sequence[_Query],
    judgments: Judgments,
    weights: Mapping[str, Weights],
    *,
    n_offerings: int,
    n_demands: int,
    dev: set[str],
    test: set[str],
) -> list[dict]:
    """One row per variant: metrics on the development split, on the test split and on all,
    and the coverage of both sides."""
    rows = []
    for variant in VARIANTS:
        w = weights.get(variant) or weights["fused"]
        problem = weights.get(variant + PROBLEM)
        row = {"variant": variant}
        for split, only in (("dev", dev), ("test", test), ("all", None)):
            row[split] = mean_metrics(queries, judgments, variant, w, only, problem)
        row["coverage_offerings"] = coverage(queries, variant, w, n_offerings, problem)
        row["coverage_demands"] = coverage(reverse, variant, w, n_demands) if reverse else None
        rows.append(row)
    return rows


def demand_ids(demands: Sequence[Demand]) -> list[str]:
    return [d.id for d in demands]


# --- by demand type, variants side by side (issue 16) -----------------------------------------

#: how a demand is written (the gold set's ``style``; a demand without one names its category)
DEMAND_TYPES = ("category_given", "problem_only", "wrong_category")


def _bigrams(text: str) -> Counter:
    chars = [ch.lower() for ch in text if ch.isalnum()]
    return Counter(a + b for a, b in itertools.pairwise(chars))


class BigramBaseline:
    """The naive baseline: BM25 (k1 1.2, b 0.75) over character bigrams of an offering's title,
    description and cases — no dictionary, synonyms, categories or structure."""

    def __init__(self, offerings: Sequence):
        self.ids = [o.id for o in offerings]
        self.docs = [_bigrams(" ".join(o.fields().values())) for o in offerings]
        self.lens = [sum(d.values()) for d in self.docs]
        self.avg = (sum(self.lens) / len(self.lens)) if self.lens else 1.0
        self.df: Counter = Counter(t for d in self.docs for t in d)

    def rank(self, demand, allowed: set[str] | None = None) -> list[str]:
        q = _bigrams(f"{demand.title} {demand.description}")
        n = len(self.docs)
        scored = []
        for ident, doc, dl in zip(self.ids, self.docs, self.lens, strict=True):
            if allowed is not None and ident not in allowed:
                continue
            s = 0.0
            for t in q:
                tf = doc.get(t, 0)
                if tf:
                    idf = math.log(1 + (n - self.df[t] + 0.5) / (self.df[t] + 0.5))
                    s += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / self.avg))
            if s > 0:
                scored.append((-s, ident))
        return [i for _, i in sorted(scored)]


def metrics_by_type(
    rankings: Mapping[str, Sequence[str]],
    judgments: Judgments,
    types: Mapping[str, str],
    only: set[str] | None = None,
) -> dict[str, dict[str, float]]:
    """Mean nDCG@10, P@5, Recall@50 per demand type (and ``all``) of precomputed rankings."""
    rows: dict[str, list[dict]] = {t: [] for t in (*DEMAND_TYPES, "all")}
    for ident, ranking in rankings.items():
        if only is not None and ident not in only:
            continue
        grades = judgments.of(ident)
        if not any(g > 0 for g in grades.values()):
            continue
        m = metrics_for(list(ranking), grades)
        rows[types.get(ident, "category_given")].append(m)
        rows["all"].append(m)
    out = {}
    for t, ms in rows.items():
        cell = {}
        for key in ("ndcg@10", "p@5", "recall@50"):
            values = [r[key] for r in ms if not math.isnan(r[key])]
            cell[key] = sum(values) / len(values) if values else float("nan")
        cell["demands"] = len(ms)
        out[t] = cell
    return out


#: thresholds searched for the supply-gap score: 0.20, 0.25, … 0.95
GAP_THRESHOLDS = tuple(round(0.20 + 0.05 * i, 2) for i in range(16))


def gap_calibration(
    best: Mapping[str, tuple[float | None, bool]],
    judgments: Judgments,
    dev: Sequence[str],
    test: Sequence[str],
    thresholds: Sequence[float] = GAP_THRESHOLDS,
) -> dict:
    """The supply-gap threshold chosen on the development split.

    ``best``: demand id → (the fused score of its best offering, or None when it has none;
    whether that offering meets every must-have). A demand is *flagged* at threshold t when it
    has no offering, its best scores below t, or its best misses a must-have — the rule of the
    supply-gap page. It *is* a gap when no offering of the gold set was graded above 1 for it
    (nothing solves it). For every threshold: found (gaps flagged), false alarms (flagged
    non-gaps) and Youden's J = found/gaps − false alarms/non-gaps on each split; the threshold
    is the best J on the development split (ties: the lower threshold, fewer false alarms).
    The test split is read only at the chosen threshold."""

    def flagged(ident: str, t: float) -> bool:
        score, meets_all = best.get(ident, (None, False))
        return score is None or score < t or not meets_all

    def counts(ids: Sequence[str], t: float) -> dict:
        gaps = [i for i in ids if max(judgments.of(i).values(), default=0) <= 1]
        others = [i for i in ids if i not in set(gaps)]
        found = sum(flagged(i, t) for i in gaps)
        alarms = sum(flagged(i, t) for i in others)
        j = (found / len(gaps) if gaps else 0.0) - (alarms / len(others) if others else 0.0)
        return {
            "gaps": len(gaps),
            "found": found,
            "non_gaps": len(others),
            "false_alarms": alarms,
            "youden": round(j, 4),
        }

    rows = [{"threshold": t, "dev": counts(dev, t)} for t in thresholds]
    chosen = max(rows, key=lambda r: (r["dev"]["youden"], -r["threshold"]))
    return {
        "rows": rows,
        "threshold": chosen["threshold"],
        "dev": chosen["dev"],
        "test": counts(test, chosen["threshold"]),
    }
