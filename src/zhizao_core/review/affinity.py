"""Expertise fit of an expert for an application, 0..1 with 4 places, with its parts.

Three signals, each 0..1, weighted 0.4 / 0.3 / 0.3:

* ``industry``: the expert's GB/T 4754 codes against the application's industry: 1 when an
  expert code is a prefix of the application's (division 34 covers class 3411), 0.5 when they
  share only the two-digit division's first digit group (same first two digits of a longer
  expert code), else 0. Section letters (C34) are ignored.
* ``domain``: the expert's technical-domain words found in the application's text and
  category (two or more found: 1; one: 0.5).
* ``text``: cosine similarity of the token counts of the expert's profile text and the
  application's text, with the matchmaking text stack (Chinese segmentation with the domain
  dictionary and synonym concepts); no embeddings needed.

An expert's bid (where the call allows bidding) adds 0.1 for "eager", subtracts 0.2 for
"unwilling" ("willing" and no bid change nothing); the result is clamped to 0..1. The parts
name the bid (``bid_interest``) next to its adjustment (``bid``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .model import Application

__all__ = ["WEIGHTS", "ExpertProfile", "affinity_score"]

WEIGHTS = {"industry": Decimal("0.4"), "domain": Decimal("0.3"), "text": Decimal("0.3")}
BIDS = {"eager": Decimal("0.1"), "willing": Decimal(0), "unwilling": Decimal("-0.2")}
_CODE = re.compile(r"^[A-Za-z]?(\d{2,4})$")
Q4 = Decimal("0.0001")


@dataclass(frozen=True)
class ExpertProfile:
    fields: tuple[str, ...] = ()  # GB/T 4754 codes ("34", "C3411") and domain words ("机器视觉")
    text: str = ""


def _digits(code: str) -> str:
    m = _CODE.match(code.strip())
    return m.group(1) if m else ""


def _industry(fields, industry: str) -> Decimal:
    target = _digits(industry)
    if not target:
        return Decimal(0)
    best = Decimal(0)
    for f in fields:
        code = _digits(f)
        if not code:
            continue
        if target.startswith(code) or code.startswith(target):
            return Decimal(1)
        if code[:2] == target[:2]:
            best = Decimal("0.5")
    return best


def _cosine(a, b) -> float:
    common = set(a) & set(b)
    if not common:
        return 0.0
    dot = sum(a[t] * b[t] for t in common)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def affinity_score(
    profile: ExpertProfile, application: Application, *, bid: str | None = None
) -> tuple[Decimal, dict]:
    from zhizao_core.matching.text import normalize, token_counts

    words = [f for f in profile.fields if f.strip() and not _digits(f)]
    haystack = normalize(f"{application.category} {application.text}")
    found = [w for w in words if normalize(w) in haystack]
    domain = Decimal(1) if len(found) >= 2 else Decimal("0.5") if found else Decimal(0)
    industry = _industry(profile.fields, application.industry)
    expert_tokens = token_counts(" ".join([profile.text, *words]))
    app_tokens = token_counts(f"{application.category} {application.text}")
    text = Decimal(str(round(_cosine(expert_tokens, app_tokens), 4)))
    total = WEIGHTS["industry"] * industry + WEIGHTS["domain"] * domain + WEIGHTS["text"] * text
    adjust = BIDS.get(bid or "", Decimal(0))
    score = min(max(total + adjust, Decimal(0)), Decimal(1)).quantize(Q4, rounding=ROUND_HALF_UP)
    parts = {
        "industry": industry,
        "domain": domain,
        "domain_found": found,
        "text": text,
        "bid": adjust,
        "bid_interest": bid if bid in BIDS else "",
        "weights": dict(WEIGHTS),
    }
    return score, parts
