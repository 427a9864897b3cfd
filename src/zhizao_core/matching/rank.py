"""Scoring one demand against candidate offerings: hard filters, requirement checks, structured
fit, the fused score and the reasons a person can check.

Everything here works on plain data. The index (``index.py``) supplies each candidate's lexical
BM25 and cosine similarity; this module turns them into features, a fused score and reasons.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from importlib import resources

import numpy as np

from .lexicon import (
    demand_domains,
    domain_fit,
    domains_of,
    read_demand,
    read_offering_categories,
)
from .model import _LEVELLED_RE, Demand, Offering, Requirement, Signals, certification_level
from .text import CONCEPT_PREFIX, analyze, concepts_of, normalize
from .vocabulary import CATEGORIES, CERTIFICATIONS, LEVEL_ONE_IS_BEST

__all__ = [
    "VARIANTS",
    "Check",
    "Match",
    "Names",
    "Reason",
    "Weights",
    "check_requirement",
    "covers_region",
    "same_division",
    "tuned_weights",
    "weights_for",
]

#: the ranking variants (``--variant``), in the order the evaluation reports them
VARIANTS = ("lexical", "structured", "embeddings", "fused_lexical", "fused", "rrf")
_SECTIONS = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}  # fmt: skip
NATIONWIDE = {"100000", "000000"}
_LOCAL_WORDS = re.compile(r"本地|驻场|服务团队|分公司|办事处|服务网点|服务中心")


# --- names for reasons ----------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """Chinese and English names of region (GB/T 2260) and industry (GB/T 4754) codes, used
    only to word reasons; without them reasons show the codes."""

    regions: dict[str, tuple[str, str]] = field(default_factory=dict)
    industries: dict[str, tuple[str, str]] = field(default_factory=dict)

    def place(self, code: str | None, lang: str = "zh") -> str:
        """The short name of the city (or province) of ``code``: 320412 → 常州 / Changzhou."""
        if not code:
            return ""
        for candidate in (code[:4] + "00", code, code[:2] + "0000"):
            if candidate in self.regions:
                zh, en = self.regions[candidate]
                if lang == "en":
                    return en or zh
                return re.sub(r"(省|市|自治区|特别行政区)$", "", zh) or zh
        return code

    def industry(self, code: str | None, lang: str = "zh") -> str:
        if not code:
            return ""
        for candidate in (code, code[:2]):
            if candidate in self.industries:
                zh, en = self.industries[candidate]
                return en if lang == "en" and en else zh
        return code


# --- codes ----------------------------------------------------------------------------------


@cache
def _section(code: str) -> str | None:
    # cached: the full scoring asks it several times per offering (about a fifth of a
    # candidate's structured features), for a few hundred distinct codes
    if not code:
        return None
    if code[0].isalpha():
        return code[0]
    division = int(code[:2])
    return next((s for s, (lo, hi) in _SECTIONS.items() if lo <= division <= hi), None)


def same_division(a: str | None, b: str | None) -> bool:
    """Two GB/T 4754 codes share their division (first two digits); a section letter matches
    every division in it."""
    if not a or not b:
        return False
    if a[0].isalpha() or b[0].isalpha():
        return _section(a) == _section(b)
    return a[:2] == b[:2]


def _industry_fit(served: Sequence[str], industry: str | None) -> float:
    if not industry or not served:
        return 0.0
    best = 0.0
    for code in served:
        if code[0].isalpha() or industry[0].isalpha():
            if _section(code) == _section(industry):
                best = max(best, 1.0 if code == industry else 0.5)
        elif industry.startswith(code) or code.startswith(industry):
            return 1.0
        elif code[:2] == industry[:2]:
            best = max(best, 0.75)
        elif _section(code) == _section(industry):
            best = max(best, 0.25)
    return best


def covers_region(code: str, region: str | None) -> bool:
    """A GB/T 2260 code covers itself and, as a prefix, what lies in it: 320000 (Jiangsu) covers
    320400 (Changzhou) and 320412 (Wujin); 100000 means nationwide."""
    if not region:
        return False
    if code in NATIONWIDE:
        return True
    prefix = code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return region.startswith(prefix)


# --- requirements ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    requirement: Requirement
    met: bool
    #: what satisfied it ("CMMI5", "常州", a phrase of the text) — shown after the label
    evidence: str = ""


def _offering_text(offering: Offering) -> str:
    return "\n".join(offering.fields().values())


class _Texts:
    """What the requirement checks read from one offering's text, computed once per offering
    (not once per requirement and query): the text, its normalised forms, the certifications
    found and the token set."""

    __slots__ = ("_certs", "_tokens", "compact", "norm", "text")

    def __init__(self, offering: Offering):
        self.text = _offering_text(offering)
        self.norm = normalize(self.text)
        self.compact = re.sub(r"\s+", "", self.norm)
        self._certs: list | None = None
        self._tokens: frozenset[str] | None = None

    def tokens(self) -> frozenset[str]:
        if self._tokens is None:
            self._tokens = frozenset(s.token for s in analyze(self.text).spans)
        return self._tokens


#: per offering object (by identity, holding it so that the id stays its own), oldest dropped
_TEXTS: dict[int, tuple[Offering, _Texts]] = {}
_TEXTS_SIZE = 65536


def _texts(offering: Offering) -> _Texts:
    hit = _TEXTS.get(id(offering))
    if hit is not None and hit[0] is offering:
        return hit[1]
    texts = _Texts(offering)
    while len(_TEXTS) >= _TEXTS_SIZE:
        try:
            del _TEXTS[next(iter(_TEXTS))]
        except (KeyError, RuntimeError, StopIteration):  # another thread got there first
            break
    _TEXTS[id(offering)] = (offering, texts)
    return texts


@cache
def _certification_names() -> tuple[tuple[str, str], ...]:
    return tuple((name, normalize(name)) for name in CERTIFICATIONS)


def _certifications(offering: Offering) -> list[tuple[str, int | None, str]]:
    texts = _texts(offering)
    if texts._certs is None:
        texts._certs = _find_certifications(offering, texts.text, texts.norm)
    return texts._certs


def certifications_of(offering: Offering) -> list[tuple[str, int | None, str]]:
    """The certifications an offering holds (fields and text): (name, level, as written) —
    what the requirement checks read, computed without the per-offering cache (indexing)."""
    text = _offering_text(offering)
    return _find_certifications(offering, text, normalize(text))


def _find_certifications(offering: Offering, text: str, norm: str):
    found = []
    for raw in offering.certifications:
        parsed = certification_level(raw)
        if parsed:
            found.append((parsed[0], parsed[1], raw))
    for m in _LEVELLED_RE.finditer(text):
        parsed = certification_level(m.group())
        if parsed:
            found.append((parsed[0], parsed[1], m.group().strip()))
    compact = re.sub(r"[\s:：-]", "", norm)
    for name, norm_name in _certification_names():
        if norm_name in compact:
            found.append((name, None, name))
    return found


def _text_found(phrase: str, offering: Offering) -> str:
    """The evidence that ``phrase`` is in the offering's text ('' when it is not): the phrase
    itself, a synonym of it, or (for longer phrases) all its words."""
    texts = _texts(offering)
    text = texts.text
    compact = re.sub(r"\s+", "", normalize(phrase))
    if compact and compact in texts.compact:
        return phrase
    wanted = {s.token for s in concepts_of(phrase)}
    if wanted:
        for span in concepts_of(text):
            if span.token in wanted:
                return text[span.start : span.end]
    words = {s.token for s in analyze(phrase).spans if not s.token.startswith(CONCEPT_PREFIX)}
    # every token of the text is a piece of its normalised form: a word that is not there
    # cannot be among them, and the text need not be segmented
    if words and all(w in texts.norm for w in words) and words <= texts.tokens():
        return "、".join(sorted(words))
    return ""


def _at_least(name: str, level: int, wanted: int) -> bool:
    """Is ``level`` as good as ``wanted``? Higher is better, except for ITSS (1 is best)."""
    if name in LEVEL_ONE_IS_BEST:
        return level <= wanted if level else False
    return level >= wanted


def check_requirement(req: Requirement, demand: Demand, offering: Offering, names: Names) -> Check:
    """Is ``req`` met by ``offering``? Structured fields first, then the offering's text."""
    if req.kind == "certification":
        best = None
        for name, level, raw in _certifications(offering):
            if name != req.value:
                continue
            if req.min_level is None or (
                level is not None and _at_least(name, level, req.min_level)
            ):
                if best is None or _at_least(name, level or 0, best[0] or 0):
                    best = (level, raw)
        return Check(req, best is not None, best[1] if best else "")
    if req.kind == "region":
        region = req.value or demand.region
        for code in offering.regions:
            if covers_region(code, region):
                return Check(req, True, names.place(region))
        place = names.place(region) if region else ""
        if place and place != region:
            text = _texts(offering).text
            for m in re.finditer(re.escape(place), text):
                window = text[max(0, m.start() - 8) : m.end() + 8]
                if _LOCAL_WORDS.search(window):
                    return Check(req, True, window.strip())
        return Check(req, False)
    if req.kind == "industry_case":
        industry = req.value or demand.industry
        cases = [c for c in offering.cases if same_division(c.industry, industry)]
        return Check(req, bool(cases), cases[0].title if cases else "")
    if req.kind == "category":
        return Check(req, req.value in offering.categories, CATEGORIES.get(req.value, ("",))[0])
    evidence = _text_found(req.value or "", offering)
    return Check(req, bool(evidence), evidence)


