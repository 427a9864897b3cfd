"""The demo conference on a small registry: every part present, meetings in every state, a
published schedule, and the event in progress on the demo's date."""

from __future__ import annotations

import datetime as dt
import inspect

from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.events.demo import load_events_demo
from zhizao.events.models import (
    Booth,
    BoothVisit,
    Event,
    Forum,
    Lead,
    MeetingRequest,
    Registration,
    Speaker,
)
from zhizao.matchmaking import services as matchmaking
from zhizao.registry.models import Cluster


def test_demo_conference(db):
    for i in range(4):
        org = make_organization(name=f"演示供应商{i}号科技有限公司", kind="provider", industry=None)
        user = make_user(f"demo-p{i}", role=Role.PROVIDER, organization=org)
        matchmaking.save_and_publish_offering(
            actor_for(user),
            org,
            kind="solution",
            title=f"机器视觉检测方案{i}",
            description="注塑件缺陷检测",
            categories=["machine_vision"],
        )
    for i in range(20):
        make_organization(name=f"演示制造{i}号有限公司")
    today = dt.date(2026, 11, 26)
    result = load_events_demo(today=today, exhibitors=4, participants=24, requests=60)
    event = Event.objects.get(pk=result["event"])
    assert event.starts_on < today < event.ends_on
    assert Forum.objects.filter(event=event, kind="opening").count() == 1
    assert Forum.objects.filter(event=event, kind="sub_forum").count() == 11
    assert Forum.objects.filter(event=event).values("block").distinct().count() == 4
    assert Speaker.objects.filter(event=event).count() == 60
    assert event.halls.count() == 5
    assert Booth.objects.filter(event=event).count() == 4
    assert all(b.offerings.count() >= 1 for b in Booth.objects.filter(event=event))
    assert Registration.objects.filter(event=event).count() == 24
    states = set(MeetingRequest.objects.filter(event=event).values_list("state", flat=True))
    assert states == {"requested", "accepted", "declined", "cancelled"}
    assert MeetingRequest.objects.filter(event=event, placement="published").exists()
    assert event.schedule_published_at is not None
    # issue 13's demo line: the rest of it
    first_hall = event.halls.order_by("position", "id").first()
    clusters = Cluster.objects.count()
    assert clusters >= 13
    assert first_hall.zones.filter(cluster__isnull=False).count() == min(clusters, 13)
    registrations = Registration.objects.filter(event=event)
    assert 0 < registrations.filter(checked_in_at__isnull=False).count() < 24
    assert BoothVisit.objects.filter(booth__event=event).exists()
    assert Lead.objects.filter(booth__event=event).exists()
    meetings = MeetingRequest.objects.filter(event=event)
    assert meetings.exclude(requester_outcome="").exists()
    assert (
        meetings.filter(state="accepted", placement="none").exclude(unplaced_reason="").count()
        == meetings.filter(state="accepted", placement="none").count()
    )
    # the full size by default: 150 exhibitors, 1,500 participants, 2,000 requests
    defaults = inspect.signature(load_events_demo).parameters
    assert [defaults[k].default for k in ("exhibitors", "participants", "requests")] == [
        150,
        1500,
        2000,
    ]
    assert load_events_demo(today=today) == {"event": 0}
