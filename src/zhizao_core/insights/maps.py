"""Choropleth geometry on plain data: rings of lon/lat points projected into an SVG box
(equirectangular, x scaled by cos(latitude) so that shapes keep their proportions), and the
class breaks of the legend."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Shape:
    code: str
    path: str  # SVG path data
    centre: tuple[float, float]


def project(
    rings: dict[str, list[list[list[float]]]], *, width: int = 640, height: int = 520, pad: int = 8
) -> list[Shape]:
    """Each code's rings as one SVG path in a ``width`` × ``height`` box."""
    points = [p for shape in rings.values() for ring in shape for p in ring]
    if not points:
        return []
    min_x = min(p[0] for p in points)
    max_x = max(p[0] for p in points)
    min_y = min(p[1] for p in points)
    max_y = max(p[1] for p in points)
    k = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * k, 1e-9)
    span_y = max(max_y - min_y, 1e-9)
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2

    def xy(p):
        return (off_x + (p[0] - min_x) * k * scale, off_y + (max_y - p[1]) * scale)

    out = []
    for code, shape in rings.items():
        parts, sx, sy, n, area_best, centre = [], 0.0, 0.0, 0, -1.0, (0.0, 0.0)
        for ring in shape:
            pts = [xy(p) for p in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
            xs = [x for x, _y in pts]
            ys = [y for _x, y in pts]
            area = (max(xs) - min(xs)) * (max(ys) - min(ys))
            if area > area_best:
                area_best = area
                centre = (sum(xs) / len(xs), sum(ys) / len(ys))
            sx, sy, n = sx + sum(xs), sy + sum(ys), n + len(pts)
        out.append(Shape(code, "".join(parts), centre))
    return out


def breaks(values: list[Decimal], classes: int = 5) -> list[Decimal]:
    """Upper bounds of ``classes`` equal-count classes over the positive values (quantiles),
    without repeats; empty when every value is zero."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    out: list[Decimal] = []
    for i in range(1, classes + 1):
        bound = positive[min(len(positive) - 1, math.ceil(i * len(positive) / classes) - 1)]
        if not out or bound > out[-1]:
            out.append(bound)
    return out


def class_of(value: Decimal, bounds: list[Decimal]) -> int:
    """0 for zero, else 1 … len(bounds)."""
    if value <= 0 or not bounds:
        return 0
    for i, bound in enumerate(bounds, start=1):
        if value <= bound:
            return i
    return len(bounds)