# --- weights --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weights:
    """Weights of the fused score (components are each scaled to 0–1 per query)."""

    lexical: float = 0.3
    semantic: float = 0.5
    category: float = 0.2
    industry: float = 0.05
    cases: float = 0.05
    local: float = 0.05
    nice: float = 0.05
    #: the domain fit (``lexicon.domain_fit``): 0 for an offering whose title says it is made for
    #: a trade (钣金, 注塑, 布匹, PCB …) the demand does not name, else 1 (issue 16)
    domain: float = 0.0
    #: results whose fused score is below ``floor`` × the best are 'not relevant': they follow
    #: every relevant result, whatever their requirements
    floor: float = 0.5
    #: introductions: at most this much is added (a capped, log-scaled, smoothed boost)
    signals: float = 0.05
    #: the diversity rule: at most this many offerings of one provider in the first ten
    per_provider: int = 2

    def as_json(self) -> dict:
        return asdict(self)

    def total(self) -> float:
        """The sum of the component weights (the fused score's divisor)."""
        return (
            self.lexical
            + self.semantic
            + self.category
            + self.industry
            + self.cases
            + self.local
            + self.nice
            + self.domain
        )


@cache
def tuned_weights() -> dict[str, Weights]:
    """The weights tuned on the gold set's development split (``data/weights.json``, written
    by ``zhizao match evaluate --write-weights``), by variant."""
    path = resources.files("zhizao_core.matching").joinpath("data", "weights.json")
    defaults = {
        "fused": Weights(),
        "fused_lexical": Weights(lexical=0.6, semantic=0.0),
    }
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return defaults
    for name, values in data.get("variants", {}).items():
        defaults[name] = Weights(**values)
    return defaults


