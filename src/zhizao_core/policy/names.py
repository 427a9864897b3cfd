"""Names of the codes an explanation shows — places (GB/T 2260), industries (GB/T 4754) and
project kinds — from plain tables, without Django or a database.

``code_names(regions, industries, kinds)`` is the ``names(fact, code)`` that ``evaluate``
takes (see ``explain.CodeNames``): a region code or prefix (``3202`` → 无锡市, padded to six
digits), an industry code of any level (``C``, ``34``, ``3421``), a project kind
(``intelligent_transformation`` → 智能化改造). The platform builds the tables from its
reference tables; ``zhizao policies evaluate`` reads them from the shipped reference files
(``read_reference_names``: the registry's ``regions.csv`` and ``industries.csv``)."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from .explain import CodeNames
from .rules import FACTS


def code_names(
    regions: Mapping[str, str], industries: Mapping[str, str], kinds: Mapping[str, str]
) -> CodeNames:
    def names(fact: str, code: str) -> str | None:
        kind = FACTS.get(fact)
        if kind == "industry":
            return industries.get(code)
        if kind == "code":
            return regions.get(code.ljust(6, "0")) if code.isdigit() and len(code) <= 6 else None
        if fact == "project.kind":
            return kinds.get(code)
        return None

    return names


def read_names(path: Path, lang: str) -> dict[str, str]:
    """``code → name`` of a reference file with ``code``, ``name_zh`` and ``name_en`` columns
    (English falls back to Chinese); an absent file names nothing."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {
            row["code"]: (row.get("name_en") or row["name_zh"]) if lang == "en" else row["name_zh"]
            for row in csv.DictReader(f)
        }


def read_reference_names(
    regions_csv: Path, industries_csv: Path, lang: str, kinds: Mapping[str, str]
) -> CodeNames:
    """``code_names`` over the reference files, in ``lang`` ("zh" or "en")."""
    return code_names(read_names(regions_csv, lang), read_names(industries_csv, lang), kinds)
