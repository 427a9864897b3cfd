"""The rule editor never silently drops a rule's parts: every shipped rule goes through the form
and comes back with the same meaning (and every parameter's label, date and reference), or the
form refuses to save it and names what it cannot show. And every control of the editor has an
accessible name."""

from __future__ import annotations

import copy
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import actor_for
from zhizao.common.models import AuditEntry
from zhizao.policies.forms_editor import RuleEditor
from zhizao.policies.loading import load_rule_files
from zhizao.policies.models import PolicyItemVersion
from zhizao.policies.services import editor as editor_services

from .conftest import login, wuxi_rule
from .test_editor import editor_url, post_data_of

#: shipped rules the form cannot show, and what it names
REFUSED = {
    "changzhou-equipment-2021": ["amount", "caps"],
    "nanjing-sme-digital-pilot": ["amount"],
    "ningbo-3511-major": ["caps"],
    "xiangcheng-intelligent-upgrade": ["conditions"],
}
REASONS = {
    "conditions": "conditions nested in groups (“all of” inside “any of”) or of a kind the rows "
    "lack",
    "amount": "an amount the rows cannot build (by case, the lower of several, a second table)",
    "caps": "caps that apply only under a condition",
}


def meaning(rule: dict):
    """The rule as the engine reads it: parameters replaced by their values, numbers compared
    as numbers (a literal 0.08 and a parameter worth "0.08" mean the same)."""
    params = rule.get("parameters") or {}

    def resolve(node):
        if isinstance(node, dict):
            if set(node) == {"param"}:
                spec = params[node["param"]]
                return resolve(spec["value"] if isinstance(spec, dict) else spec)
            return {k: resolve(v) for k, v in node.items() if k != "parameters"}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        if isinstance(node, str):
            try:
                return Decimal(node)
            except ArithmeticError:
                return node
        return node

    return resolve(rule)


def kept_parameters(before: dict, after: dict) -> dict:
    """Each parameter of ``before`` as ``after`` has it: value (as a number), label, since and
    reference."""
    out = {}
    for name, spec in (before.get("parameters") or {}).items():
        got = (after.get("parameters") or {}).get(name)
        out[name] = got and {
            "value": Decimal(got["value"]),
            **{k: got.get(k) for k in ("label", "since", "reference") if k in spec},
        }
    return out


def expected_parameters(before: dict) -> dict:
    return {
        name: {
            "value": Decimal(spec["value"]),
            **{k: spec[k] for k in ("label", "since", "reference") if k in spec},
        }
        for name, spec in (before.get("parameters") or {}).items()
    }


def round_trip(version: PolicyItemVersion):
    """The form showing ``version`` and sent back as it is: (refused parts, errors, rule)."""
    item = version.item
    shown = RuleEditor.from_rule(
        item,
        version.rule,
        number=version.number,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
    )
    sent = RuleEditor(item, number=version.number, data=post_data_of(shown), base_rule=version.rule)
    if not sent.is_valid():
        return shown.unsupported, sent.all_errors(), None
    rule = editor_services.normalized_rule(item, version.number, sent.rule_data())
    return shown.unsupported, [], rule


@pytest.mark.django_db
def test_every_shipped_rule_round_trips_through_the_form_or_is_refused_by_name():
    load_rule_files()
    refused, kept = {}, []
    for version in PolicyItemVersion.objects.select_related("item__policy").order_by(
        "item__key", "number"
    ):
        before = copy.deepcopy(version.rule)
        with translation.override("en"):
            unsupported, errors, rule = round_trip(version)
        if rule is None:
            refused[version.item.key] = unsupported
            reason = "；".join(REASONS[part] for part in unsupported)
            assert errors == [
                f"This rule has parts the form cannot show: {reason}. Saving the form would "
                "lose them, so it is refused; edit the rule under “Advanced: rule data”."
            ]
            continue
        kept.append(version.item.key)
        assert unsupported == []
        assert meaning(rule) == meaning(before), version.item.key
        assert kept_parameters(before, rule) == expected_parameters(before), version.item.key
        assert rule["stages"] if before.get("stages") else True
        assert rule.get("stages") == before.get("stages") or all(
            Decimal(a["share"]) == Decimal(b["share"]) and a["label"] == b["label"]
            for a, b in zip(rule["stages"], before["stages"], strict=True)
        )
    assert refused == REFUSED
    assert len(kept) == 10