#: the weights for a demand that names no category (what it needs is read from its text) are
#: stored under the variant's name with this suffix (``fused_problem``); without them, the
#: variant's own
PROBLEM = "_problem"


def weights_for(table, variant: str, demand: Demand | None) -> Weights:
    """The weights of ``variant`` for ``demand``: its ``…_problem`` set when the demand names no
    category (issue 16: such a demand is led by its text, not by a category it chose)."""
    w = table.get(variant) or table["fused"]
    if demand is not None and not demand.category:
        return table.get(variant + PROBLEM, w)
    return w


# --- signals --------------------------------------------------------------------------------


def signal_boost(signals: Signals | None) -> float:
    """In −1…1: the smoothed success rate of past introductions (accepted, with a deal counting
    double, against declined), scaled by a confidence that grows with the log of their number
    and saturates. One provider with hundreds of deals gets no more than one with a steady ten."""
    if signals is None:
        return 0.0
    good = signals.accepted + 2 * signals.dealt
    total = signals.accepted + signals.declined + signals.dealt
    if total <= 0:
        return 0.0
    rate = (good + 1) / (good + signals.declined + 2)  # Laplace: 0.5 with no evidence
    confidence = min(1.0, math.log1p(total) / math.log1p(20))
    return max(-1.0, min(1.0, (rate - 0.5) * 2 * confidence))


