"""The shipped call templates (``data/templates/*.json``): a call's kind, stages, categories,
form fields, rubric and eligibility rule, in data."""

from __future__ import annotations

import functools
import json
from pathlib import Path

TEMPLATE_DIR = Path(__file__).parent / "data" / "templates"


@functools.cache
def call_templates() -> dict[str, dict]:
    out = {}
    for path in sorted(TEMPLATE_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out[data["key"]] = data
    return out


def template_name(key: str, lang: str) -> str:
    data = call_templates()[key]
    return data["name"]["en" if lang.startswith("en") else "zh"]
