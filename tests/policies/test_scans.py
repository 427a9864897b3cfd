"""Proactive scans (免申即享) over a small registry: exact counts, amounts, the credit screen,
the summary by city and industry, idempotence, and the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import actor_for
from tests.policies.conftest import login
from tests.policies.scanning import AS_OF, run
from zhizao.common.models import AuditEntry
from zhizao.policies import services
from zhizao.policies.enums import ScanState
from zhizao.policies.errors import PolicyError
from zhizao.policies.models import Decision, Scan
from zhizao.policies.services import scans

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]


def decision_rows(scan):
    return sorted(
        (d.enterprise.name, d.project.name if d.project else None, d.eligible, d.amount_yuan)
        for d in Decision.objects.filter(scan=scan).select_related("enterprise", "project")
    )


def test_scan_counts_amounts_and_decisions_exactly(officer, scan_version, scan_registry):
    scan = run(officer, scan_version)
    assert (scan.state, scan.progress, scan.evaluated) == (ScanState.DONE, 100, 6)
    assert (scan.eligible_count, scan.unknown_count, scan.excluded_count) == (3, 1, 1)
    # 2,480,000 + 2,400,000; 瑞丰's 3,200,000 is excluded by its credit record
    assert scan.total_yuan == Decimal("4880000.00")
    # the not-eligible rows (常州天衡, 恒达's second line, 新华 without projects) are counted,
    # not stored
    assert decision_rows(scan) == [
        # possibly: 8 % of the known equipment, if the software investment brings the total over
        ("无锡宏图涂装科技有限公司", "涂装线智能化改造", "unknown", Decimal("2800000.00")),
        ("无锡恒润精密机械有限公司", "锻压线智能化改造", "yes", Decimal("2480000.00")),
        ("无锡恒达智能装备有限公司", "一号线智能化改造", "yes", Decimal("2400000.00")),
        ("无锡瑞丰汽车部件有限公司", "总装线智能化改造", "yes", Decimal("3200000.00")),
    ]
    decisions = Decision.objects.filter(scan=scan)
    assert {d.source for d in decisions} == {"scan"}
    assert {d.item_version_id for d in decisions} == {scan_version.pk}
    # every stored decision carries its explanation; the unknown row names what is missing
    assert not decisions.filter(eligible="no").exists()
    assert all(d.explanation for d in decisions)
    unknown = decisions.get(eligible="unknown")
    assert unknown.missing == ["project.software_yuan"]
    assert unknown.explanation[-1]["step"] == "result"
    # each condition names the place (无锡市, 锡山区), never its code (3202, 320205)
    assert next(s["text"] for s in unknown.explanation if s["step"] == "condition") == (
        "注册地行政区划 锡山区 位于/属于 无锡市 → 满足"
    )


def test_scan_credit_screen_names_the_reason(officer, scan_version, scan_registry):
    scan = run(officer, scan_version)
    assert scan.summary["excluded"] == [
        {
            "enterprise": scan_registry["b"].pk,
            "name": "无锡瑞丰汽车部件有限公司",
            "project": str(scan_registry["projects"]["b"].pk),
            "amount_yuan": "3200000.00",
            "reason": "失信被执行人：（2025）苏0206执1234号",
            "records": [
                {
                    "record": scan_registry["b"].credit_records.get().pk,
                    "kind": "dishonest",
                    "description": "（2025）苏0206执1234号",
                    "start_date": "2025-11-01",
                    "end_date": None,
                }
            ],
        }
    ]


def test_credit_record_ended_before_as_of_does_not_exclude(officer, scan_version, scan_registry):
    credit = scan_registry["b"].credit_records.get()
    services.end_credit_record(actor_for(officer), credit, end_date=dt.date(2026, 6, 29))
    scan = run(officer, scan_version)
    assert (scan.excluded_count, scan.total_yuan) == (0, Decimal("8080000.00"))
    # ending ON the as-of date is still in force that day
    assert scans.credit_exclusions([scan_registry["b"].pk], dt.date(2026, 6, 29)) != {}


def test_scan_summary_by_city_and_division_and_budget_reach(officer, scan_version, scan_registry):
    scan = run(officer, scan_version)
    summary = scan.summary
    assert [
        (r["code"], r["eligible"], r["unknown"], r["amount_yuan"]) for r in summary["by_city"]
    ] == [("320200", 3, 1, "8080000.00")]
    assert summary["by_city"][0]["name"]["zh"] == "无锡市"
    assert [
        (r["code"], r["eligible"], r["unknown"], r["amount_yuan"]) for r in summary["by_division"]
    ] == [
        ("34", 2, 0, "4880000.00"),
        ("36", 1, 0, "3200000.00"),
        ("33", 0, 1, "0.00"),
    ]
    assert summary["enterprises"] == {"eligible": 3, "unknown": 1}
    assert summary["budget_yuan"] == "50000000.00"
    # the whole listable total fits in the budget: both rows covered
    assert summary["reach"] == {
        "budget_yuan": "50000000.00",
        "covered": 2,
        "covered_yuan": "4880000.00",
        "not_covered": 0,
        "shortfall_yuan": "0.00",
    }


def test_first_come_budget_reach_in_start_date_order(officer, item, scan_version, scan_registry):
    # a 3,000,000 item budget: 恒达 (started 2026-02-01, 2,400,000) fits, factory_org
    # (2026-03-01, 2,480,000) no longer does
    services.update_item(actor_for(officer), item, budget_yuan=Decimal("3000000"))
    scan = run(officer, scan_version)
    assert scan.summary["reach"] == {
        "budget_yuan": "3000000.00",
        "covered": 1,
        "covered_yuan": "2400000.00",
        "not_covered": 1,
        "shortfall_yuan": "1880000.00",
    }


def test_running_a_scan_twice_writes_its_decisions_once(officer, scan_version, scan_registry):
    scan = run(officer, scan_version)
    first = decision_rows(scan)
    # a killed worker's task is run again: it finds the scan done and writes nothing
    assert scans.run_scan(scan).state == ScanState.DONE
    assert decision_rows(scan) == first
    # an attempt that died mid-way (state still running, rows half written) is replaced whole
    Scan.objects.filter(pk=scan.pk).update(state=ScanState.RUNNING)
    again = scans.run_scan(Scan.objects.get(pk=scan.pk))
    assert again.state == ScanState.DONE
    assert decision_rows(again) == first
    assert Decision.objects.filter(scan=scan).count() == 4


def test_start_scan_refuses_a_draft_version_and_a_date_outside_it(officer, item, scan_registry):
    draft = item.versions.get(number=1)
    with pytest.raises(PolicyError) as refused:
        scans.start_scan(actor_for(officer), draft, as_of=AS_OF)
    assert refused.value.code == "version_not_published"
    assert Scan.objects.count() == 0


def test_start_scan_refuses_a_date_before_the_version(officer, scan_version, scan_registry):
    with pytest.raises(PolicyError) as refused:
        scans.start_scan(actor_for(officer), scan_version, as_of=dt.date(2025, 12, 31))
    assert refused.value.code == "version_not_in_force"
    assert Scan.objects.count() == 0


def test_scan_page_starts_the_task_and_shows_the_result(
    client, officer, scan_version, scan_registry, django_capture_on_commit_callbacks
):
    login(client, officer)
    url = reverse("policies:scan_new", args=[scan_version.item.key])
    page = client.get(url)
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"version": scan_version.pk, "as_of": "2026-06-30"})
    assert len(callbacks) == 1  # the task, enqueued after commit
    scan = Scan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("policies:scan_detail", args=[scan.pk])
    # the immediate backend ran the task when the request's transaction committed
    assert (scan.state, scan.eligible_count, scan.total_yuan) == ("done", 3, Decimal("4880000.00"))
    assert AuditEntry.objects.filter(context__event="policies.scan_started").count() == 1
    assert AuditEntry.objects.filter(context__event="policies.scan_finished").count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert "无锡瑞丰汽车部件有限公司" in detail and "失信被执行人" in detail
    assert "488万元" in detail
    assert 'data-testid="scan-status"' in detail


def test_scan_pages_are_404_for_an_enterprise(
    client, enterprise_user, scan_version, scan_registry, officer
):
    scan = run(officer, scan_version)
    login(client, enterprise_user)
    before = Scan.objects.count()
    assert client.get(reverse("policies:scan_detail", args=[scan.pk])).status_code == 404
    url = reverse("policies:scan_new", args=[scan_version.item.key])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": scan_version.pk, "as_of": "2026-06-30"}).status_code == 404
    assert Scan.objects.count() == before
