"""Reading a listing the way its writer meant it: categories given in any of the accepted forms,
and the problem a demand describes turned into the capabilities that solve it.

* ``resolve_category("机器视觉检测")`` → ``"machine_vision"``: a code, the Chinese or English name
  (``vocabulary.CATEGORIES``) or an alias of ``data/categories.txt`` (MES, 制造执行系统, 视觉检测,
  AOI, …); ``None`` for a label we do not know (the caller keeps it as a tag).
* ``infer(text)`` reads the problem lexicon ``data/problems.txt`` (划伤/漏检 → 外观缺陷检测,
  停机/异响 → 预测性维护, 电费 → 能源管理, 老师傅退休/调机 → 工艺知识, …) and returns the
  categories the text points to, each with a confidence in 0–1 and the phrases that point there
  (with their place in the text, for the reason "表面划伤 → 外观缺陷检测（机器视觉）").
* ``read_demand(demand)`` combines the category the demand names with the ones its text points
  to: the weight each category gets in the structured fit, and the capability phrases added to
  the text query.

* ``domains_of(text)`` reads the application domains of ``data/domains.txt`` (钣金, 注塑, 布匹,
  PCB, 锂电 …) from a demand's text or an offering's title, for the domain fit of the ranking: an
  offering whose title says it is made for another trade fits a demand less.

All of it is data plus a little arithmetic; the files are versioned with the code.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from .text import normalize
from .vocabulary import CATEGORIES

__all__ = [
    "Capability",
    "Domain",
    "Hit",
    "Inference",
    "Reading",
    "demand_domains",
    "domain_fit",
    "domains_of",
    "infer",
    "read_demand",
    "read_offering_categories",
    "resolve_category",
]

_STRIP = re.compile(r"[\s()（）\[\]【】/／、,，.。:：_\-–—·]+")

#: a category the demand names keeps this weight when its text contradicts it
WRONG_CATEGORY_WEIGHT = 0.5
#: "contradicts": another category inferred with at least this confidence…
STRONG = 0.8
#: inferred categories below this confidence are not used (nor shown)
MIN_CONFIDENCE = 0.3
#: "contradicts": the named category's own confidence below this share of the best other
CONTRADICTED = 0.45
#: when the category named stands, the other categories the text suggests weigh this share
OTHER_WHEN_GIVEN = 0.5


def _key(label: str) -> str:
    return _STRIP.sub("", normalize(label))


def _lines(name: str) -> list[str]:
    raw = resources.files("zhizao_core.matching").joinpath("data", name).read_text("utf-8")
    return [ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, (zh, en) in CATEGORIES.items():
        for label in (code, zh, en):
            table.setdefault(_key(label), code)
    for line in _lines("categories.txt"):
        code, *aliases = [p.strip() for p in line.split("|")]
        if code not in CATEGORIES:
            raise ValueError(f"categories.txt: unknown code {code}")
        for alias in aliases:
            if alias:
                table.setdefault(_key(alias), code)
    return table


def resolve_category(label: str | None) -> str | None:
    """The category code of ``label`` (code, Chinese or English name, or alias), or ``None``."""
    if not label or not isinstance(label, str):
        return None
    return _aliases().get(_key(label))


@dataclass(frozen=True)
class Capability:
    """One line of the problem lexicon."""

    categories: tuple[str, ...]
    zh: str
    en: str


@dataclass(frozen=True)
class Hit:
    """A phrase of the text that names a problem (``text[start:end]`` as written)."""

    phrase: str
    start: int
    end: int
    capability: Capability
    weight: float


@dataclass(frozen=True)
class Inference:
    category: str
    confidence: float
    #: the phrases that point to it, best first
    hits: tuple[Hit, ...]

    @property
    def capability(self) -> Capability:
        return self.hits[0].capability

    def phrases(self, limit: int = 3) -> list[str]:
        out: list[str] = []
        for h in self.hits:
            if h.phrase not in out:
                out.append(h.phrase)
        return out[:limit]


@cache
def _lexicon() -> tuple[re.Pattern, dict[str, list[tuple[Capability, float]]]]:
    table: dict[str, list[tuple[Capability, float]]] = {}
    for line in _lines("problems.txt"):
        cats, zh, en, *phrases = [p.strip() for p in line.split("|")]
        codes = tuple(c.strip() for c in cats.split(",") if c.strip())
        for code in codes:
            if code not in CATEGORIES:
                raise ValueError(f"problems.txt: unknown code {code}")
        cap = Capability(codes, zh, en)
        for phrase in phrases:
            text, _, weight = phrase.partition(":")
            key = _key(text)
            if key:
                table.setdefault(key, []).append((cap, float(weight or 1)))
    ordered = sorted(table, key=lambda p: (-len(p), p))
    return re.compile("|".join(re.escape(p) for p in ordered)), table


def hits_of(text: str) -> list[Hit]:
    """The lexicon's phrases in ``text`` (longest first, each place read once)."""
    return list(_hits_cached(text or ""))