# --- reasons and matches ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    code: str
    zh: str
    en: str
    data: dict = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Match:
    """One ranked result: an offering for a demand (``side="offering"``) or a demand for an
    offering (``side="demand"``)."""

    id: str
    side: str
    score: float
    reasons: tuple[Reason, ...]
    #: requirement checks of the demand, in its order
    checks: tuple[Check, ...] = ()
    #: matched phrases in the listing's text: {"field", "start", "end", "text"}
    highlights: tuple[dict, ...] = ()
    #: the components of the fused score, each 0–1
    components: dict = field(default_factory=dict)
    #: what a person is shown instead of the score: 0–100, the fused score as a percentage
    #: (never negative; missed requirements are said in the reasons, not subtracted here)
    fit: int = 0

    @property
    def meets_all(self) -> bool:
        return all(c.met for c in self.checks)

    def as_json(self, lang: str = "zh") -> dict:
        return {
            self.side: self.id,
            "score": round(self.score, 4),
            "reasons": [r.text(lang) for r in self.reasons],
        }


def _join(items: Sequence[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def must_reason(checks: Sequence[Check]) -> Reason:
    met = [c for c in checks if c.met]
    missing = [c for c in checks if not c.met]

    def label(c: Check, lang: str) -> str:
        base = c.requirement.label or str(c.requirement.value)
        ev = c.evidence
        if ev and normalize(ev) != normalize(base):
            return f"{base}（{ev}）" if lang == "zh" else f"{base} ({ev})"
        return base

    n, total = len(met), len(checks)
    if not missing:
        zh = f"满足全部 {total} 项要求：{_join([label(c, 'zh') for c in met], 'zh')}"
        en = f"Meets all {total} requirements: {_join([label(c, 'en') for c in met], 'en')}"
    else:
        zh = f"满足 {n}/{total} 项要求"
        en = f"Meets {n} of {total} requirements"
        if met:
            zh += f"：{_join([label(c, 'zh') for c in met], 'zh')}"
            en += f": {_join([label(c, 'en') for c in met], 'en')}"
        zh += f"；缺少 {_join([label(c, 'zh') for c in missing], 'zh')}"
        en += f"; missing {_join([label(c, 'en') for c in missing], 'en')}"
    return Reason(
        "requirements",
        zh,
        en,
        {"met": n, "total": total, "missing": [c.requirement.label for c in missing]},
    )


def highlights_of(
    fields: dict[str, str], query_tokens: set[str], idf: dict[str, float], limit: int = 6
) -> list[dict]:
    """Phrases of ``fields`` made of query tokens (overlapping and touching spans merged), the
    rarest first, each with its field and position."""
    found: list[tuple[float, dict]] = []
    seen_text: set[str] = set()
    for name, text in fields.items():
        spans = sorted(
            (s for s in analyze(text).spans if s.token in query_tokens),
            key=lambda s: (s.start, -s.end),
        )
        merged: list[list] = []
        for s in spans:
            weight = idf.get(s.token, 0.0)
            if merged and s.start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], s.end)
                merged[-1][2] = max(merged[-1][2], weight)
            else:
                merged.append([s.start, s.end, weight])
        for start, end, weight in merged:
            phrase = text[start:end]
            key = normalize(phrase)
            if key in seen_text:
                continue
            seen_text.add(key)
            found.append((weight, {"field": name, "start": start, "end": end, "text": phrase}))
    found.sort(key=lambda item: -item[0])
    return [h for _, h in found[:limit]]


