"""The matchmaking API: the same services and rules as the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhizao.matchmaking.enums import OfferingKind
from zhizao.matchmaking.models import Demand, Introduction
from zhizao_core.matching.vocabulary import KINDS

from .conftest import login

pytestmark = pytest.mark.django_db


def test_offering_kinds_are_the_vocabulary_kinds():
    assert OfferingKind.values == list(KINDS)


def test_demand_to_deal_through_the_api(client, enterprise_user, provider_user, offering, contact):
    login(client, enterprise_user)
    created = client.post(
        reverse("api-match-demands"),
        {
            "title": "注塑件外观缺陷视觉检测",
            "description": "机器视觉检测注塑件飞边、缺料",
            "category": "machine_vision",
            "region": "320214",
            "industry": "2929",
            "budget_band": "500k-1m",
            "must": ["CMMI3及以上", {"kind": "industry_case", "value": "29"}],
            "contact": contact.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    demand_id = created.json()["id"]
    assert created.json()["contact"]["phone"] == "13912345678"
    bad = client.patch(
        reverse("api-match-demand", args=[demand_id]),
        {"region": "999999"},
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["code"], bad.json()["field"]) == (
        400,
        "unknown_region",
        "region",
    )
    client.patch(
        reverse("api-match-demand", args=[demand_id]),
        {"state": "published"},
        content_type="application/json",
    )
    matches = client.get(reverse("api-match-demand-matches", args=[demand_id])).json()["results"]
    assert [(m["offering"], m["meets_all"]) for m in matches] == [(offering.pk, True)]
    assert matches[0]["reasons"][0].startswith("满足全部 2 项要求")
    intro = client.post(
        reverse("api-match-introductions"),
        {"demand": demand_id, "offering": offering.pk, "message": "请报价"},
        content_type="application/json",
    ).json()
    assert (intro["state"], intro["side"], intro["contacts"]) == ("requested", "enterprise", [])
    client.logout()
    login(client, provider_user)
    refused = client.post(reverse("api-match-introduction-action", args=[intro["id"], "deal"]))
    assert refused.json()["code"] == "bad_transition"
    for action in ("accept", "meet"):
        response = client.post(reverse("api-match-introduction-action", args=[intro["id"], action]))
        assert response.status_code == 200, response.content
    deal = client.post(
        reverse("api-match-introduction-action", args=[intro["id"], "deal"]),
        {"value_yuan": "880000", "evidence": SimpleUploadedFile("po.pdf", b"%PDF")},
    )
    assert (deal.status_code, deal.json()["state"], deal.json()["deal_value_yuan"]) == (
        200,
        "deal",
        "880000.00",
    )
    assert Introduction.objects.get().deal_evidence_name == "po.pdf"
    assert Demand.objects.get().state == "published"


def test_operation_ids_are_distinct(client, operator):
    login(client, operator)
    schema = client.get(reverse("api-schema") + "?format=json").json()
    ids = [
        op["operationId"]
        for path, ops in schema["paths"].items()
        if "/matchmaking/" in path
        for op in ops.values()
        if isinstance(op, dict) and "operationId" in op
    ]
    assert len(ids) == len(set(ids)) == 24


def test_patch_with_a_refused_state_change_saves_nothing(client, enterprise_user):
    """Fields and state in one PATCH are one transaction: a demand without a description
    cannot be published, and then its new title is not saved either."""
    from zhizao.common.models import AuditEntry

    login(client, enterprise_user)
    created = client.post(
        reverse("api-match-demands"),
        {
            "title": "注塑件外观检测",
            "category": "machine_vision",
            "region": "320214",
            "industry": "2929",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    demand_id = created.json()["id"]
    entries = AuditEntry.objects.count()

    response = client.patch(
        reverse("api-match-demand", args=[demand_id]),
        {"title": "注塑件飞边检测", "state": "published"},
        content_type="application/json",
    )

    assert response.status_code == 400
    stored = Demand.objects.get(pk=demand_id)
    assert (stored.title, stored.state) == ("注塑件外观检测", "draft")
    assert AuditEntry.objects.count() == entries
