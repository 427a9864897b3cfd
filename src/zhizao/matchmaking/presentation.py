"""Ranked results as the pages show them: the listing (one query for all of them), the score,
the reasons in the active language, and the matched phrases marked with <mark> at the
positions the ranking returned."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import Demand, Introduction, Offering

SNIPPET = 180


def lang() -> str:
    return "en" if (get_language() or "zh-hans").startswith("en") else "zh"


def reason_text(reason) -> str:
    """A core ``Reason`` or its stored JSON, in the active language."""
    if isinstance(reason, dict):
        return reason.get(lang()) or reason.get("zh") or ""
    return reason.text(lang())


def marked(text: str, spans: list[tuple[int, int]], *, window: int = 0) -> SafeString:
    """``text`` escaped, with each (start, end) span in <mark>. With ``window``, a snippet of
    about that many characters around the first span (… where cut)."""
    text = text or ""
    spans = sorted((s, e) for s, e in spans if 0 <= s < e <= len(text))
    lo, hi = 0, len(text)
    if window and len(text) > window:
        first = spans[0][0] if spans else 0
        lo = max(0, first - window // 4)
        hi = min(len(text), lo + window)
    out, pos = [], lo
    for start, end in spans:
        if end <= pos or start >= hi:
            continue
        start = max(start, pos)
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start : min(end, hi)])}</mark>")
        pos = min(end, hi)
    out.append(escape(text[pos:hi]))
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 (every part escaped)


@dataclass
class Row:
    listing: object
    #: the ranker's ordering score (negative when requirements are missed): never shown
    score: float
    reasons: list[str]
    requirements: dict | None
    title: SafeString
    snippet: SafeString
    meets_all: bool
    introduction: Introduction | None = None
    extra: dict = field(default_factory=dict)
    #: what people see: the fit 0–100 (missed requirements are said in the reasons)
    fit: int = 0


def _spans(match, name: str) -> list[tuple[int, int]]:
    return [(h["start"], h["end"]) for h in match.highlights if h.get("field") == name]


def _row(match, listing, introduction) -> Row:
    requirements = None
    reasons = []
    for reason in match.reasons:
        if reason.code == "requirements":
            requirements = {
                "text": reason_text(reason),
                "met": reason.data.get("met"),
                "total": reason.data.get("total"),
                "missing": reason.data.get("missing") or [],
            }
        elif reason.code != "matched_terms":
            reasons.append(reason_text(reason))
    return Row(
        listing=listing,
        score=match.score,
        fit=match.fit,
        reasons=reasons,
        requirements=requirements,
        title=marked(listing.title, _spans(match, "title")),
        snippet=marked(listing.description, _spans(match, "description"), window=SNIPPET),
        meets_all=match.meets_all,
        introduction=introduction,
    )


def offering_rows(matches, *, demand: Demand) -> list[Row]:
    """Rows for the offerings ranked for ``demand`` (two queries whatever their number)."""
    ids = [int(m.id) for m in matches]
    listings = Offering.objects.select_related("provider").in_bulk(ids)
    intros = {
        i.offering_id: i for i in Introduction.objects.filter(demand=demand, offering_id__in=ids)
    }
    return [
        _row(m, listings[int(m.id)], intros.get(int(m.id)))
        for m in matches
        if int(m.id) in listings
    ]


def demand_rows(matches, *, offering: Offering) -> list[Row]:
    """Rows for the demands ranked for ``offering`` (two queries). Only what a provider may
    see of a demand is on the row; the contact person is not loaded."""
    ids = [int(m.id) for m in matches]
    listings = Demand.objects.select_related("enterprise").in_bulk(ids)
    intros = {
        i.demand_id: i for i in Introduction.objects.filter(offering=offering, demand_id__in=ids)
    }
    return [
        _row(m, listings[int(m.id)], intros.get(int(m.id)))
        for m in matches
        if int(m.id) in listings
    ]
