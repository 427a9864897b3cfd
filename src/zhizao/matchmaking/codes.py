"""Region (GB/T 2260) and industry (GB/T 4754) codes: checks and names in the active language.
The reference tables hold a few thousand rows that do not change while the process runs, so
the names are read once per language and kept."""

from __future__ import annotations

import re
import threading

from django.utils.translation import get_language

from zhizao.registry.models import Industry, Region

REGION_RE = re.compile(r"^\d{6}$")
INDUSTRY_RE = re.compile(r"^([A-T]|\d{2,4})$")
_lock = threading.Lock()
_names: dict[str, dict] = {}


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def _tables() -> dict:
    key = "en" if _english() else "zh"
    cached = _names.get(key)
    if cached is not None:
        return cached
    with _lock:
        regions, industries, region_rows, industry_rows = {}, {}, [], []
        for code, zh, en, parent, level, valid_to in Region.objects.values_list(
            "code", "name_zh", "name_en", "parent_id", "level", "valid_to"
        ).order_by("code"):
            name = (en or zh) if key == "en" else zh
            regions[code] = name
            if valid_to is None:
                region_rows.append((code, name, parent or "", level))
        for code, zh, en, parent, level in Industry.objects.values_list(
            "code", "name_zh", "name_en", "parent_id", "level"
        ).order_by("code"):
            name = (en or zh) if key == "en" else zh
            industries[code] = name
            industry_rows.append((code, name, parent or "", level))
        tables = {
            "region": regions,
            "industry": industries,
            "region_rows": region_rows,
            "industry_rows": industry_rows,
        }
        if regions:  # an empty test database is not cached
            _names[key] = tables
    return tables


def clear_cache() -> None:
    _names.clear()


def region_exists(code: str) -> bool:
    return bool(code) and REGION_RE.match(code) is not None and code in _tables()["region"]


def industry_exists(code: str) -> bool:
    return bool(code) and INDUSTRY_RE.match(code) is not None and code in _tables()["industry"]


def region_name(code: str) -> str:
    return _tables()["region"].get(code or "", code or "")


def industry_name(code: str) -> str:
    return _tables()["industry"].get(code or "", code or "")


def city_code(code: str) -> str:
    """The city a 6-digit region code lies in (its first four digits + 00)."""
    return f"{code[:4]}00" if code and len(code) == 6 else ""


def region_rows() -> list[tuple[str, str, str, str]]:
    """(code, name, parent code, level) of the current regions, in code order."""
    return _tables()["region_rows"]


def industry_rows() -> list[tuple[str, str, str, str]]:
    """(code, name, parent code, level) of GB/T 4754, in code order."""
    return _tables()["industry_rows"]


def names_for_core() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """{code: (Chinese, English)} of regions and industries, for the ranking's reasons."""
    if "core" in _names:
        return _names["core"]
    regions = {
        c: (zh, en or zh) for c, zh, en in Region.objects.values_list("code", "name_zh", "name_en")
    }
    industries = {
        c: (zh, en or zh)
        for c, zh, en in Industry.objects.values_list("code", "name_zh", "name_en")
    }
    if regions:
        _names["core"] = (regions, industries)
    return regions, industries
