"""No internal code slips past the page-walk's code check inside ``<code>``: that walk reads
what a person sees minus ``<code>`` (shown on purpose as identifiers), so a template that puts
a stored code in ``<code>`` where a label belongs (the missing facts of an undecided scan row
once did: ``project.software_yuan``) would never be caught. Every template value shown in
``<code>`` is listed here with the reason it is an identifier a person uses as such."""

from __future__ import annotations

import re
from pathlib import Path

import zhizao

CODE = re.compile(r"<code\b[^>]*>(.*?)</code>", re.S)
ROOT = Path(zhizao.__file__).parent

IDENTIFIERS = {
    ("accounts/templates/accounts/security.html", "{{ secret }}"): (
        "the authenticator secret a person types into his app"
    ),
    ("accounts/templates/accounts/security.html", "{{ issued.key }}"): (
        "an API key, copied once into a script"
    ),
    ("events/templates/events/event_detail.html", "{{ registration.badge_code }}"): (
        "the badge code typed at the door when the camera cannot read it"
    ),
    ("policies/templates/policies/editor.html", "{{ item.key }}"): (
        "the item's key, the name rule authors and the API use"
    ),
    ("policies/templates/policies/item_detail.html", "{{ item.key }}"): (
        "the item's key, the name rule authors and the API use"
    ),
    ("policies/templates/policies/sandbox_form.html", "{{ f.path }}"): (
        "next to its label: the path the sandbox API takes for this value"
    ),
    ("review/templates/review/round_detail.html", "{{ round.seed }}"): (
        "the random seed that replays the draw"
    ),
    ("review/templates/review/round_detail.html", "{{ round.summary.digest }}"): (
        "the digest that proves the draw was not changed"
    ),
    ("review/templates/review/round_replay.html", "{{ replay.stored }}"): "the stored digest",
    ("review/templates/review/round_replay.html", "{{ replay.replayed }}"): "the replayed digest",
    (
        "review/templates/review/round_replay.html",
        "zhizao review draw --input round-{{ round.pk }}.json --seed {{ replay.seed }} "
        "--cap {{ replay.cap }}",
    ): "the command that replays the draw",
}


def test_template_values_in_code_tags_are_deliberate_identifiers():
    found = set()
    for path in sorted(ROOT.rglob("*.html")):
        for m in CODE.finditer(path.read_text(encoding="utf-8")):
            inner = re.sub(r"\s+", " ", m.group(1)).strip()
            if "{{" in inner or "{%" in inner:
                found.add((str(path.relative_to(ROOT)), inner))
    assert sorted(found - set(IDENTIFIERS)) == []
    assert sorted(set(IDENTIFIERS) - found) == []  # the list stays exact
