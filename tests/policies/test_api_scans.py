"""The 免申即享 API: scans, name lists, announcement, confirmation, payments (400 with the reason
when they would exceed), the sandbox — same services and access as the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.test_registry_api import api_for
from tests.factories import actor_for
from tests.policies.scanning import announced_list, run
from zhizao.common.models import Notification
from zhizao.policies.models import NameList, Payment, Scan
from zhizao.policies.services import namelists

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese")]


def test_scan_create_runs_and_reads_back_with_summary(
    officer, scan_version, scan_registry, django_capture_on_commit_callbacks
):
    api = api_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/policies/scans/",
            {"item": "wuxi-im-transformation", "as_of": "2026-06-30"},
            format="json",
        )
    assert response.status_code == 201
    scan = Scan.objects.get()
    body = api.get(f"/api/policies/scans/{scan.pk}/").json()
    assert {
        k: body[k] for k in ("state", "eligible", "unknown", "excluded_by_credit", "total_yuan")
    } == {
        "state": "done",
        "eligible": 3,
        "unknown": 1,
        "excluded_by_credit": 1,
        "total_yuan": "4880000.00",
    }
    assert body["summary"]["by_city"][0]["code"] == "320200"
    listing = api.get("/api/policies/scans/").json()
    assert [s["id"] for s in listing["results"]] == [scan.pk]


def test_scan_create_refuses_a_bad_date_with_the_field(officer, scan_version, scan_registry):
    response = api_for(officer).post(
        "/api/policies/scans/",
        {"item": "wuxi-im-transformation", "as_of": "30.6.2026"},
        format="json",
    )
    assert (response.status_code, response.json()["field"]) == (400, "as_of")
    assert Scan.objects.count() == 0


def test_name_list_create_announce_and_entries(officer, scan_version, scan_registry):
    scan = run(officer, scan_version)
    api = api_for(officer)
    created = api.post("/api/policies/name-lists/", {"scan": scan.pk}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    announced = api.post(f"/api/policies/name-lists/{pk}/announce/", {"days": 5}, format="json")
    assert announced.status_code == 200
    body = announced.json()
    assert body["state"] == "announced"
    assert [(e["enterprise"]["name"], e["amount_yuan"], e["state"]) for e in body["entries"]] == [
        ("无锡恒润精密机械有限公司", "2480000.00", "listed"),
        ("无锡恒达智能装备有限公司", "2400000.00", "listed"),
        ("无锡瑞丰汽车部件有限公司", "3200000.00", "excluded"),
    ]
    assert Notification.objects.count() == 2
    again = api.post(f"/api/policies/name-lists/{pk}/announce/", {}, format="json")
    assert (again.status_code, again.json()["code"]) == (400, "list_not_draft")
    assert Notification.objects.count() == 2


def test_name_list_list_has_constant_queries(officer, scan_version, scan_registry):
    scan = run(officer, scan_version)
    api = api_for(officer)
    namelists.create_name_list(actor_for(officer), scan)
    with CaptureQueriesContext(connection) as one:
        assert len(api.get("/api/policies/name-lists/").json()["results"]) == 1
    for _ in range(2):
        namelists.create_name_list(actor_for(officer), scan)
    with CaptureQueriesContext(connection) as three:
        assert len(api.get("/api/policies/name-lists/").json()["results"]) == 3
    assert len(one.captured_queries) == len(three.captured_queries)


def test_confirm_is_idempotent_and_other_enterprise_gets_404(
    officer, enterprise_user, other_enterprise_user, scan_version, scan_registry
):
    name_list = announced_list(officer, scan_version)
    entry = name_list.entries.get(enterprise=scan_registry["f"])
    url = f"/api/policies/entries/{entry.pk}/confirm/"
    assert api_for(other_enterprise_user).post(url).status_code == 404
    entry.refresh_from_db()
    assert entry.state == "listed"
    api = api_for(enterprise_user)
    first = api.post(url).json()
    second = api.post(url).json()
    assert (first["state"], first["changed"]) == ("confirmed", True)
    assert (second["state"], second["changed"], second["confirmed_at"]) == (
        "confirmed",
        False,
        first["confirmed_at"],
    )


def test_payment_create_refuses_beyond_the_entry_with_400(
    officer, enterprise_user, scan_version, scan_registry
):
    name_list = announced_list(officer, scan_version)
    entry = name_list.entries.get(enterprise=scan_registry["f"])
    namelists.confirm_entry(actor_for(enterprise_user), entry)
    api = api_for(officer)
    payload = {"entry": entry.pk, "stage": "全额", "paid_on": "2026-08-01"}
    refused = api.post(
        "/api/policies/payments/", {**payload, "amount_yuan": "2480000.01"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "exceeds_entry"
    assert Payment.objects.count() == 0
    paid = api.post(
        "/api/policies/payments/", {**payload, "amount_yuan": "2480000.00"}, format="json"
    )
    assert paid.status_code == 201
    listing = api.get(f"/api/policies/payments/?entry={entry.pk}").json()["results"]
    assert [(p["stage"], p["amount_yuan"]) for p in listing] == [("全额", "2480000.00")]
    # an enterprise cannot record payments
    denied = api_for(enterprise_user).post(
        "/api/policies/payments/", {**payload, "amount_yuan": "1.00"}, format="json"
    )
    assert denied.status_code == 404
    assert Payment.objects.count() == 1


def test_sandbox_api_compares(officer, scan_version, scan_registry):
    response = api_for(officer).post(
        "/api/policies/sandbox/",
        {
            "item": "wuxi-im-transformation",
            "as_of": "2026-06-30",
            "changes": {"parameters.equipment_rate": "0.10"},
        },
        format="json",
    )
    assert response.status_code == 201
    summary = response.json()["summary"]
    assert (
        summary["base"]["total_yuan"],
        summary["sandbox"]["total_yuan"],
        summary["diff"]["total_yuan"],
    ) == (
        "8080000.00",
        "10100000.00",
        "2020000.00",
    )


def test_scan_api_is_404_for_an_enterprise(enterprise_user, scan_version, scan_registry):
    api = api_for(enterprise_user)
    assert api.get("/api/policies/scans/").status_code == 404
    response = api.post(
        "/api/policies/scans/",
        {"item": "wuxi-im-transformation", "as_of": "2026-06-30"},
        format="json",
    )
    assert response.status_code == 404
    assert api.get("/api/policies/name-lists/").status_code == 404
    assert (Scan.objects.count(), NameList.objects.count()) == (0, 0)
