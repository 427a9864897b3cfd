"""The gap roadmap: which requirements stand between an assessment and a target level, ranked
by how much each raises the score, and the smallest set that lifts each level over the
threshold.

Within one level the level score is linear in each requirement's score (with 不适用 answers
fixed): raising requirement r from its score to 1 adds ``coefficient(r) × (1 − score)`` to X_n,
where the coefficient is the product of the renormalised weights on r's path divided by the
number of scored requirements in its cell (see ``Result.coefficients``). Closing the gaps with
the largest gains first therefore reaches the threshold with the fewest requirements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .model import Model, Requirement
from .scoring import NA, Result


@dataclass
class GapItem:
    requirement: Requirement
    level: int
    current: Fraction
    gain: Fraction  # how much X of its level rises when this requirement is fully met
    closes: bool = False  # part of the smallest set that lifts its level over the threshold


@dataclass
class LevelGap:
    level: int
    score: Fraction
    threshold: Fraction
    met: bool
    reason: str
    items: list[GapItem] = field(default_factory=list)
    closing_count: int = 0
    score_after_closing: Fraction = Fraction(0)

    @property
    def needed(self) -> Fraction:
        return max(Fraction(0), self.threshold - self.score)


def roadmap(model: Model, result: Result, target_level: int | None = None) -> list[LevelGap]:
    """The levels from the first one not met up to ``target_level`` (default: the next level),
    each with its open requirements ranked by gain."""
    numbers = model.level_numbers
    if not numbers:
        return []
    first_unmet = next((lv.number for lv in result.levels if not lv.met), None)
    if first_unmet is None:
        return []
    target = (
        first_unmet if target_level is None else max(first_unmet, min(target_level, numbers[-1]))
    )
    out: list[LevelGap] = []
    for level in result.levels:
        if level.number < first_unmet or level.number > target:
            continue
        gap = LevelGap(
            level=level.number,
            score=level.score,
            threshold=model.threshold,
            met=level.score >= model.threshold and level.applies,
            reason=level.reason,
        )
        for req in model.requirements:
            if req.level != level.number:
                continue
            current = result.requirement_scores.get(req.id)
            if current is None or current == NA or current >= 1:
                continue
            coefficient = result.coefficients.get(req.id, Fraction(0))
            if coefficient == 0:
                continue
            gap.items.append(GapItem(req, level.number, current, coefficient * (1 - current)))
        gap.items.sort(key=lambda item: (-item.gain, item.requirement.id))
        running = level.score
        if level.applies:
            for item in gap.items:
                if running >= model.threshold:
                    break
                item.closes = True
                running += item.gain
                gap.closing_count += 1
        gap.score_after_closing = running
        out.append(gap)
    return out
