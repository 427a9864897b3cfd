"""Accessibility classes kept fixed in the templates (axe-core checks the rendered pages in
tests/e2e/test_accessibility_browser.py; this catches a new template before any browser runs)."""

from __future__ import annotations

import re
from pathlib import Path

import zhizao

ROOT = Path(zhizao.__file__).parent
# Templates left alone, with the reason.
EXCEPTIONS = {
    "policies/templates/policies/editor.html": "the policy rule editor: owned by the forms helper",
}
WRAP = re.compile(r"<div\b[^>]*\bclass=\"table-wrap\"[^>]*>")


def templates():
    for path in sorted(ROOT.rglob("*.html")):
        name = path.relative_to(ROOT).as_posix()
        if name not in EXCEPTIONS:
            yield name, path.read_text()


def test_every_scrolling_table_can_be_reached_by_keyboard_and_is_named():
    """A table wider than the screen scrolls inside ``.table-wrap``: the container takes the
    keyboard focus (tabindex=0) and is a named region, so a keyboard user can scroll it."""
    missing = []
    for name, text in templates():
        for tag in WRAP.findall(text):
            named = "aria-label=" in tag or "aria-labelledby=" in tag
            if not ('tabindex="0"' in tag and 'role="region"' in tag and named):
                missing.append(f"{name}: {tag}")
    assert missing == []
    assert sum(len(WRAP.findall(t)) for _n, t in templates()) > 70  # the class is in use
