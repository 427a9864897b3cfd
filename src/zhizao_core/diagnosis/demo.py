"""Deterministic demo answers whose levels follow the published national distribution."""

from __future__ import annotations

import random

from .model import Model
from .scoring import NA

# CESI 智能制造成熟度指数报告 (2022): ≤ L1 63 %, L2 21 %, L3 12 %, ≥ L4 4 %. Below-1 versus
# level 1 and level 4 versus 5 are split by us.
LEVEL_SHARES = ((0, 0.20), (1, 0.43), (2, 0.21), (3, 0.12), (4, 0.03), (5, 0.01))

_MET = ("1", "1", "1", "1", "0.8", "0.8", "0.5")
_NEXT = ("1", "0.8", "0.8", "0.5", "0.5", "0", "0")
_ABOVE = ("0.8", "0.5", "0", "0", "0", "0")


def pick_level(rng: random.Random, max_level: int) -> int:
    roll = rng.random()
    acc = 0.0
    for level, share in LEVEL_SHARES:
        acc += share
        if roll < acc:
            return min(level, max_level)
    return min(LEVEL_SHARES[-1][0], max_level)


def demo_answers(
    model: Model, enterprise_type: str, target_level: int, rng: random.Random
) -> dict[str, str]:
    """Answer codes for every requirement an enterprise of this type is asked, so that the
    enterprise lands on (about) ``target_level``."""
    out = {}
    for req in model.asked(enterprise_type):
        if req.allow_na and rng.random() < 0.1:
            out[req.id] = NA
        elif req.level <= target_level:
            out[req.id] = rng.choice(_MET)
        elif req.level == target_level + 1:
            out[req.id] = rng.choice(_NEXT)
        else:
            out[req.id] = rng.choice(_ABOVE)
    return out
