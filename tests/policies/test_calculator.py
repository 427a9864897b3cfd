"""“My policies” (政策计算器): the shipped rules loaded into the database, an enterprise's
projects evaluated into eligible / possibly / not with exact amounts and explanations, results
recorded as decisions once a day, access, and a flat query count."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import actor_for
from zhizao.common.models import AuditEntry
from zhizao.policies import engine, services
from zhizao.policies.models import Decision, Policy, PolicyItem
from zhizao_core.policy.catalogue import version_data

from .conftest import login

AS_OF = "2025-12-31"


def jsonable(value):
    """YAML dates → ISO strings, as rule data is stored (JSON)."""
    return json.loads(json.dumps(value, default=str))


def load_shipped_rules(officer) -> dict[str, PolicyItem]:
    """Test-only loader: each shipped rule file becomes a published policy with one published
    item whose version 1 holds the file's rule and cases (the lead's loader may replace it)."""
    actor = actor_for(officer)
    items = {}
    for rule_file in engine.shipped_rule_files():
        data = rule_file.data
        meta = data.get("policy") or {}
        policy = services.create_policy(
            actor,
            title=meta.get("title") or data["name"]["zh"],
            doc_number=meta.get("doc_number") or "",
            issuing_unit=meta.get("issuing_unit") or "—",
            level=meta.get("level") or "city",
            valid_from=dt.date(2024, 1, 1),
            budget_yuan=meta.get("budget_yuan"),
        )
        services.publish_policy(actor, policy)
        item = services.create_item(
            actor,
            policy,
            key=rule_file.key,
            name=data["name"]["zh"],
            category=data.get("category", "grant"),
            subject=data.get("subject", "project"),
        )
        first = jsonable(version_data(data, data["versions"][0]))
        version = item.versions.get(number=1)
        services.update_item_version(
            actor,
            version,
            rule=first,
            test_cases=jsonable(data.get("cases") or []),
            valid_from=dt.date.fromisoformat(first["valid_from"]),
        )
        services.publish_item_version(actor, version)
        items[item.key] = item
    return items


@pytest.fixture
def shipped(officer):
    return load_shipped_rules(officer)


def make_project(user, org, name, *, loan=None, **amounts):
    actor = actor_for(user)
    values = {
        "equipment_yuan": Decimal("20000000"),
        "software_yuan": Decimal("6000000"),
        "services_yuan": Decimal("3000000"),
        "other_yuan": Decimal("2000000"),
        **amounts,
    }
    project = services.create_project(
        actor, org, name=name, kind="intelligent_transformation", **values
    )
    if loan:
        services.add_loan(
            actor,
            project,
            amount_yuan=Decimal(loan),
            annual_rate=Decimal("0.0345"),
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2025, 12, 31),
            lender_name="江苏银行无锡分行",
        )
    return project


def make_two_projects(user, org):
    """A: 3,100万元 with every part known (Wuxi 220万元); B: software not filled in, with a
    5,000万元 loan for the whole of 2025 (Jiangsu interest 100万元)."""
    a = make_project(user, org, "冲压车间智能化改造")
    b = make_project(user, org, "总装线数字化改造", software_yuan=None, loan="50000000")
    return a, b


@pytest.fixture
def two_projects(enterprise_user, factory_org):
    return make_two_projects(enterprise_user, factory_org)


def groups(response) -> dict:
    calc = response.context["calculation"]
    return {
        code: [
            (r.item.key, r.project_name, None if r.amount_yuan is None else str(r.amount_yuan))
            for r in calc.group(code)
        ]
        for code in ("yes", "unknown", "no")
    }


@pytest.mark.django_db
def test_enterprise_sees_each_shipped_item_grouped_with_exact_amounts(
    client, shipped, enterprise_user, two_projects
):
    login(client, enterprise_user)
    response = client.get(reverse("policies:my_policies"), {"as_of": AS_OF})
    assert {k: v for k, v in groups(response).items() if k != "no"} == {
        "yes": [
            ("jiangsu-mfg-loan-interest", "总装线数字化改造", "1000000.00"),
            ("wuxi-im-transformation", "冲压车间智能化改造", "2200000.00"),
        ],
        "unknown": [("wuxi-im-transformation", "总装线数字化改造", None)],
    }
    # every other shipped item is listed as not eligible, at 0
    no = groups(response)["no"]
    assert {key for key, _name, _amount in no} == set(shipped) - {"wuxi-im-transformation"}
    assert ("jiangsu-mfg-loan-interest", "冲压车间智能化改造", "0.00") in no  # no loan
    assert {amount for _key, _name, amount in no} == {"0.00"}
    assert response.context["calculation"].total_yuan == Decimal("3200000.00")
    html = response.content.decode()
    assert "320万元" in html  # the total, as Chinese readers expect
    # the explanation of the Wuxi grant: each condition with its value and source, parameters
    wuxi = next(
        r for r in response.context["calculation"].eligible if r.item.key.startswith("wuxi")
    )
    conditions = [s for s in wuxi.outcome.explanation if s["step"] == "condition"]
    assert [
        (s["fact"], s["result"], s["value"], s.get("value_label"), s.get("operand_label"))
        for s in conditions
    ] == [
        # places and kinds by their names (the text, the labels), their codes kept beside
        ("enterprise.region", True, "320214", "新吴区", ["无锡市"]),
        ("project.kind", True, "intelligent_transformation", "智能化改造", ["智能化改造"]),
        ("project.total_investment", True, "31,000,000.00 元", None, None),
    ]
    assert [s["text"] for s in conditions] == ZH_CONDITION_TEXTS
    with translation.override("zh-hans"):
        assert conditions[0]["source"] == gettext("registry: registered region")
    params = [
        (s["name"], s["value"], s["since"])
        for s in wuxi.outcome.explanation
        if s["step"] == "parameter"
    ]
    assert params == [
        ("min_investment", "30000000", "2024-01-01"),
        ("equipment_rate", "0.08", "2024-01-01"),
        ("software_rate", "0.1", "2024-01-01"),
    ]


@pytest.mark.django_db
def test_unknown_facts_show_possibly_with_the_missing_fact_named_and_where_to_fill_it(
    client, shipped, enterprise_user, two_projects
):
    login(client, enterprise_user)
    response = client.get(reverse("policies:my_policies"), {"as_of": AS_OF})
    (possible,) = response.context["calculation"].possible
    project_b = two_projects[1]
    assert [(m.key, m.label, m.url) for m in possible.missing] == [
        (
            "project.software_yuan",
            "软件投资",
            reverse("policies:project_edit", args=[project_b.pk]),
        )
    ]
    html = response.content.decode()
    link = reverse("policies:project_edit", args=[project_b.pk])
    assert f'<li>软件投资 — <a href="{link}">编辑项目</a></li>' in html
    assert f'href="{reverse("policies:project_edit", args=[project_b.pk])}"' in html


@pytest.mark.django_db
def test_an_item_of_an_unpublished_policy_is_left_out(
    client, shipped, officer, enterprise_user, two_projects
):
    services.archive_policy(actor_for(officer), shipped["wuxi-im-transformation"].policy)
    login(client, enterprise_user)
    response = client.get(reverse("policies:my_policies"), {"as_of": AS_OF})
    keys = {r.item.key for r in response.context["calculation"].results}
    assert keys == set(shipped) - {"wuxi-im-transformation"}


@pytest.mark.django_db
def test_saving_results_records_decisions_once_a_day_and_audits(
    client, shipped, enterprise_user, factory_org, two_projects
):
    login(client, enterprise_user)
    url = reverse("policies:my_policies_record")
    response = client.post(url, {"as_of": AS_OF})
    assert response["Location"] == reverse("policies:my_policies") + f"?as_of={AS_OF}"
    decisions = Decision.objects.filter(enterprise=factory_org).order_by("id")
    # one per enterprise item and one per project and project item
    expected = sum(2 if item.subject == "project" else 1 for item in shipped.values())
    assert decisions.count() == expected
    wuxi_a = decisions.get(
        item_version__item__key="wuxi-im-transformation", project=two_projects[0]
    )
    assert (
        wuxi_a.item_version.number,
        wuxi_a.eligible,
        wuxi_a.amount_yuan,
        wuxi_a.as_of,
        wuxi_a.source,
        wuxi_a.binding_cap,
        wuxi_a.missing,
    ) == (1, "yes", Decimal("2200000.00"), dt.date(2025, 12, 31), "calculator", "", [])
    assert wuxi_a.explanation[-1] == {"step": "result", "text": "符合条件，金额 2,200,000.00 元"}
    wuxi_b = decisions.get(
        item_version__item__key="wuxi-im-transformation", project=two_projects[1]
    )
    assert (wuxi_b.eligible, wuxi_b.amount_yuan, wuxi_b.missing) == (
        "unknown",
        None,
        ["project.software_yuan"],
    )
    entry = AuditEntry.objects.get(context__event="policies.decisions_recorded")
    assert (entry.action, entry.actor, entry.changes) == (
        "create",
        enterprise_user,
        {"decisions": [None, expected]},
    )
    assert entry.context["decisions"] == list(decisions.values_list("pk", flat=True))
    # a double click stores nothing more and writes no second audit entry
    client.post(url, {"as_of": AS_OF})
    assert Decision.objects.filter(enterprise=factory_org).count() == expected
    assert AuditEntry.objects.filter(context__event="policies.decisions_recorded").count() == 1


@pytest.mark.django_db
def test_decisions_keep_their_version_when_the_item_is_republished(
    client, shipped, officer, enterprise_user, factory_org, two_projects
):
    login(client, enterprise_user)
    client.post(reverse("policies:my_policies_record"), {"as_of": AS_OF})
    item = shipped["wuxi-im-transformation"]
    v1 = item.versions.get(number=1)
    actor = actor_for(officer)
    v2 = services.create_item_version(actor, item)
    rule = dict(v2.rule)
    rule["parameters"] = {
        **rule["parameters"],
        "equipment_rate": {**rule["parameters"]["equipment_rate"], "value": "0.1"},
    }
    services.update_item_version(actor, v2, rule=rule, valid_from=dt.date(2025, 1, 1))
    services.publish_item_version(actor, v2)
    decision = Decision.objects.get(item_version__item=item, project=two_projects[0])
    assert (decision.item_version_id, decision.amount_yuan) == (v1.pk, Decimal("2200000.00"))
    v1.refresh_from_db()
    assert v1.state == "superseded"
    # the page now uses v2 (10 % of equipment): 2,000万 × 10% + 600万 × 10% = 260万
    response = client.get(reverse("policies:my_policies"), {"as_of": AS_OF})
    wuxi = [r for r in response.context["calculation"].eligible if r.item.key == item.key]
    assert [(r.version.number, str(r.amount_yuan)) for r in wuxi] == [(2, "2600000.00")]
    # before v2 applies, v1 still answers
    earlier = client.get(reverse("policies:my_policies"), {"as_of": "2024-06-30"})
    wuxi = [r for r in earlier.context["calculation"].eligible if r.item.key == item.key]
    assert [(r.version.number, str(r.amount_yuan)) for r in wuxi] == [(1, "2200000.00")]


@pytest.mark.django_db
def test_staff_open_any_calculator_others_get_404_and_nothing_is_recorded(
    client, shipped, officer, enterprise_user, other_enterprise_user, factory_org, two_projects
):
    url = reverse("policies:organization_calculator", args=[factory_org.pk])
    record = reverse("policies:organization_calculator_record", args=[factory_org.pk])
    login(client, other_enterprise_user)
    assert client.get(url).status_code == 404
    assert client.post(record, {"as_of": AS_OF}).status_code == 404
    assert Decision.objects.count() == 0
    client.logout()
    login(client, officer)
    assert client.get(reverse("policies:my_policies")).status_code == 404
    response = client.get(url, {"as_of": AS_OF})
    assert response.context["organization"] == factory_org
    assert [r.item.key for r in response.context["calculation"].eligible] == [
        "jiangsu-mfg-loan-interest",
        "wuxi-im-transformation",
    ]
    # staff are sent to the read-only project page to see what is missing
    (possible,) = response.context["calculation"].possible
    assert possible.missing[0].url == reverse("policies:project_detail", args=[two_projects[1].pk])


@pytest.mark.django_db
def test_calculator_page_queries_do_not_grow_with_projects(
    client, shipped, enterprise_user, factory_org, django_assert_num_queries
):
    login(client, enterprise_user)
    make_project(enterprise_user, factory_org, "项目一", loan="10000000")
    url = reverse("policies:my_policies")
    client.get(url, {"as_of": AS_OF})  # warm caches (session, reference data)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url, {"as_of": AS_OF})
    for n in (2, 3):
        make_project(enterprise_user, factory_org, f"项目{n}", loan="10000000")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url, {"as_of": AS_OF})
    assert len(response.context["calculation"].results) == sum(
        3 if item.subject == "project" else 1 for item in shipped.values()
    )


@pytest.mark.django_db
def test_calculator_speaks_english_when_the_page_does(
    client, shipped, enterprise_user, two_projects
):
    login(client, enterprise_user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("policies:my_policies"), {"as_of": AS_OF})
    wuxi = next(
        r for r in response.context["calculation"].eligible if r.item.key.startswith("wuxi")
    )
    assert wuxi.outcome.explanation[-1]["text"] == "eligible: 2,200,000.00 yuan"
    conditions = [s["text"] for s in wuxi.outcome.explanation if s["step"] == "condition"]
    assert conditions == EN_CONDITION_TEXTS
    (possible,) = response.context["calculation"].possible
    assert possible.missing[0].label == "software investment"


def rendered_groups(html: str, testid: str) -> list[tuple]:
    """(policy title, amount, [results shown], [items not met, folded]) per policy section."""
    part = html[html.index(f'data-testid="{testid}"') :]
    if testid == "policies-here":
        part = part.split('data-testid="policies-elsewhere"')[0]
    out = []
    for section in part.split('<section class="card calculator-policy-group')[1:]:
        title = re.search(r"<h3[^>]*><a[^>]*>([^<]*)</a></h3>", section)[1]
        amount = re.search(r'data-testid="policy-amount">([^<]*)<', section)[1]
        shown, _sep, folded = section.partition('data-testid="policy-ineligible"')
        out.append(
            (
                title,
                amount,
                re.findall(r'data-testid="result-([^"]+)"', shown),
                re.findall(r'data-testid="result-([^"]+)"', folded),
            )
        )
    return out


@pytest.mark.django_db
def test_my_policies_groups_results_by_policy_those_of_other_regions_folded(
    client, shipped, enterprise_user, two_projects
):
    """The enterprise is registered in 新吴区 (320214): policies of Wuxi, Jiangsu and those
    without a region apply; Anhui, Ningbo and Suzhou are folded away. Each policy is
    shown once with its amount; an item not met is listed once, not once per project."""
    a, b = two_projects
    regions = {
        "wuxi-im-transformation": "320200",
        "jiangsu-mfg-loan-interest": "320000",
        "anhui-industrial-base": "340000",
        "ningbo-3511-major": "330200",
        "suzhou-integrator-revenue": "320500",
    }
    for key, region in regions.items():
        Policy.objects.filter(pk=shipped[key].policy_id).update(region_id=region)
    login(client, enterprise_user)
    html = client.get(reverse("policies:my_policies"), {"as_of": AS_OF}).content.decode()

    def title(key):
        return shipped[key].policy.title

    def not_met(key):
        return f"{key}-{a.pk}" if shipped[key].subject == "project" else key

    unrestricted = sorted(
        (item.policy.title, item.policy_id, key)
        for key, item in shipped.items()
        if key not in regions
    )
    assert rendered_groups(html, "policies-here") == [
        (
            title("wuxi-im-transformation"),
            "220万元",
            [f"wuxi-im-transformation-{a.pk}", f"wuxi-im-transformation-{b.pk}"],
            [],
        ),
        (
            title("jiangsu-mfg-loan-interest"),
            "100万元",
            [f"jiangsu-mfg-loan-interest-{b.pk}"],
            [f"jiangsu-mfg-loan-interest-{a.pk}"],
        ),
        *[(name, "不符合", [], [not_met(key)]) for name, _pk, key in unrestricted],
    ]
    assert rendered_groups(html, "policies-elsewhere") == [
        (title(key), "不符合", [], [not_met(key)])
        for key in sorted(
            (
                "anhui-industrial-base",
                "ningbo-3511-major",
                "suzhou-integrator-revenue",
            ),
            key=lambda k: (title(k), shipped[k].policy_id),
        )
    ]
    # the folded part is closed, and the policy's level and window are said once
    assert '<details class="calculator-elsewhere" data-testid="policies-elsewhere">' in html
    assert html.count(f'data-testid="policy-{shipped["wuxi-im-transformation"].policy_id}"') == 1


# each condition as the enterprise reads it: places and kinds by name (新吴区, 无锡市, 智能化改造),
# never by code (320214, 3202, intelligent_transformation)
ZH_CONDITION_TEXTS = [
    "注册地行政区划 新吴区 位于/属于 无锡市 → 满足",
    "项目类型 智能化改造 属于 智能化改造 → 满足",
    "项目总投资 31,000,000.00 元 大于 30,000,000.00 元 → 满足",
]
EN_CONDITION_TEXTS = [
    "registered region Xinwu District within Wuxi → met",
    "project kind Intelligent transformation is one of Intelligent transformation → met",
    "total investment 31,000,000.00 yuan above 30,000,000.00 yuan → met",
]