def test_what_the_form_would_lose_is_named():
    """Parameters in force from different dates, an unused parameter, a rule key the form
    does not know: each refuses the form; a stage's and a parameter's English stay."""

    class Item:
        key, name, subject, category = "wuxi-im-transformation", "无锡", "project", "grant"

    def refused(rule):
        return RuleEditor(Item, number=1, base_rule=rule).unsupported

    rule = wuxi_rule()
    assert refused(rule) == []
    dated = copy.deepcopy(rule)
    dated["parameters"]["equipment_rate"]["since"] = "2025-01-01"
    assert refused(dated) == ["parameters"]
    unused = copy.deepcopy(rule)
    unused["parameters"]["spare_rate"] = {"value": "0.01"}
    assert refused(unused) == ["parameters"]
    assert refused({**rule, "notes": "x"}) == ["notes"]
    with translation.override("en"):
        reason = RuleEditor(Item, number=1, base_rule={**rule, "notes": "x"}).unsupported_reason()
    assert reason == (
        "This rule has parts the form cannot show: the rule data “notes”. Saving the form would "
        "lose them, so it is refused; edit the rule under “Advanced: rule data”."
    )


@pytest.mark.django_db
def test_saving_the_form_over_nested_conditions_is_refused_and_changes_nothing(
    client, officer, item
):
    nested = wuxi_rule()
    nested["conditions"]["all"].append(
        {
            "any": [
                {"title": ["专精特新小巨人"]},
                {"fact": "enterprise.employees", "op": "ge", "value": "300"},
            ]
        }
    )
    editor_services.save_draft(actor_for(officer), item, rule=nested)
    version = item.versions.get()
    stored = copy.deepcopy(version.rule)
    audit = AuditEntry.objects.count()
    login(client, officer)
    page = client.get(editor_url(item))
    assert page.context["unsupported"] == ["conditions"]
    notice = page.content.decode()
    assert "这条规则含有表单无法显示的部分" in notice
    response = client.post(editor_url(item), post_data_of(page.context["editor"]))
    assert response.status_code == 200  # the page again, with the reason at the top
    assert response.context["editor"].all_errors()[0].startswith("这条规则含有表单无法显示的部分：")
    version.refresh_from_db()
    assert (version.rule, AuditEntry.objects.count()) == (stored, audit)
    # the live preview shows no sentence for a rule the form would cut short
    preview = client.post(
        reverse("policies:item_editor_preview", args=[item.key]),
        post_data_of(page.context["editor"]),
    )
    assert preview.context["preview"] == ""


class _Controls(HTMLParser):
    """Form controls of a page and the names a screen reader would give them."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea"):
            if attrs.get("type") in ("hidden", "submit", "button"):
                return
            self.controls.append({**attrs, "_tag": tag, "_in_label": self.open_labels > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def unnamed_controls(html: str) -> list[str]:
    parser = _Controls()
    parser.feed(html)
    return [
        control.get("name") or control["_tag"]
        for control in parser.controls
        if not (
            control.get("aria-label")
            or control.get("aria-labelledby")
            or control["_in_label"]
            or control.get("id") in parser.label_for
        )
    ]


@pytest.mark.django_db
def test_every_control_of_the_rule_editor_has_an_accessible_name(client, officer, item):
    editor_services.save_draft(actor_for(officer), item, rule=wuxi_rule())
    login(client, officer)
    html = client.get(editor_url(item)).content.decode()
    assert unnamed_controls(html) == []
    parser = _Controls()
    parser.feed(html)
    selects = [c for c in parser.controls if c["_tag"] == "select"]
    assert len(selects) >= 17
    named = {c["name"]: c.get("aria-label") for c in parser.controls}
    assert (named["cond-1-op"], named["part-0-value"], named["cap-0-DELETE"]) == (
        "条件行 2 · 运算",
        "金额行 1 · 金额、比例或点数",
        "上限行 1 · 删除",
    )
