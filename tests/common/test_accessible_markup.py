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


# Templates drawn for print (WeasyPrint), where nothing scrolls, and the style guide's samples.
UNSCROLLED = {"templates/styleguide.html"}
BARE_TABLE = re.compile(r"<table\b")
WRAP_END = re.compile(r"<div\b[^>]*\bclass=\"table-wrap\"[^>]*>\s*$")


def test_every_table_of_a_page_scrolls_inside_its_own_region():
    """At 390 px a table of five columns is wider than the phone: outside ``.table-wrap`` it
    widens the whole page (the call page was 561 px wide). Every ``<table>`` of a screen
    template opens right after the wrapper; print templates (``*_pdf.html``) are left out."""
    bare = []
    for name, text in templates():
        if name in UNSCROLLED or name.endswith("_pdf.html"):
            continue
        for match in BARE_TABLE.finditer(text):
            if not WRAP_END.search(text[: match.start()]):
                line = text[: match.start()].count("\n") + 1
                bare.append(f"{name}:{line}")
    assert bare == []


def test_a_narrow_table_fits_the_phone():
    """Phones give a wide table a 42rem minimum so it scrolls instead of squeezing; a table of
    two or three columns (date and visits, grade and leads) must not: its figure column ended
    off-screen. The rule is layout (no browser here): kept in the stylesheet's phone block."""
    css = (ROOT / "static/zhizao/css/zhizao.css").read_text()
    blocks = [b.split("\n}\n", 1)[0] for b in css.split("@media (max-width: 639.98px) {")[1:]]
    phone = next(b for b in blocks if "min-width: 42rem" in b)
    assert ".table-wrap > .table:not(:has(tr > :nth-child(4))) { min-width: 0; }" in phone
    assert phone.index(":has(tr > :nth-child(4))") > phone.index("min-width: 42rem")


TABS = re.compile(r"<nav\b[^>]*\bclass=\"tabs\"[^>]*>(.*?)</nav>", re.S)
LINK = re.compile(r"<a\b.*?</a>", re.S)
TAG_OR_TEMPLATE = re.compile(r"<[^>]*>|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)


def test_tab_bars_hold_only_their_links():
    """A tab bar is links and nothing between them: a separator typed between two tabs (the
    classroom's `` · ``) is drawn as a stray dot above the underline, and a screen reader reads
    it out. Every tab bar also marks the page it is on (``aria-current``)."""
    stray, unmarked = [], []
    for name, text in templates():
        for body in TABS.findall(text):
            between = TAG_OR_TEMPLATE.sub("", LINK.sub("", body)).strip()
            if between:
                stray.append(f"{name}: {between!r}")
            if "aria-current" not in body:
                unmarked.append(name)
    assert stray == []
    assert unmarked == []
    assert sum(len(TABS.findall(t)) for _n, t in templates()) >= 10  # the class is in use
