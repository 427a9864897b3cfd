"""A live class's online link is a privilege: only those who may join (the approved
registrants, the course's society, operators) get it. Every page and API response that shows a
live class or its events session is walked for a member who has not registered (the link is
absent, the page says to register) and for a registered one (the link is where it belongs,
exactly). The class is live now, so the events pages would show a "watch live" link if the
session carried it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.classroom.conftest import login
from tests.factories import actor_for
from zhizao.classroom import services
from zhizao.events import services as events

LINK = "https://meeting.example.org/r/private-4711"


@pytest.fixture
def live(world, society_a_user):
    now = timezone.now()
    return services.schedule_live_class(
        actor_for(society_a_user),
        world.course,
        title="直播：设备联网答疑",
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(minutes=55),
        online_url=LINK,
        capacity=5,
    )


def walk(client, live) -> dict[str, str]:
    """Every page and API response showing the live class or its session, by name."""
    course, event, session = live.course_id, live.session.event_id, live.session_id
    urls = {
        "course page": reverse("classroom:course_detail", args=[course]),
        "live-class API": f"/api/classroom/courses/{course}/live-classes/",
        "event page": reverse("events:event_detail", args=[event]),
        "public programme": reverse("events:public_event", args=[event]),
        "public session": reverse("events:public_session", args=[session]),
        "events API list": reverse("api-events"),
        "event API": reverse("api-event", args=[event]),
        "sessions API": reverse("api-event-sessions", args=[event]),
    }
    out = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        out[name] = response.content.decode()
    return out


def test_only_those_who_may_join_get_the_online_link(
    client, world, live, enterprise_user, colleague, factory_org, society_a_user
):
    login(client, colleague)
    seen = walk(client, live)
    assert [name for name, body in seen.items() if LINK in body] == []
    assert 'data-testid="live-register-first"' in seen["course page"]
    assert 'data-testid="live-join"' not in seen["course page"]
    api = client.get(f"/api/classroom/courses/{live.course_id}/live-classes/").json()
    assert [(row["id"], row["online_link"]) for row in api] == [(live.pk, "")]

    client.logout()
    events.register(
        actor_for(enterprise_user), live.session.event, kind="visitor", organization=factory_org
    )
    login(client, enterprise_user)
    seen = walk(client, live)
    # The link is given by the live-class API and by joining (which counts the attendance);
    # the events pages and API, public by design, never carry it.
    assert [name for name, body in seen.items() if LINK in body] == ["live-class API"]
    api = client.get(f"/api/classroom/courses/{live.course_id}/live-classes/").json()
    assert [(row["id"], row["online_link"]) for row in api] == [(live.pk, LINK)]
    assert 'data-testid="live-join"' in seen["course page"]
    assert 'data-testid="live-register-first"' not in seen["course page"]
    joined = client.post(f"/api/classroom/live-classes/{live.pk}/join/")
    assert joined.json() == {"online_link": LINK}

    client.logout()
    login(client, society_a_user)
    api = client.get(f"/api/classroom/courses/{live.course_id}/live-classes/").json()
    assert [(row["id"], row["online_link"]) for row in api] == [(live.pk, LINK)]
