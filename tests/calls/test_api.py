"""The calls API: the same services and refusals as the pages, with codes and fields."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import actor_for
from zhizao.calls.models import Application, Call
from zhizao.calls.services import applications as app_services

from .conftest import COMPLETE, login


def test_office_creates_a_call_from_a_template(client, office_user, office_org):
    login(client, office_user)
    response = client.post(
        reverse("api-calls"),
        {"title": "2027年首台套目录", "year": 2027, "template": "first_set"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["state"], body["host"]["name"]) == (
        "first_set",
        "draft",
        office_org.name,
    )
    assert [c["code"] for c in body["categories"]] == ["machine_tools", "robots", "instruments"]
    assert [c["weight"] for c in body["rubric"]] == ["0.5000", "0.3000", "0.2000"]


def test_applicant_fills_and_submits_through_the_api(client, call, enterprise_user, society_a):
    login(client, enterprise_user)
    created = client.post(
        reverse("api-call-applications", args=[call.pk]),
        {
            "title": "API 排产系统",
            "category": call.categories.first().pk,
            "nominator": society_a.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert [m["code"] for m in created.json()["missing"]][:2] == ["contact", "summary"]
    bad = client.patch(
        reverse("api-call-application", args=[pk]),
        {"answers": {"innovation": "创" * 1501}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert (bad.json()["code"], bad.json()["field"]) == ("too_long", "innovation")
    ok = client.patch(
        reverse("api-call-application", args=[pk]),
        {"answers": COMPLETE},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert [m["code"] for m in ok.json()["missing"]] == ["evidence"]
    refused = client.post(
        reverse("api-call-application-action", args=[pk]),
        {"action": "submit"},
        content_type="application/json",
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "incomplete")
    assert Application.objects.get(pk=pk).state == "draft"


def test_nomination_beyond_quota_is_refused_with_its_code(
    client, call, application, enterprise_user, other_enterprise_user, society_a, society_a_user
):
    from .conftest import fill

    first = app_services.submit_application(actor_for(enterprise_user), application)
    second = app_services.start_application(
        actor_for(other_enterprise_user),
        call,
        title="第二",
        category=call.categories.first(),
        nominator=society_a,
    )
    second = app_services.submit_application(
        actor_for(other_enterprise_user), fill(second, other_enterprise_user)
    )
    login(client, society_a_user)
    url = "api-call-nomination"
    one = client.post(
        reverse(url, args=[first.pk]), {"action": "nominate"}, content_type="application/json"
    )
    assert (one.status_code, one.json()["state"]) == (200, "nominated")
    two = client.post(
        reverse(url, args=[second.pk]), {"action": "nominate"}, content_type="application/json"
    )
    assert (two.status_code, two.json()["code"]) == (400, "quota_full")
    assert Application.objects.get(pk=second.pk).state == "submitted"


def test_an_enterprise_cannot_create_a_call(client, enterprise_user):
    login(client, enterprise_user)
    response = client.post(
        reverse("api-calls"), {"title": "x", "year": 2026}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Call.objects.count() == 0
