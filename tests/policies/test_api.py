"""The policies API: the same access rules and services as the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.test_registry_api import api_for
from tests.factories import actor_for
from zhizao.common.models import AuditEntry
from zhizao.policies import services
from zhizao.policies.models import Loan, Policy, Project

from .conftest import wuxi_rule


@pytest.mark.django_db
def test_officer_creates_and_patches_a_policy_enterprise_cannot(officer, enterprise_user):
    api = api_for(officer)
    created = api.post(
        "/api/policies/policies/",
        {
            "title": "常州市设备更新贷款贴息",
            "issuing_unit": "常州市工业和信息化局",
            "level": "city",
            "region": "320400",
            "valid_from": "2026-01-01",
            "budget_yuan": "30000000",
        },
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["title"], body["region"], body["budget_yuan"], body["state"]) == (
        "常州市设备更新贷款贴息",
        "320400",
        "30000000.00",
        "draft",
    )
    pk = body["id"]
    bad = api.patch(f"/api/policies/policies/{pk}/", {"valid_to": "2025-01-01"}, format="json")
    assert (bad.status_code, bad.json()["field"], bad.json()["code"]) == (
        400,
        "valid_to",
        "bad_dates",
    )
    published = api.patch(
        f"/api/policies/policies/{pk}/", {"state": "published", "first_come": True}, format="json"
    ).json()
    assert (published["state"], published["first_come"]) == ("published", True)
    # an enterprise reads the published policy but writes nothing
    other = api_for(enterprise_user)
    assert other.get(f"/api/policies/policies/{pk}/").json()["title"] == "常州市设备更新贷款贴息"
    refused = other.patch(f"/api/policies/policies/{pk}/", {"title": "改"}, format="json")
    assert refused.status_code == 404
    assert other.post("/api/policies/policies/", {"title": "x"}, format="json").status_code == 404
    assert list(Policy.objects.values_list("title", flat=True)) == ["常州市设备更新贷款贴息"]


@pytest.mark.django_db
def test_items_list_and_detail_hide_drafts_from_enterprises(officer, enterprise_user, item):
    api = api_for(enterprise_user)
    assert api.get("/api/policies/items/").json()["count"] == 0
    assert api.get(f"/api/policies/items/{item.key}/").status_code == 404
    actor = actor_for(officer)
    v1 = services.update_item_version(actor, item.versions.get(), rule=wuxi_rule())
    services.publish_item_version(actor, v1)
    services.create_item_version(actor, item)
    assert [i["key"] for i in api.get("/api/policies/items/").json()["results"]] == [item.key]
    detail = api.get(f"/api/policies/items/{item.key}/").json()
    assert [(v["number"], v["state"]) for v in detail["versions"]] == [(1, "published")]
    staff = api_for(officer).get(f"/api/policies/items/{item.key}/").json()
    assert [(v["number"], v["state"]) for v in staff["versions"]] == [
        (2, "draft"),
        (1, "published"),
    ]


@pytest.mark.django_db
def test_enterprise_creates_patches_and_adds_loans_to_its_own_project(
    enterprise_user, other_enterprise_user, factory_org
):
    api = api_for(enterprise_user)
    created = api.post(
        "/api/policies/projects/",
        {
            "name": "注塑车间联网改造",
            "kind": "networking",
            "equipment_yuan": "2000000",
            "intelligent_equipment_yuan": "2500000",
        },
        format="json",
    )
    assert (created.status_code, created.json()["field"]) == (400, "intelligent_equipment_yuan")
    assert created.json()["detail"] == "智能装备投资不能超过设备投资。"
    created = api.post(
        "/api/policies/projects/",
        {"name": "注塑车间联网改造", "kind": "networking", "equipment_yuan": "2000000"},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["total_investment_yuan"] is None
    patched = api.patch(
        f"/api/policies/projects/{pk}/",
        {"software_yuan": "500000", "services_yuan": "0", "other_yuan": "0"},
        format="json",
    ).json()
    assert (patched["total_investment_yuan"], patched["enterprise"]["id"]) == (
        "2500000.00",
        factory_org.pk,
    )
    loan = api.post(
        f"/api/policies/projects/{pk}/loans/",
        {
            "lender_name": "中国银行无锡分行",
            "amount_yuan": "1000000",
            "annual_rate": "0.031",
            "start_date": "2026-02-01",
            "end_date": "2028-01-31",
        },
        format="json",
    )
    assert loan.status_code == 201
    detail = api.get(f"/api/policies/projects/{pk}/").json()
    assert [(x["lender_name"], x["amount_yuan"], x["annual_rate"]) for x in detail["loans"]] == [
        ("中国银行无锡分行", "1000000.00", "0.031000")
    ]
    entry = AuditEntry.objects.get(context__event="policies.project_updated")
    assert entry.changes == {
        "software_yuan": [None, "500000"],
        "services_yuan": [None, "0"],
        "other_yuan": [None, "0"],
    }
    # someone else's project: 404 and nothing changes
    other = api_for(other_enterprise_user)
    assert other.get(f"/api/policies/projects/{pk}/").status_code == 404
    assert (
        other.patch(f"/api/policies/projects/{pk}/", {"name": "x"}, format="json").status_code
        == 404
    )
    assert (
        other.post(
            f"/api/policies/projects/{pk}/loans/",
            {"lender_name": "x", "amount_yuan": "1", "annual_rate": "0.01"},
            format="json",
        ).status_code
        == 404
    )
    assert other.get("/api/policies/projects/").json()["count"] == 0
    assert (Project.objects.get().name, Loan.objects.count()) == ("注塑车间联网改造", 1)


@pytest.mark.django_db
def test_project_list_api_has_a_constant_query_count(enterprise_user, factory_org):
    api = api_for(enterprise_user)
    actor = actor_for(enterprise_user)

    def add(n):
        for i in range(n):
            services.create_project(actor, factory_org, name=f"项目{i}", kind="green")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/policies/projects/").status_code == 200
        return len(ctx.captured_queries)

    add(1)
    one = count()
    add(2)
    assert count() == one
    assert Project.objects.filter(equipment_yuan=Decimal("0")).count() == 0
