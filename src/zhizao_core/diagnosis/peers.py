"""Benchmarking an assessment against its peers without revealing any one of them."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

MIN_GROUP = 5  # a peer group smaller than this is never shown (k-anonymity)


@dataclass
class PeerGroup:
    key: str  # industry | region | size | all
    size: int
    hidden: bool
    percentile: Fraction | None  # share of the group scoring below, ties counted half, × 100
    level_shares: dict[int, Fraction]  # level → share of the group (0–1)
    median: Fraction | None = None


def peer_group(
    key: str,
    *,
    below: int,
    equal: int,
    total: int,
    level_counts: dict[int, int],
    median: Fraction | None = None,
    minimum: int = MIN_GROUP,
) -> PeerGroup:
    """Summarise a group from counts only: ``below``/``equal`` enterprises score below / the
    same as this one (itself included in ``equal`` and ``total``)."""
    if total < minimum:
        return PeerGroup(key, total, True, None, {}, None)
    percentile = Fraction(below * 2 + equal, 2 * total) * 100
    shares = {level: Fraction(count, total) for level, count in sorted(level_counts.items())}
    return PeerGroup(key, total, False, percentile, shares, median)


def percentile_of(values: list[Fraction], mine: Fraction) -> Fraction:
    """The same percentile computed from the values themselves (for tests and small groups)."""
    below = sum(1 for v in values if v < mine)
    equal = sum(1 for v in values if v == mine)
    return Fraction(below * 2 + equal, 2 * len(values)) * 100 if values else Fraction(0)
