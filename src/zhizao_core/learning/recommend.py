"""Courses for an enterprise's open diagnosis gaps. A gap is a maturity sub-domain with open
requirements and the level-score gain of closing them; a course addresses the sub-domains it
names. Courses are ranked by the summed gain of the gaps they address (a course addressing two
gaps helps more), then by how many of the learner's colleagues completed it (social proof),
then by title for a stable order. Every recommendation names the gaps it answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Gap:
    subdomain: str
    name: str
    gain: Decimal


@dataclass(frozen=True)
class CourseCandidate:
    id: int
    title: str
    subdomains: frozenset[str]
    completions: int = 0


@dataclass(frozen=True)
class Recommendation:
    course_id: int
    title: str
    gaps: tuple[str, ...]
    gain: Decimal

    @property
    def explanation(self) -> str:
        return f"addresses {len(self.gaps)} open gap(s): " + "、".join(self.gaps)


def recommend(
    gaps: Sequence[Gap], courses: Sequence[CourseCandidate], *, limit: int = 10
) -> list[Recommendation]:
    by_sub: dict[str, Gap] = {}
    for gap in gaps:
        known = by_sub.get(gap.subdomain)
        if known is None or gap.gain > known.gain:
            by_sub[gap.subdomain] = gap
    scored = []
    for course in courses:
        hit = sorted(
            (by_sub[s] for s in course.subdomains if s in by_sub), key=lambda g: (-g.gain, g.name)
        )
        if not hit:
            continue
        gain = sum((g.gain for g in hit), Decimal(0))
        scored.append((-gain, -course.completions, course.title, course.id, hit))
    scored.sort(key=lambda row: row[:4])
    return [
        Recommendation(course_id=cid, title=title, gaps=tuple(g.name for g in hit), gain=-neg)
        for neg, _c, title, cid, hit in scored[:limit]
    ]
