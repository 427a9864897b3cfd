"""The what-if sandbox (政策沙盘) over the small registry of ``scanning.py``: the rule in force
finds 恒润 2,480,000 + 恒达 2,400,000 + 瑞丰 3,200,000 = 8,080,000 yuan (the sandbox shows the
rule's reach; the credit screen belongs to the name list)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import actor_for
from tests.policies.conftest import login
from tests.policies.scanning import AS_OF
from zhizao.common.models import AuditEntry
from zhizao.policies.errors import PolicyError
from zhizao.policies.models import PolicyItemVersion, Scan
from zhizao.policies.services import sandbox

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]


def test_editable_fields_are_the_parameters_in_force(scan_version):
    assert sandbox.editable_fields(scan_version) == [
        {"path": "parameters.equipment_rate", "label": "设备投资奖补比例", "value": "0.08"},
        {"path": "parameters.min_investment", "label": "项目总投资门槛（元）", "value": "30000000"},
    ]


def test_rate_8_to_10_percent_costs_exactly_the_difference(officer, scan_version, scan_registry):
    run = sandbox.run_sandbox(
        actor_for(officer), scan_version, changes={"parameters.equipment_rate": "0.10"}, as_of=AS_OF
    )
    summary = run.summary
    assert summary["base"]["total_yuan"] == "8080000.00"
    # 31,000,000 + 30,000,000 + 40,000,000 at 10 %
    assert summary["sandbox"]["total_yuan"] == "10100000.00"
    assert summary["diff"] == {
        "eligible": 0,
        "eligible_enterprises": 0,
        "unknown": 0,
        "total_yuan": "2020000.00",
    }
    assert (summary["gained"], summary["lost"]) == ([], [])
    assert [
        (r["code"], r["base_yuan"], r["new_yuan"], r["diff_yuan"]) for r in summary["by_city"]
    ] == [("320200", "8080000.00", "10100000.00", "2020000.00")]
    assert [(r["code"], r["diff_yuan"]) for r in summary["by_division"]] == [
        ("34", "1220000.00"),
        ("36", "800000.00"),
        ("33", "0.00"),
    ]
    assert summary["changes"] == [
        {"path": "parameters.equipment_rate", "before": "0.08", "after": "0.10"}
    ]
    # kept for the record as a sandbox scan; no version was made or changed
    assert run.is_sandbox and run.sandbox_rule["changes"] == {"parameters.equipment_rate": "0.10"}
    assert PolicyItemVersion.objects.filter(item=scan_version.item).count() == 1
    scan_version.refresh_from_db()
    assert scan_version.rule["parameters"]["equipment_rate"]["value"] == "0.08"
    assert AuditEntry.objects.get(context__event="policies.sandbox_run").context["diff_yuan"] == (
        "2020000.00"
    )


def test_raising_the_threshold_moves_exactly_the_expected_enterprise(
    officer, scan_version, scan_registry
):
    run = sandbox.run_sandbox(
        actor_for(officer),
        scan_version,
        changes={"parameters.min_investment": "31500000"},
        as_of=AS_OF,
    )
    summary = run.summary
    # 恒润's 31,000,000 project is no longer above the threshold; 恒达 (32,000,000) still is
    assert summary["lost"] == [
        {
            "enterprise": scan_registry["f"].pk,
            "name": "无锡恒润精密机械有限公司",
            "city": "320200",
            "amount_yuan": "2480000.00",
        }
    ]
    assert (summary["gained"], summary["lost_count"]) == ([], 1)
    assert summary["diff"]["total_yuan"] == "-2480000.00"
    assert summary["diff"]["eligible"] == -1


def test_lowering_the_threshold_adds_a_project_of_an_eligible_enterprise(
    officer, scan_version, scan_registry
):
    run = sandbox.run_sandbox(
        actor_for(officer),
        scan_version,
        changes={"parameters.min_investment": "19000000"},
        as_of=AS_OF,
    )
    # 恒达's second project (20,000,000) joins: +1,600,000; no enterprise is new
    assert run.summary["diff"] == {
        "eligible": 1,
        "eligible_enterprises": 0,
        "unknown": 0,
        "total_yuan": "1600000.00",
    }
    assert run.summary["gained"] == []


def test_sandbox_refuses_unknown_paths_and_no_change(officer, scan_version, scan_registry):
    with pytest.raises(PolicyError) as refused:
        sandbox.run_sandbox(
            actor_for(officer), scan_version, changes={"conditions.all[0].value": "x"}, as_of=AS_OF
        )
    assert refused.value.code == "not_editable"
    with pytest.raises(PolicyError) as refused:
        sandbox.run_sandbox(
            actor_for(officer),
            scan_version,
            changes={"parameters.equipment_rate": "0.08"},
            as_of=AS_OF,
        )
    assert refused.value.code == "no_changes"
    # a value that is not a number is refused by the field's label, not its path
    with pytest.raises(PolicyError) as refused:
        sandbox.run_sandbox(
            actor_for(officer),
            scan_version,
            changes={"parameters.equipment_rate": "八个点"},
            as_of=AS_OF,
        )
    assert (refused.value.code, refused.value.field) == (
        "not_a_number",
        "parameters.equipment_rate",
    )
    assert str(refused.value.message) == "设备投资奖补比例必须是数字。"
    assert Scan.objects.count() == 0


def test_sandbox_page_compares_side_by_side(client, officer, scan_version, scan_registry):
    login(client, officer)
    url = reverse("policies:sandbox", args=[scan_version.item.key])
    page = client.get(url).content.decode()
    assert 'name="parameters.equipment_rate"' in page and 'value="0.08"' in page
    response = client.post(
        url,
        {
            "parameters.equipment_rate": "0.10",
            "parameters.min_investment": "30000000",
            "as_of": "2026-06-30",
        },
    )
    run = Scan.objects.get()
    assert response["Location"] == reverse("policies:sandbox_detail", args=[run.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "808万元" in detail and "1,010万元" in detail and "202万元" in detail


def test_sandbox_is_404_for_an_enterprise(client, enterprise_user, scan_version, scan_registry):
    login(client, enterprise_user)
    url = reverse("policies:sandbox", args=[scan_version.item.key])
    assert client.get(url).status_code == 404
    assert client.post(url, {"parameters.equipment_rate": "0.10"}).status_code == 404
    assert Scan.objects.count() == 0
