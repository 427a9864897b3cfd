"""Candidates from every signal, for an index too large to score every offering in full.

Besides its text postings, every offering row carries *structured postings*: one key per fact
the full scoring reads — its categories (with their weight, as ``read_offering_categories``
gives them), the industry codes it serves (and their prefixes, sections), the divisions of
its cases (with their count), the regions it covers, the certifications it holds (with the
level). ``structured_columns`` turns a demand into per-row columns over the whole index with a
few numpy assignments per key: the category, industry, cases and local-presence components
exactly as ``structured_features`` computes them, and an estimate of the requirements each row
misses. With the BM25 column and the signals, that is the fused score of every row except the
nice-to-haves and the semantic component; ``pick`` takes the best rows by it (and by it with
the requirement order), the lexical best and the dense best, and only those are scored in
full. Pure numpy; no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from .lexicon import read_demand, read_offering_categories
from .model import Demand, Offering
from .rank import NATIONWIDE, _at_least, _section, certifications_of
from .text import CONCEPT_PREFIX, token_counts

__all__ = ["offering_keys", "structured_columns"]


def _region_prefix(code: str) -> str:
    if code in NATIONWIDE:
        return "*"
    prefix = code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


def offering_keys(o: Offering) -> dict[str, float]:
    """The structured postings of one offering: key → value."""
    keys: dict[str, float] = {}
    for code, weight in read_offering_categories(o).items():
        keys["c:" + code] = max(keys.get("c:" + code, 0.0), weight)
    for code in o.categories:
        keys["cl:" + code] = 1.0  # listed (the ``category`` requirement reads only these)
    for code in o.industries:
        if not code:
            continue
        if code[0].isalpha():
            keys["il:" + code[0]] = 1.0  # a section letter served
            continue
        keys["i:" + code] = 1.0
        for n in range(2, len(code) + 1):
            keys["ip:" + code[:n]] = 1.0
        section = _section(code)
        if section:
            keys["is:" + section] = 1.0
    for case in o.cases:
        code = case.industry
        if not code:
            continue
        section = _section(code)
        if section:
            keys["ks:" + section] = keys.get("ks:" + section, 0.0) + 1.0
        if code[0].isalpha():
            keys["ka:" + code[0]] = keys.get("ka:" + code[0], 0.0) + 1.0
        else:
            keys["kd:" + code[:2]] = keys.get("kd:" + code[:2], 0.0) + 1.0
    for code in o.regions:
        if code:
            keys["r:" + _region_prefix(code)] = 1.0
    for name, level, _raw in certifications_of(o):
        key = "z:" + name
        value = float(level) if level is not None else 0.0
        old = keys.get(key)
        if old is None or (value and (not old or _at_least(name, int(value), int(old)))):
            keys[key] = value
    return keys


Postings = Callable[[str], tuple[np.ndarray, np.ndarray] | None]


def _industry(n: int, get: Postings, industry: str | None) -> np.ndarray:
    """``_industry_fit`` of every row (the value order 0.25 < 0.5 < 0.75 < 1 makes plain
    assignment a maximum)."""
    out = np.zeros(n, dtype=np.float64)
    if not industry:
        return out
    section = _section(industry)

    def put(key: str, value: float) -> None:
        hit = get(key)
        if hit is not None:
            out[hit[0]] = value

    if industry[0].isalpha():
        if section:
            put("il:" + section, 0.5)
            put("is:" + section, 0.5)
        put("il:" + industry, 1.0)
        return out
    if section:
        put("is:" + section, 0.25)
        put("il:" + section, 0.5)
    put("ip:" + industry[:2], 0.75)
    put("ip:" + industry, 1.0)  # served codes under the demand's
    for k in range(2, len(industry) + 1):  # served codes the demand's lies under
        put("i:" + industry[:k], 1.0)
    return out


def _cases(n: int, get: Postings, industry: str | None) -> np.ndarray:
    out = np.zeros(n, dtype=np.float64)
    if not industry:
        return out
    section = _section(industry)
    keys = (
        ["ks:" + section]
        if industry[0].isalpha()
        else ["kd:" + industry[:2]] + (["ka:" + section] if section else [])
    )
    for key in keys:
        hit = get(key)
        if hit is not None:  # a row appears once per key: a plain scatter-add (counts, exact),
            out[hit[0]] += hit[1]  # over the key's rows only (a bincount wrote all n)
    return out


def certified(n: int, get: Postings, req) -> np.ndarray:
    """Per row, whether the offering holds the certification ``req`` names, at its minimum
    level when it gives one (the test per distinct level, a handful, not per posting)."""
    met = np.zeros(n, dtype=bool)
    hit = get("z:" + (req.value or ""))
    if hit is not None:
        rows, levels = hit
        if req.min_level is None:
            met[rows] = True
        else:
            good = [
                v for v in np.unique(levels) if v and _at_least(req.value, int(v), req.min_level)
            ]
            met[rows[np.isin(levels, good)]] = True
    return met


def listed_category(n: int, get: Postings, code: str | None) -> np.ndarray:
    """Per row, whether the offering lists the category ``code``."""
    met = np.zeros(n, dtype=bool)
    hit = get("cl:" + (code or ""))
    if hit is not None:
        met[hit[0]] = True
    return met


def _covers(n: int, get: Postings, region: str | None) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    if not region:
        return out
    for key in ["r:*"] + ["r:" + region[:k] for k in range(2, len(region) + 1, 2)]:
        hit = get(key)
        if hit is not None:
            out[hit[0]] = True
    return out


def structured_columns(
    n: int,
    get: Postings,
    text_rows: Callable[[str], np.ndarray | None],
    demand: Demand,
    understand: bool = True,
    place: Callable[[str], str] | None = None,
) -> dict[str, np.ndarray]:
    """Per row: ``category``, ``industry``, ``cases`` (count), ``local`` — as
    ``structured_features`` computes them — and ``missed``, the requirements the row misses by
    its structured postings and its tokens (an estimate: a certification or a phrase found
    only in ways the postings do not see counts as missed; it orders candidates, it decides
    nothing shown). ``get(key)`` gives a structured posting (rows, values); ``text_rows(token)``
    the rows whose text has the token."""
    category = np.zeros(n, dtype=np.float64)
    category_reached = False
    if understand:
        weights: Mapping[str, float] = read_demand(demand).weights
        for code, w in weights.items():
            hit = get("c:" + code)
            if hit is not None and w > 0:
                rows, own = hit
                category[rows] = np.maximum(category[rows], w * own)
                category_reached = True
    elif demand.category:
        hit = get("cl:" + demand.category)
        if hit is not None:
            category[hit[0]] = 1.0
            category_reached = True
    industry = _industry(n, get, demand.industry)
    cases = _cases(n, get, demand.industry)
    local = _covers(n, get, demand.region)
    missed = np.zeros(n, dtype=np.float64)
    for req in demand.must:
        met = np.zeros(n, dtype=bool)
        if req.kind == "certification":
            met = certified(n, get, req)
        elif req.kind == "region":
            region = req.value or demand.region
            met = _covers(n, get, region) if region else met
            name = place(region) if (place and region) else ""
            if name and name != region:  # the city named in the text: its tokens
                met |= _all_tokens(n, text_rows, name)
        elif req.kind == "industry_case":
            met = _cases(n, get, req.value or demand.industry) > 0
        elif req.kind == "category":
            met = listed_category(n, get, req.value)
        else:
            met = _all_tokens(n, text_rows, req.value or "")
        missed += ~met
    touched = {
        name
        for name, reached in (
            ("category", category_reached),
            ("industry", _any_key(get, _industry_keys(demand.industry))),
            ("cases", _any_key(get, _case_keys(demand.industry))),
            ("local", _any_key(get, _region_keys(demand.region))),
        )
        if reached
    }
    return {
        "category": category,
        "industry": industry,
        "cases": cases,
        "local": local.astype(np.float64),
        "missed": missed,
        "touched": touched,  # the columns a posting reached (the others are all zeros)
    }


def _any_key(get: Postings, keys: list[str]) -> bool:
    return any(get(key) is not None for key in keys)


def _industry_keys(industry: str | None) -> list[str]:
    if not industry:
        return []
    section = _section(industry)
    keys = ["il:" + industry, "ip:" + industry[:2], "ip:" + industry]
    keys += ["i:" + industry[:k] for k in range(2, len(industry) + 1)]
    return keys + (["il:" + section, "is:" + section] if section else [])


def _case_keys(industry: str | None) -> list[str]:
    if not industry:
        return []
    section = _section(industry)
    if industry[0].isalpha():
        return ["ks:" + section] if section else []
    return ["kd:" + industry[:2]] + (["ka:" + section] if section else [])


def _region_keys(region: str | None) -> list[str]:
    if not region:
        return []
    return ["r:*"] + ["r:" + region[:k] for k in range(2, len(region) + 1, 2)]


def _all_tokens(n: int, text_rows, phrase: str) -> np.ndarray:
    """Rows whose text has every token of ``phrase`` (its concept tokens count as found: a
    synonym may be there); all rows when the phrase has no token the index knows."""
    counts = token_counts(phrase)
    words = [t for t in counts if not t.startswith(CONCEPT_PREFIX)]
    if not counts:
        return np.ones(n, dtype=bool)
    met = np.ones(n, dtype=bool) if words else np.zeros(n, dtype=bool)
    for token in words:
        rows = text_rows(token)
        if rows is None:
            met[:] = False
            break
        has = np.zeros(n, dtype=bool)
        has[rows] = True
        met &= has
    for concept in (t for t in counts if t.startswith(CONCEPT_PREFIX)):  # a synonym is there
        rows = text_rows(concept)
        if rows is not None:
            met[rows] = True
    return met
