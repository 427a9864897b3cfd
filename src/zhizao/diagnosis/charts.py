"""Server-drawn SVG charts: the same markup serves the page (no script, CSP-safe) and the PDF."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def radar_svg(
    labels: list[str],
    series: list[tuple[str, list[float | None], str]],
    *,
    size: int = 420,
    title: str = "",
) -> str:
    """A radar chart of values in 0–1, one axis per label; ``series`` is (name, values, css
    class). ``None`` values (not applicable) are drawn at the centre and marked "—"."""
    count = len(labels)
    if count < 3:
        return ""
    cx = cy = size / 2
    radius = size / 2 - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'class="radar" role="img" aria-label="{escape(title)}">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for ring in (0.2, 0.4, 0.6, 0.8, 1.0):
        points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (_point(cx, cy, radius * ring, i, count) for i in range(count))
        )
        css = "radar-ring radar-threshold" if ring == 0.8 else "radar-ring"
        parts.append(
            f'<polygon class="{css}" points="{points}" fill="none" stroke="#c9d1dc" stroke-width="{1.4 if ring == 0.8 else 0.7}"{' stroke-dasharray="4 3"' if ring == 0.8 else ""}/>'
        )
    for i, label in enumerate(labels):
        x, y = _point(cx, cy, radius, i, count)
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#dde3ea" stroke-width="0.7"/>'
        )
        lx, ly = _point(cx, cy, radius + 26, i, count)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}" font-size="12" fill="#3b4656">{escape(label)}</text>'
        )
    colours = {"radar-self": "#1f5fbf", "radar-verified": "#c2410c", "radar-peer": "#6b7280"}
    for name, values, css in series:
        points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (
                _point(cx, cy, radius * max(0.0, min(1.0, v or 0.0)), i, count)
                for i, v in enumerate(values)
            )
        )
        colour = colours.get(css, "#1f5fbf")
        parts.append(
            f'<polygon class="{css}" points="{points}" fill="{colour}" fill-opacity="0.18" '
            f'stroke="{colour}" stroke-width="2"><title>{escape(name)}</title></polygon>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_svg(rows: list[tuple[str, float, str]], *, width: int = 420, unit: str = "%") -> str:
    """Horizontal bars (label, value 0–1, css class) for level distributions."""
    height = 24 * len(rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="bars" role="img">'
    ]
    for i, (label, value, css) in enumerate(rows):
        y = 4 + i * 24
        w = max(0.0, min(1.0, value)) * (width - 170)
        colour = "#1f5fbf" if css == "bar-mine" else "#9fb3cf"
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="12" fill="#3b4656">{escape(label)}</text>'
            f'<rect x="110" y="{y + 3}" width="{w:.1f}" height="14" rx="2" fill="{colour}"/>'
            f'<text x="{116 + w:.1f}" y="{y + 14}" font-size="12" fill="#3b4656">{value * 100:.1f}{unit}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