@dataclass
class Candidate:
    """Features of one (demand, listing) pair; ``lexical`` and ``cosine`` come from the index."""

    offering: Offering
    lexical: float = 0.0
    cosine: float | None = None
    signals: Signals | None = None
    checks: tuple[Check, ...] = ()
    nice: tuple[Check, ...] = ()
    category: float = 0.0
    industry: float = 0.0
    cases: int = 0
    local: float = 0.0
    budget_ok: bool = True
    #: the category that gave ``category`` its weight, and whether it was read from the text
    category_code: str | None = None
    inferred: bool = False
    domain: float = 0.0
    #: the domains the demand names that the offering's title names: (domain, the demand's
    #: phrases, the title's)
    domains: tuple = ()

    def missed(self) -> int:
        return sum(1 for c in self.checks if not c.met)

    def nice_share(self) -> float:
        return sum(c.met for c in self.nice) / len(self.nice) if self.nice else 0.0


def is_financing(demand: Demand, understand: bool = True) -> bool:
    """A financing demand: it names the category, or (named none) its text reads as one."""
    if not understand:
        return demand.category == "financing"
    return read_demand(demand).financing


def allowed(demand: Demand, offering: Offering, understand: bool = True) -> bool:
    """Hard filters: financing demands meet financial products and nothing else (and the other
    way round); an offering whose lowest price is above the demand's budget is left out."""
    financing = is_financing(demand, understand)
    if financing != (offering.kind == "financial"):
        return False
    if (
        demand.budget_yuan is not None
        and offering.price_min_yuan is not None
        and offering.price_min_yuan > demand.budget_yuan
    ):
        return False
    return True


def local_presence(offering: Offering, region: str | None) -> str | None:
    """How the offering is present in ``region``: ``"local"`` (one of its regions is the region's
    city or lies in it — a team there), ``"province"`` (it serves the whole province) or
    ``"nationwide"``; ``None`` when no region of it covers ``region``."""
    if not region:
        return None
    best = None
    for code in offering.regions:
        if not covers_region(code, region):
            continue
        if code in NATIONWIDE:
            best = best or "nationwide"
        elif code.endswith("0000"):
            best = "province" if best in (None, "nationwide") else best
        else:
            return "local"
    return best


def structured_features(
    cand: Candidate, demand: Demand, names: Names, understand: bool = True
) -> Candidate:
    o = cand.offering
    cand.checks = tuple(check_requirement(r, demand, o, names) for r in demand.must)
    cand.nice = tuple(check_requirement(r, demand, o, names) for r in demand.nice)
    if understand:
        reading = read_demand(demand)
        best, which = 0.0, None
        for code, own in read_offering_categories(o).items():
            w = reading.weights.get(code, 0.0) * own
            if w > best:
                best, which = w, code
        cand.category, cand.category_code = best, which
        cand.inferred = which is not None and which != demand.category
        asked, specialised = demand_domains(demand), domains_of(o.title)
        cand.domain = domain_fit(asked, specialised)
        if not demand.category:  # said as a reason where it counts (``weights_for``)
            cand.domains = tuple((d, asked[d], specialised[d]) for d in asked if d in specialised)
    else:
        cand.category = 1.0 if demand.category and demand.category in o.categories else 0.0
        cand.category_code = demand.category if cand.category else None
    cand.industry = _industry_fit(o.industries, demand.industry)
    cand.cases = sum(1 for c in o.cases if same_division(c.industry, demand.industry))
    cand.local = (
        1.0 if demand.region and any(covers_region(c, demand.region) for c in o.regions) else 0.0
    )
    return cand


