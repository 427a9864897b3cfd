"""The form-based rule editor: form rows → rule data exactly (and back), engine problems named
at their row with nothing saved, example cases stored in the shipped format and run, publishing
refused until every case passes, published versions never changed, officers only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from tests.factories import actor_for
from zhizao.common.models import AuditEntry
from zhizao.policies import engine, services
from zhizao.policies.describe import describe_rule
from zhizao.policies.models import PolicyItemVersion

from .conftest import login

SECTIONS = ("cond", "part", "tier", "title", "cap", "stage")


def editor_form(*, general=None, **rows) -> dict:
    """POST data of the editor: ``rule-*`` fields and one formset per section."""
    data = {
        "action": "save",
        "rule-combine": "all",
        "rule-valid_from": "2026-01-01",
        "rule-valid_to": "",
        "rule-params_since": "",
        "rule-reference": "锡工信规〔2026〕3号 第五条",
        "rule-stacking_group": "",
        "rule-stacking_mode": "",
        "rule-note": "",
        **(general or {}),
    }
    for prefix in SECTIONS:
        section = rows.get(prefix, [])
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(section)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for i, row in enumerate(section):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data


WUXI_ROWS = {
    "cond": [
        {"fact": "enterprise.region", "op": "prefix", "value": "3202"},
        {"fact": "project.kind", "op": "in", "value": "智能化改造"},
        {"fact": "project.total_investment", "op": "gt", "value": "3,000万"},
    ],
    "part": [
        {"kind": "percent", "value": "8%", "bases": ["project.equipment"]},
        {
            "kind": "percent",
            "value": "10",
            "bases": ["project.software"],
            "label": "软件投资奖补比例",
        },
    ],
    "cap": [{"per": "project", "amount": "500万"}],
    "stage": [{"label": "开工", "percent": "30"}, {"label": "竣工验收", "percent": "70%"}],
}

WUXI_RULE = {
    "id": "wuxi-im-transformation",
    "name": {"zh": "智能化改造设备投资奖补", "en": "智能化改造设备投资奖补"},
    "subject": "project",
    "category": "grant",
    "version": 1,
    "valid_from": "2026-01-01",
    "reference": "锡工信规〔2026〕3号 第五条",
    "conditions": {
        "all": [
            {"fact": "enterprise.region", "op": "prefix", "value": ["3202"]},
            {"fact": "project.kind", "op": "in", "value": ["intelligent_transformation"]},
            {
                "fact": "project.total_investment",
                "op": "gt",
                "value": {"param": "total_investment_gt"},
            },
        ]
    },
    "amount": {
        "sum": [
            {"percent": {"param": "equipment_rate"}, "of": ["project.equipment"]},
            {"percent": {"param": "software_rate"}, "of": ["project.software"]},
        ]
    },
    "caps": [{"per": "project", "yuan": {"param": "cap_project"}}],
    "stages": [{"label": "开工", "share": "0.3"}, {"label": "竣工验收", "share": "0.7"}],
    "parameters": {
        "total_investment_gt": {
            "value": "30000000",
            "label": {"zh": "项目总投资门槛", "en": "total investment threshold"},
        },
        "equipment_rate": {
            "value": "0.08",
            "label": {"zh": "设备投资比例", "en": "equipment investment rate"},
        },
        "software_rate": {
            "value": "0.1",
            "label": {"zh": "软件投资奖补比例", "en": "软件投资奖补比例"},
        },
        "cap_project": {
            "value": "5000000",
            "label": {"zh": "每个项目上限（元）", "en": "per project cap (yuan)"},
        },
    },
}

CASE_FORM = {
    "name": "总投资 3,100 万元",
    "as_of": "2026-06-30",
    "region": "320214",
    "industry": "3421",
    "maturity_level": "",
    "kind": "intelligent_transformation",
    "start_date": "2026-03-01",
    "equipment": "2000万",
    "intelligent_equipment": "",
    "software": "600万",
    "services": "300万",
    "other": "200万",
    "expect_eligible": "yes",
    "expect_amount": "220万",
}
CASE = {
    "name": "总投资 3,100 万元",
    "as_of": "2026-06-30",
    "enterprise": {
        "region": "320214",
        "industry": "3421",
        "titles": [],
        "projects": [
            {
                "id": "p1",
                "kind": "intelligent_transformation",
                "start_date": "2026-03-01",
                "equipment_yuan": "20000000",
                "software_yuan": "6000000",
                "services_yuan": "3000000",
                "other_yuan": "2000000",
            }
        ],
    },
    "expect": [{"project": "p1", "eligible": True, "amount_yuan": "2200000.00"}],
}


def editor_url(item):
    return reverse("policies:item_editor", args=[item.key])


def post_data_of(editor) -> MultiValueDict:
    """What the browser sends back for an editor as rendered (initial values)."""
    data = MultiValueDict({"action": ["save"]})
    forms = [editor.general]
    for formset in editor.formsets.values():
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, list | tuple):
                data.setlist(key, [str(v) for v in value])
            elif value is True:
                data[key] = "on"
            elif value not in (None, False):
                data[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


@pytest.mark.django_db
def test_form_rows_become_rule_data_exactly_and_the_save_is_audited(client, officer, item):
    login(client, officer)
    response = client.post(editor_url(item), editor_form(**WUXI_ROWS))
    assert response["Location"] == editor_url(item)
    version = item.versions.get()
    assert (version.number, version.state, version.rule, version.valid_from) == (
        1,
        "draft",
        WUXI_RULE,
        dt.date(2026, 1, 1),
    )
    entry = AuditEntry.objects.get(context__event="policies.version_updated")
    assert (entry.actor, entry.changes["v1.rule"]) == (officer, [{}, WUXI_RULE])
    # the stored rule shows in the form again and comes back unchanged
    page = client.get(editor_url(item))
    assert page.context["unsupported"] == []
    again = client.post(editor_url(item), post_data_of(page.context["editor"]))
    assert again.status_code == 302
    version.refresh_from_db()
    assert version.rule == WUXI_RULE
    assert AuditEntry.objects.filter(context__event="policies.version_updated").count() == 1


@pytest.mark.django_db
def test_live_preview_says_the_rule_in_words(client, officer, item):
    login(client, officer)
    response = client.post(
        reverse("policies:item_editor_preview", args=[item.key]), editor_form(**WUXI_ROWS)
    )
    assert response.context["preview"] == (
        "智能化改造设备投资奖补：注册地 3202 开头 且 项目类型 属于 智能化改造 且 项目总投资 大于"
        " 3,000万元 → 设备投资 × 8% + 软件投资 × 10%；上限：每个项目上限 500万元；"
        "分期：开工 30%、竣工验收 70%；有效期 2026-01-01 起"
    )
    assert item.versions.get().rule == {}


def test_describe_rule_of_the_shipped_wuxi_grant():
    wuxi = next(f for f in engine.shipped_rule_files() if f.key == "wuxi-im-transformation")
    assert describe_rule(wuxi.versions[0], "zh") == (
        "无锡市智能化改造项目奖补：注册地 3202 开头 且 项目类型 属于 智能化改造 且 项目总投资 大于"
        " 3,000万元 → 设备投资 × 8% + 软件投资 × 10%；有效期 2024-01-01 起"
    )
    assert describe_rule(wuxi.versions[0], "en") == (
        "Wuxi intelligent-transformation project grant: registered region starts with 3202 and"
        " project kind is one of Intelligent transformation and total investment above"
        " ¥30 million → equipment investment × 8% + software investment × 10%;"
        " valid from 2024-01-01"
    )


@pytest.mark.django_db
def test_engine_problem_is_named_at_its_row_and_nothing_is_saved(client, officer, item):
    login(client, officer)
    rows = {
        **WUXI_ROWS,
        "part": [{"kind": "tiers", "tier_fact": "project.total_investment"}],
        "tier": [
            {"bound": "from", "threshold": "5000万", "amount": "100万"},
            {"bound": "from", "threshold": "3000万", "amount": "50万"},
        ],
    }
    response = client.post(editor_url(item), editor_form(**rows))
    assert response.status_code == 200
    assert response.context["editor"].all_errors() == [
        "分档行 2 · amount.tiers.bands[1]: 分档界限应由小到大"
    ]
    assert item.versions.get().rule == {}
    assert not AuditEntry.objects.filter(context__event="policies.version_updated").exists()


@pytest.mark.django_db
def test_form_problems_name_the_row_and_field_in_chinese(client, officer, item):
    login(client, officer)
    rows = {
        **WUXI_ROWS,
        "cond": [
            {"fact": "project.total_investment", "op": "prefix", "value": "3202"},
            {"fact": "project.total_investment", "op": "gt", "value": "三千万"},
        ],
        "stage": [{"label": "开工", "percent": "30"}, {"label": "竣工", "percent": "60"}],
    }
    response = client.post(editor_url(item), editor_form(**rows))
    assert response.context["editor"].all_errors() == [
        "条件行 1 · 运算: “位于（代码前缀）”不适用于项目总投资；可用：大于、不低于、小于、不高于、等于、介于",
        "条件行 2 · 数值: “三千万”不是金额（如 3000万 或 30000000）。",
    ]
    # with the rows right, the stages still have to add up to 100 %
    rows["cond"] = WUXI_ROWS["cond"]
    response = client.post(editor_url(item), editor_form(**rows))
    assert response.context["editor"].all_errors() == ["分期比例合计为 90%，不是 100%。"]
    assert item.versions.get().rule == {}


@pytest.mark.django_db
def test_example_case_is_stored_in_the_shipped_format_and_runs(client, officer, item):
    login(client, officer)
    client.post(editor_url(item), editor_form(**WUXI_ROWS))
    response = client.post(reverse("policies:item_editor_case", args=[item.key]), CASE_FORM)
    assert response["Location"] == editor_url(item) + "#cases"
    assert item.versions.get().test_cases == [CASE]
    page = client.get(editor_url(item))
    ((run, editable),) = page.context["runs"]
    assert (run.name, run.passed, run.problems, editable) == ("总投资 3,100 万元", True, [], True)
    (outcome,) = run.outcomes
    assert (outcome["eligible"], outcome["amount_yuan"], outcome["project"]) == (
        True,
        "2200000.00",
        "p1",
    )
    assert [s["step"] for s in outcome["explanation"]] == [
        "version",
        "parameter",
        "parameter",
        "parameter",
        "parameter",
        "group",
        "condition",
        "condition",
        "condition",
        "amount",
        "amount",
        "amount",
        "cap",
        "stage",
        "stage",
        "result",
    ]
    assert outcome["stages"] == [
        {"label": "开工", "share": "0.3", "amount_yuan": "660000.00"},
        {"label": "竣工验收", "share": "0.7", "amount_yuan": "1540000.00"},
    ]
    # the case shows in the case form again
    edit = client.get(editor_url(item), {"case": "0"})
    assert edit.context["case_form"].initial["expect_amount"] == "220万"


@pytest.mark.django_db
def test_publish_is_refused_without_cases_and_with_a_failing_case(client, officer, item):
    login(client, officer)
    client.post(editor_url(item), editor_form(**WUXI_ROWS), follow=True)
    publish = reverse("policies:item_editor_publish", args=[item.key])
    response = client.post(publish, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "请先添加至少一个测试用例并运行，再发布。"
    ]
    client.post(
        reverse("policies:item_editor_case", args=[item.key]),
        {**CASE_FORM, "expect_amount": "230万"},
        follow=True,
    )
    response = client.post(publish, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "未通过的测试用例（1）：“总投资 3,100 万元”。请先修改规则或用例。"
    ]
    version = item.versions.get()
    item.refresh_from_db()
    assert (version.state, item.state) == ("draft", "draft")
    assert not AuditEntry.objects.filter(context__event="policies.version_published").exists()


@pytest.mark.django_db
def test_publish_after_cases_pass_then_editing_starts_a_new_draft(client, officer, item):
    login(client, officer)
    client.post(editor_url(item), editor_form(**WUXI_ROWS))
    client.post(reverse("policies:item_editor_case", args=[item.key]), CASE_FORM)
    response = client.post(reverse("policies:item_editor_publish", args=[item.key]))
    assert response["Location"] == reverse("policies:item_detail", args=[item.key])
    v1 = item.versions.get(number=1)
    item.refresh_from_db()
    assert (v1.state, v1.published_by, item.state) == ("published", officer, "published")
    # editing the published item: v1 is never changed, the save goes to a new draft v2
    rows = {
        **WUXI_ROWS,
        "part": [{"kind": "percent", "value": "10", "bases": ["project.equipment"]}],
    }
    client.post(editor_url(item), editor_form(**rows))
    v1.refresh_from_db()
    assert v1.rule == WUXI_RULE
    v2 = item.versions.get(number=2)
    assert (v2.state, v2.rule["version"], v2.rule["amount"], v2.test_cases) == (
        "draft",
        2,
        {"percent": {"param": "equipment_rate"}, "of": ["project.equipment"]},
        [CASE],
    )
    assert v2.rule["parameters"]["equipment_rate"]["value"] == "0.1"
    # the copied case now fails (10 % of equipment is 200万), so v2 cannot be published
    page = client.get(editor_url(item))
    ((run, _editable),) = page.context["runs"]
    assert (run.passed, run.problems) == (
        False,
        ["p1 amount_yuan: expected '2200000.00', got '2000000.00'"],
    )
    client.post(reverse("policies:item_editor_publish", args=[item.key]))
    assert list(item.versions.order_by("number").values_list("state", flat=True)) == [
        "published",
        "draft",
    ]


@pytest.mark.django_db
def test_published_version_cannot_be_changed_by_the_service(officer, item):
    actor = actor_for(officer)
    v1 = item.versions.get()
    services.update_item_version(actor, v1, test_cases=[CASE])
    from zhizao.policies.services import editor

    editor.save_draft(actor, item, rule=WUXI_RULE)
    editor.publish_draft(actor, item)
    with pytest.raises(services.base.PolicyError) as refused:
        services.update_item_version(actor, PolicyItemVersion.objects.get(pk=v1.pk), rule={})
    assert refused.value.code == "version_not_draft"
    assert PolicyItemVersion.objects.get(pk=v1.pk).rule == WUXI_RULE


@pytest.mark.django_db
def test_advanced_json_is_checked_and_names_the_place(client, officer, item):
    login(client, officer)
    url = reverse("policies:item_editor_json", args=[item.key])
    response = client.post(url, {"rule_json": "{", "cases_json": "[]"})
    assert response.context["advanced"].errors == {
        "rule_json": [
            "JSON 有误，第 1 行第 2 列：Expecting property name enclosed in double quotes"
        ]
    }
    bad = {**WUXI_RULE, "caps": [{"per": "week", "yuan": "1"}]}
    import json

    response = client.post(url, {"rule_json": json.dumps(bad), "cases_json": "[]"})
    assert response.context["advanced"].errors == {
        "rule_json": [
            "caps[0].per: 应为以下之一：project, project_year, enterprise, enterprise_year"
        ]
    }
    assert item.versions.get().rule == {}
    response = client.post(
        url, {"rule_json": json.dumps(WUXI_RULE), "cases_json": json.dumps([CASE])}
    )
    assert response.status_code == 302
    version = item.versions.get()
    assert (version.rule, version.test_cases) == (WUXI_RULE, [CASE])


@pytest.mark.django_db
def test_enterprise_cannot_open_or_post_the_editor(client, enterprise_user, item):
    login(client, enterprise_user)
    assert client.get(editor_url(item)).status_code == 404
    assert client.post(editor_url(item), editor_form(**WUXI_ROWS)).status_code == 404
    publish = reverse("policies:item_editor_publish", args=[item.key])
    assert client.post(publish).status_code == 404
    assert item.versions.get().rule == {}
