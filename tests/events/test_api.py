"""The events API calls the same services: registration, check-in twice (the second says when),
meeting request → accept → schedule run and publish, leads without contacts until consent."""

from __future__ import annotations

from tests.events.conftest import login
from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.events import services


def test_register_and_check_in_twice(client, expo, operator):
    org = make_organization(name="南京接口访客有限公司", region="320104")
    user = make_user("api-visitor", role=Role.ENTERPRISE, organization=org)
    login(client, user)
    url = f"/api/events/{expo.event.pk}/registration/"
    assert client.get(url).status_code == 404
    created = client.post(url, {"kind": "visitor", "name": "接口"}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert (body["kind"], body["state"], body["organization"]) == (
        "visitor",
        "approved",
        "南京接口访客有限公司",
    )
    again = client.post(url, {"kind": "visitor"}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (400, "already_registered")
    client.logout()
    login(client, operator)
    scan = f"/api/events/{expo.event.pk}/checkin/"
    first = client.post(scan, {"code": body["badge_code"]}, content_type="application/json")
    second = client.post(scan, {"code": body["badge_code"]}, content_type="application/json")
    assert (first.json()["first"], second.json()["first"]) == (True, False)
    assert first.json()["at"] == second.json()["at"]


def test_meeting_through_the_api(client, expo, enterprise_user, provider_user, operator):
    login(client, enterprise_user)
    made = client.post(
        f"/api/events/{expo.event.pk}/meetings/",
        {"recipient": expo.exhibitor.pk, "reason": "视觉检测", "priority": 3},
        content_type="application/json",
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    client.logout()
    login(client, provider_user)
    accepted = client.post(
        f"/api/events/meetings/{pk}/", {"action": "accept"}, content_type="application/json"
    )
    assert accepted.json()["state"] == "accepted"
    client.logout()
    login(client, operator)
    url = f"/api/events/{expo.event.pk}/schedule/"
    run = client.post(url, {"action": "run"}, content_type="application/json").json()
    assert (run["placed"], run["weight"], run["optimal"]) == (1, 3, True)
    published = client.post(url, {"action": "publish"}, content_type="application/json")
    assert published.json()["published"] == 1
    schedule = client.get(url).json()
    assert [(m["slot"], m["table"], m["placement"]) for m in schedule] == [
        ("20261126-1400", 1, "published")
    ]


def test_leads_api_hides_contacts_without_consent(client, expo, enterprise_user, provider_user):
    login(client, provider_user)
    url = f"/api/events/booths/{expo.booth.pk}/leads/"
    made = client.post(
        url, {"code": expo.visitor.badge_code, "rating": 5}, content_type="application/json"
    )
    assert made.status_code == 201
    assert (made.json()["phone"], made.json()["email"]) == ("", "")
    services.record_visit(actor_for(enterprise_user), expo.booth, expo.visitor, shares_contact=True)
    listed = client.get(url).json()
    assert [(lead["name"], lead["phone"]) for lead in listed] == [("陈工", "13900001111")]