def _minmax(values: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values
    lo, hi = float(values.min()), float(values.max())
    if hi - lo <= 1e-12:
        return np.where(values > 0, 1.0, 0.0) if hi > 0 else np.zeros_like(values)
    return (values - lo) / (hi - lo)


def component_matrix(cands: Sequence[Candidate]) -> dict[str, np.ndarray]:
    """The score components over the candidates, each scaled to 0–1 for this query."""
    lex = np.array([c.lexical for c in cands], dtype=np.float64)
    lex = lex / lex.max() if lex.size and lex.max() > 0 else np.zeros_like(lex)
    cos = np.array([c.cosine if c.cosine is not None else np.nan for c in cands], dtype=np.float64)
    sem = (
        np.zeros_like(cos)
        if np.all(np.isnan(cos))
        else _minmax(np.nan_to_num(cos, nan=np.nanmin(cos)))
    )
    return {
        "lexical": lex,
        "semantic": sem,
        "category": np.array([c.category for c in cands]),
        "industry": np.array([c.industry for c in cands]),
        "cases": np.array([min(c.cases, 3) / 3 for c in cands]),
        "local": np.array([c.local for c in cands]),
        "nice": np.array([c.nice_share() for c in cands]),
        "domain": np.array([c.domain for c in cands], dtype=np.float64),
        "signals": np.array([signal_boost(c.signals) for c in cands]),
        "missed": np.array([c.missed() for c in cands], dtype=np.float64),
        "cosine": cos,
    }


def fused_scores(comp: dict[str, np.ndarray], w: Weights) -> np.ndarray:
    total = (
        w.lexical * comp["lexical"]
        + w.semantic * comp["semantic"]
        + w.category * comp["category"]
        + w.industry * comp["industry"]
        + w.cases * comp["cases"]
        + w.local * comp["local"]
        + w.nice * comp["nice"]
        + w.domain * comp["domain"]
    )
    scale = w.total() or 1.0
    return total / scale + w.signals * comp["signals"]


def variant_scores(variant: str, comp: dict[str, np.ndarray], w: Weights) -> np.ndarray:
    """The ranking score of a variant. Fused variants also order by requirements (see
    ``order``); single-signal variants do not."""
    if variant == "lexical":
        return comp["lexical"].copy()
    if variant == "embeddings":
        return comp["semantic"].copy()
    if variant == "structured":
        return (
            comp["category"] * 1.0
            + comp["industry"] * 0.3
            + comp["cases"] * 0.3
            + comp["local"] * 0.2
            + comp["nice"] * 0.1
            - comp["missed"] * 0.25
        )
    if variant == "rrf":
        n = len(comp["lexical"])
        score = np.zeros(n)
        for key in ("lexical", "semantic"):
            if np.all(comp[key] == 0):
                continue
            ranks = np.empty(n)
            ranks[np.argsort(-comp[key], kind="stable")] = np.arange(1, n + 1)
            score += 1.0 / (60 + ranks)
        return score
    return fused_scores(comp, w)


def order(variant: str, scores: np.ndarray, comp: dict[str, np.ndarray], w: Weights):
    """Candidate positions best first, and the score shown for each.

    Fused variants: results at or above ``floor`` × the best fused score are *relevant*; a
    relevant result that misses a requirement comes after every relevant result that meets
    them all (then by the number missed), and every non-relevant result after those. The
    shown score is the fused score (0–1) minus 1 per missed requirement, minus (number of
    requirements + 1) more when not relevant, so it falls as the order does."""
    n = len(scores)
    if n == 0:
        return np.array([], dtype=int), scores
    if variant not in ("fused", "fused_lexical"):
        idx = np.lexsort((np.arange(n), -scores))
        return idx, scores
    best = float(scores.max())
    relevant = scores >= w.floor * best if best > 0 else np.ones(n, dtype=bool)
    missed = comp["missed"]
    shown = scores - missed - np.where(relevant, 0.0, missed.max() + 1.0)
    idx = np.lexsort((np.arange(n), -scores, missed, ~relevant))
    return idx, shown


def diversify(ids: list[int], providers: Sequence[str], per_provider: int, window: int = 10):
    """At most ``per_provider`` listings of one provider among the first ``window`` places:
    the provider's further listings move to just after the window, in their order."""
    if per_provider <= 0:
        return ids
    head, moved, counts = [], [], {}
    for pos, i in enumerate(ids):
        if len(head) >= window:
            return head + moved + ids[pos:]
        p = providers[i]
        if counts.get(p, 0) >= per_provider:
            moved.append(i)
            continue
        counts[p] = counts.get(p, 0) + 1
        head.append(i)
    return head + moved


def reasons_for(
    cand: Candidate,
    demand: Demand,
    comp_row: dict[str, float],
    highlights: list[dict],
    names: Names,
    reverse: bool = False,
) -> tuple[Reason, ...]:
    """The reasons of one result, in a fixed order: requirements, same-industry cases, local
    team, category, industry served, matched phrases, semantic similarity, nice-to-haves,
    budget, past introductions."""
    o = cand.offering
    out: list[Reason] = []
    if cand.checks:
        out.append(must_reason(cand.checks))
    if cand.cases:
        ind_zh = names.industry(demand.industry[:2] if demand.industry else None, "zh")
        ind_en = names.industry(demand.industry[:2] if demand.industry else None, "en")
        zh = f"同行业案例 {cand.cases} 个"
        en = f"{cand.cases} case{'s' if cand.cases != 1 else ''} in the same industry"
        if ind_zh and ind_zh != (demand.industry or "")[:2]:
            zh += f"（{ind_zh}）"
            en += f" ({ind_en})"
        out.append(Reason("industry_cases", zh, en, {"count": cand.cases}))
    presence = local_presence(o, demand.region) if cand.local else None
    if presence:
        zh_place, en_place = names.place(demand.region, "zh"), names.place(demand.region, "en")
        if presence == "local":
            zh, en = f"{zh_place}本地服务团队", f"Local service team in {en_place}"
        elif presence == "province":
            province = demand.region[:2] + "0000"
            zh_prov, en_prov = names.place(province, "zh"), names.place(province, "en")
            zh = f"服务范围覆盖{zh_prov}全省（含{zh_place}）"
            en = f"Serves all of {en_prov} (including {en_place})"
        else:
            zh, en = f"全国服务（含{zh_place}）", f"Serves nationwide (including {en_place})"
        out.append(
            Reason(
                "local_team" if presence == "local" else "service_area",
                zh,
                en,
                {"region": demand.region, "presence": presence},
            )
        )
    if cand.category and cand.category_code and not cand.inferred:
        zh, en = CATEGORIES[cand.category_code]
        out.append(
            Reason(
                "category",
                f"类别相符：{zh}",
                f"Same category: {en}",
                {"category": cand.category_code},
            )
        )
    if cand.category and cand.inferred:
        inference = read_demand(demand).inference(cand.category_code)
        if inference is not None:
            phrases = inference.phrases()
            cap = next(
                (
                    h.capability
                    for h in inference.hits
                    if cand.category_code in h.capability.categories
                ),
                inference.capability,
            )
            cat_zh, cat_en = CATEGORIES[cand.category_code]
            out.append(
                Reason(
                    "problem",
                    f"问题理解：{_join(phrases, 'zh')} → {cap.zh}",
                    f"Problem read: {_join(phrases, 'en')} → {cap.en}",
                    {
                        "phrases": phrases,
                        "capability": cap.zh,
                        "category": cand.category_code,
                        "category_name": [cat_zh, cat_en],
                        "confidence": inference.confidence,
                    },
                )
            )
    if cand.domains:
        zh_names = [d.zh for d, _, _ in cand.domains]
        en_names = [d.en for d, _, _ in cand.domains]
        phrases = list(dict.fromkeys(p for _, _, offered in cand.domains for p in offered))[:4]
        out.append(
            Reason(
                "domain",
                f"应用领域相符：{_join(zh_names, 'zh')}（{_join(phrases, 'zh')}）",
                f"Made for the same domain: {_join(en_names, 'en')} ({_join(phrases, 'en')})",
                {
                    "domains": [d.code for d, _, _ in cand.domains],
                    "phrases": phrases,
                    "demand_phrases": list(
                        dict.fromkeys(p for _, asked, _ in cand.domains for p in asked)
                    ),
                },
            )
        )
    if cand.industry >= 0.75 and demand.industry:
        out.append(
            Reason(
                "industry",
                f"服务本行业：{names.industry(demand.industry, 'zh')}",
                f"Serves the industry: {names.industry(demand.industry, 'en')}",
                {"industry": demand.industry},
            )
        )
    if highlights:
        phrases = [h["text"] for h in highlights]
        out.append(
            Reason(
                "matched_terms",
                f"匹配词：{_join(phrases, 'zh')}",
                f"Matched terms: {_join(phrases, 'en')}",
                {"highlights": highlights},
            )
        )
    if cand.cosine is not None and comp_row.get("semantic", 0.0) >= 0.5:
        out.append(
            Reason(
                "semantic",
                f"语义相近 {cand.cosine:.2f}",
                f"Semantically close {cand.cosine:.2f}",
                {"cosine": round(float(cand.cosine), 4)},
            )
        )
    if cand.nice:
        met = [c.requirement.label for c in cand.nice if c.met]
        if met:
            out.append(
                Reason(
                    "nice",
                    f"加分项 {len(met)}/{len(cand.nice)}：{_join(met, 'zh')}",
                    f"Nice-to-have {len(met)} of {len(cand.nice)}: {_join(met, 'en')}",
                    {"met": len(met), "total": len(cand.nice)},
                )
            )
    if demand.budget_yuan is not None and o.price_min_yuan is not None:
        out.append(
            Reason(
                "budget",
                f"起价 {_yuan(o.price_min_yuan, 'zh')} 在预算 {_yuan(demand.budget_yuan, 'zh')} 内",
                f"From {_yuan(o.price_min_yuan, 'en')}, within the budget of {_yuan(demand.budget_yuan, 'en')}",
                {},
            )
        )
    s = cand.signals
    if s and (s.accepted or s.dealt or s.declined):
        out.append(
            Reason(
                "introductions",
                f"过往对接：接受 {s.accepted} 次，成交 {s.dealt} 次，婉拒 {s.declined} 次",
                f"Past introductions: {s.accepted} accepted, {s.dealt} deals, {s.declined} declined",
                {"accepted": s.accepted, "dealt": s.dealt, "declined": s.declined},
            )
        )
    return tuple(out)


def _yuan(amount, lang: str) -> str:
    value = float(amount)
    if lang == "zh":
        if value >= 10_000:
            return f"{value / 10_000:g} 万元"
        return f"{value:g} 元"
    return f"¥{value:,.0f}"


def fit_of(fused: float) -> int:
    """The 0–100 fit shown to people: the fused score (0–1, itself a weighted share of the
    components) as a whole percentage, clamped."""
    return max(0, min(100, round(fused * 100)))


def with_score(match: Match, score: float) -> Match:
    return replace(match, score=score)