@lru_cache(maxsize=16384)
def _hits_cached(text: str) -> tuple[Hit, ...]:
    norm = normalize(text)
    index = [i for i, ch in enumerate(norm) if not _STRIP.fullmatch(ch)]
    compact = "".join(norm[i] for i in index)
    pattern, table = _lexicon()
    out = []
    for m in pattern.finditer(compact):
        start, end = index[m.start()], index[m.end() - 1] + 1
        for cap, weight in table[m.group()]:
            out.append(Hit(text[start:end], start, end, cap, weight))
    return tuple(out)


def infer(text: str) -> tuple[Inference, ...]:
    """The categories ``text`` points to, most confident first. A phrase counts once however
    often it appears; the first category of its line gets its weight, the others half.
    Confidence = (1 − e^(−s/2)) × s / s_best, where s is a category's summed weight: one
    strong phrase (weight 2) gives 0.63, two give 0.86; a category far behind the best is damped."""
    return _infer_cached(text or "")


@lru_cache(maxsize=16384)
def _infer_cached(text: str) -> tuple[Inference, ...]:
    scores: Counter = Counter()
    evidence: dict[str, list[tuple[float, Hit]]] = {}
    seen: set[tuple[str, str]] = set()
    for hit in _hits_cached(text):
        for i, code in enumerate(hit.capability.categories):
            key = (code, _key(hit.phrase))
            if key in seen:
                continue
            seen.add(key)
            w = hit.weight if i == 0 else hit.weight / 2
            scores[code] += w
            evidence.setdefault(code, []).append((w, hit))
    if not scores:
        return ()
    best = max(scores.values())
    out = []
    for code, s in scores.items():
        conf = (1 - math.exp(-s / 2)) * (s / best)
        if conf < MIN_CONFIDENCE:
            continue
        hits = tuple(h for _, h in sorted(evidence[code], key=lambda x: (-x[0], x[1].start)))
        out.append(Inference(code, round(conf, 4), hits))
    out.sort(key=lambda inf: (-inf.confidence, inf.category))
    return tuple(out)


@dataclass(frozen=True)
class Reading:
    """How a demand was read: the weight of each category in the structured fit (the named
    category 1.0 — or ``WRONG_CATEGORY_WEIGHT`` when the text points strongly elsewhere — and
    each inferred category its confidence), the inferences, and whether it is a financing
    demand."""

    weights: dict
    inferred: tuple[Inference, ...]
    given: str | None
    financing: bool

    def weight_of(self, categories) -> tuple[float, str | None]:
        """The best weight over ``categories`` and the category that gives it."""
        best, which = 0.0, None
        for code in categories:
            w = self.weights.get(code, 0.0)
            if w > best:
                best, which = w, code
        return best, which

    def inference(self, code: str) -> Inference | None:
        return next((i for i in self.inferred if i.category == code), None)

    def expansion(self) -> list[str]:
        """The capability names to add to the text query (one per capability read)."""
        out: list[str] = []
        for inf in self.inferred:
            for hit in inf.hits:
                if hit.capability.zh not in out:
                    out.append(hit.capability.zh)
        return out


