"""Server-drawn SVG charts and maps for the dashboards, the PDF and the report: no script on
the page (the CSP holds), the same markup in the PDF. Every bar, point and region links to
the records behind it where a link is given."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings

from zhizao_core.insights import breaks, class_of, project
from zhizao_core.text.amounts import format_wan_short

PALETTE = ("#eef2f7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
BAR = "#1f5fbf"


def short(value: Decimal | int) -> str:
    return format_wan_short(value)


def _a(link: str, inner: str) -> str:
    return f'<a href="{escape(link)}">{inner}</a>' if link else inner


def bar_svg(items: list[dict], *, title: str = "", width: int = 640) -> str:
    """Horizontal bars: items are {"label", "value", "link"}."""
    if not items:
        return ""
    row = 26
    left = 170
    height = row * len(items) + 16
    top = max((Decimal(i["value"]) for i in items), default=Decimal("0")) or Decimal("1")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" '
        f'role="group" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, item in enumerate(items):
        y = 8 + i * row
        w = float(Decimal(item["value"]) / top) * (width - left - 80)
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="12" '
            f'fill="#3b4656">{escape(str(item["label"]))[:24]}</text>'
        )
        bar = (
            f'<rect x="{left}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row - 10}" '
            f'fill="{BAR}"/><text x="{left + w + 6:.1f}" y="{y + 16}" font-size="12" '
            f'fill="#1f2933">{escape(short(item["value"]))}</text>'
        )
        parts.append(_a(item.get("link", ""), bar))
    parts.append("</svg>")
    return "".join(parts)


def columns_svg(points: list[dict], *, title: str = "", width: int = 640, height: int = 200) -> str:
    """Monthly columns: points are {"label", "value", "link"}; the first and last month and
    every third are labelled."""
    if not points:
        return ""
    bottom, left = 28, 44
    top = max((Decimal(p["value"]) for p in points), default=Decimal("0")) or Decimal("1")
    step = (width - left - 8) / len(points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" '
        f'role="group" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" '
        'stroke="#9aa5b1" stroke-width="0.8"/>',
        f'<text x="{left - 4}" y="14" text-anchor="end" font-size="11" fill="#52606d">'
        f"{escape(short(top))}</text>",
    ]
    for i, p in enumerate(points):
        h = float(Decimal(p["value"]) / top) * (height - bottom - 12)
        x = left + i * step
        col = (
            f'<rect x="{x + 2:.1f}" y="{height - bottom - h:.1f}" width="{max(step - 4, 1):.1f}" '
            f'height="{h:.1f}" fill="{BAR}"><title>{escape(p["label"])}: '
            f"{escape(short(p['value']))}</title></rect>"
        )
        parts.append(_a(p.get("link", ""), col))
        if i in (0, len(points) - 1) or i % 3 == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - 10}" text-anchor="middle" '
                f'font-size="10" fill="#52606d">{escape(p["label"])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


@cache
def boundaries() -> dict:
    path = Path(getattr(settings, "ZHIZAO_BOUNDARY_FILE", "") or default_boundary_file())
    return json.loads(path.read_text(encoding="utf-8"))


def default_boundary_file() -> Path:
    return Path(__file__).resolve().parent / "data" / "boundaries-yrd.json"


def map_svg(rows: list[dict], *, title: str = "", width: int = 640, height: int = 520) -> str:
    """A choropleth of ``rows`` ({"code", "name", "value", "link", "drill"}); a region without
    its own boundary (Shanghai's one city) is drawn from the regions inside it. Empty when the
    boundary file has none of the regions."""
    regions = boundaries()["regions"]
    rings = {}
    for row in rows:
        code = row["code"]
        if code in regions:
            rings[code] = regions[code]["rings"]
        else:
            prefix = code[:4] if code.endswith("00") else code
            inner = [
                r
                for c, v in regions.items()
                if c.startswith(prefix) and c != code
                for r in v["rings"]
            ]
            if inner:
                rings[code] = inner
    if not rings:
        return ""
    shapes = project(rings, width=width, height=height)
    by_code = {r["code"]: r for r in rows}
    bounds = breaks([r["value"] for r in rows])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="map" '
        f'role="group" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for shape in shapes:
        row = by_code[shape.code]
        fill = PALETTE[class_of(row["value"], bounds)]
        inner = (
            f'<path d="{shape.path}" fill="{fill}" stroke="#ffffff" stroke-width="0.8" '
            f'data-region="{shape.code}"><title>{escape(row["name"])}: '
            f"{escape(short(row['value']))}</title></path>"
        )
        parts.append(_a(row.get("drill") or row.get("link", ""), inner))
    for shape in shapes:
        row = by_code[shape.code]
        x, y = shape.centre
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="10" '
            f'fill="#1f2933" pointer-events="none">{escape(row["name"])}</text>'
        )
    # Legend
    low = Decimal("0")
    for i, bound in enumerate(bounds, start=1):
        y = height - 16 * (len(bounds) - i + 1) - 4
        parts.append(
            f'<rect x="8" y="{y}" width="14" height="12" fill="{PALETTE[i]}"/>'
            f'<text x="28" y="{y + 10}" font-size="10" fill="#3b4656">'
            f"{escape(short(low))}–{escape(short(bound))}</text>"
        )
        low = bound
    parts.append("</svg>")
    return "".join(parts)