def demand_text_for_reading(demand) -> str:
    parts = [demand.title, demand.description, *getattr(demand, "tags", ())]
    return "\n".join(p for p in parts if p)


@lru_cache(maxsize=16384)
def read_demand(demand) -> Reading:
    """The reading of a ``model.Demand`` (cached per demand value)."""
    text = demand_text_for_reading(demand)
    inferred = infer(text)
    weights: dict[str, float] = {inf.category: inf.confidence for inf in inferred}
    given = demand.category
    if given:
        others = [i.confidence for i in inferred if i.category != given]
        own = weights.get(given, 0.0)
        strong_elsewhere = (
            bool(others) and max(others) >= STRONG and own < CONTRADICTED * max(others)
        )
        if strong_elsewhere:  # the text contradicts the category named: the text wins
            weights[given] = WRONG_CATEGORY_WEIGHT
        else:  # the category named leads; what the text suggests besides it follows
            weights = {code: w * OTHER_WHEN_GIVEN for code, w in weights.items()}
            weights[given] = 1.0
    reads_financing = bool(inferred) and inferred[0].category == "financing"
    if given and weights[given] == 1.0:
        financing = given == "financing"
    else:  # named none, or named one its text contradicts
        financing = reads_financing
    return Reading(weights, inferred, given, financing)


def read_offering_categories(offering) -> dict[str, float]:
    """An offering's categories with their weight: those it lists (and tags that resolve to a
    category) 1.0; with none listed, those inferred from its title and description."""
    cats = {c: 1.0 for c in offering.categories}
    for tag in getattr(offering, "tags", ()):
        code = resolve_category(tag)
        if code:
            cats.setdefault(code, 1.0)
    if cats:
        return cats
    return {
        i.category: i.confidence
        for i in infer(f"{offering.title}\n{offering.description[:300]}")
        if i.confidence >= 0.5
    }


# --- the same reading on both sides: capabilities and application domains (issue 16) ---------


@dataclass(frozen=True)
class Domain:
    """One line of ``data/domains.txt``: what a listing is made for or a factory makes."""

    code: str
    zh: str
    en: str


@cache
def _domain_lexicon() -> tuple[re.Pattern, dict[str, Domain]]:
    table: dict[str, Domain] = {}
    for line in _lines("domains.txt"):
        code, zh, en, *phrases = [p.strip() for p in line.split("|")]
        domain = Domain(code, zh, en)
        for phrase in phrases:
            key = _key(phrase)
            if key:
                table.setdefault(key, domain)
    ordered = sorted(table, key=lambda p: (-len(p), p))
    return re.compile("|".join(re.escape(p) for p in ordered)), table


def domains_of(text: str) -> dict[Domain, tuple[str, ...]]:
    """The application domains ``text`` names, each with its phrases as written (in order of
    appearance, each once)."""
    return dict(_domains_cached(text or ""))


@lru_cache(maxsize=65536)
def _domains_cached(text: str) -> tuple[tuple[Domain, tuple[str, ...]], ...]:
    norm = normalize(text)
    index = [i for i, ch in enumerate(norm) if not _STRIP.fullmatch(ch)]
    compact = "".join(norm[i] for i in index)
    pattern, table = _domain_lexicon()
    out: dict[Domain, list[str]] = {}
    for m in pattern.finditer(compact):
        phrase = text[index[m.start()] : index[m.end() - 1] + 1]
        phrases = out.setdefault(table[m.group()], [])
        if phrase not in phrases:
            phrases.append(phrase)
    return tuple((d, tuple(p)) for d, p in out.items())


def demand_domains(demand) -> dict[Domain, tuple[str, ...]]:
    """The domains a demand's text (title, description, tags) names, with its phrases."""
    return domains_of(demand_text_for_reading(demand))


def domain_fit(asked, specialised) -> float:
    """1.0 unless the offering is made for another domain: 0 when its title names domains
    (``specialised``) and none of them is one the demand's text names (``asked``; a demand that
    names none is best served by general offerings). A general offering (its title names no
    domain) is never lowered."""
    if not specialised:
        return 1.0
    return 1.0 if any(d in specialised for d in asked) else 0.0
