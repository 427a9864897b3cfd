"""Online attendance is automatic: a registered learner who joins a live class through the
platform's "join" button is counted as attended (by the events app's attendance, once) and sent
on to the online link. Nobody else gets the link or an attendance: not registered, too early
(more than 15 minutes before the start), over, a GET, a visitor not logged in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.classroom.conftest import login
from tests.factories import actor_for
from zhizao.classroom import services
from zhizao.classroom.selectors import statistics
from zhizao.common.models import AuditEntry
from zhizao.events import services as events
from zhizao.events.models import Attendance, Session

LINK = "https://meeting.example.org/r/777"


@pytest.fixture
def live(world, society_a_user):
    now = timezone.now()
    return services.schedule_live_class(
        actor_for(society_a_user),
        world.course,
        title="直播：视觉检测实操",
        starts_at=now + dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(minutes=70),
        online_url=LINK,
        capacity=5,
    )


@pytest.fixture
def registered(live, enterprise_user, factory_org):
    registration = events.register(
        actor_for(enterprise_user), live.session.event, kind="visitor", organization=factory_org
    )
    assert registration.state == "approved"
    return registration


def join(client, live):
    return client.post(reverse("classroom:live_join", args=[live.pk]))


def attended(world) -> list[int]:
    return [r["attendance"] for r in statistics(by="course") if r["name"] == world.course.title]


def test_a_registered_learner_who_joins_is_counted_once(
    client, world, live, registered, enterprise_user
):
    login(client, enterprise_user)
    page = client.get(reverse("classroom:course_detail", args=[world.course.pk]))
    assert 'data-testid="live-join"' in page.content.decode()
    audits = AuditEntry.objects.count()
    first = join(client, live)
    assert (first.status_code, first["Location"]) == (302, LINK)
    assert list(Attendance.objects.values_list("session_id", "registration_id")) == [
        (live.session_id, registered.pk)
    ]
    assert AuditEntry.objects.count() == audits + 1
    again = join(client, live)
    assert (again.status_code, again["Location"]) == (302, LINK)
    assert Attendance.objects.count() == 1
    assert AuditEntry.objects.count() == audits + 1
    assert attended(world) == [1]


def test_the_join_window_opens_15_minutes_before_and_closes_at_the_end(
    client, world, live, registered, enterprise_user
):
    login(client, enterprise_user)
    course_page = reverse("classroom:course_detail", args=[world.course.pk])
    now = timezone.now()
    before = AuditEntry.objects.count()
    for starts, ends in [
        (now + dt.timedelta(minutes=20), now + dt.timedelta(minutes=80)),  # too early
        (now - dt.timedelta(minutes=90), now - dt.timedelta(minutes=1)),  # over
    ]:
        Session.objects.filter(pk=live.session_id).update(starts_at=starts, ends_at=ends)
        response = join(client, live)
        assert (response.status_code, response["Location"]) == (302, course_page)
    assert (Attendance.objects.count(), AuditEntry.objects.count()) == (0, before)
    with translation.override("zh-hans"):
        expected = [
            translation.gettext("The session cannot be joined yet."),
            translation.gettext("The session is over."),
        ]
    shown = [str(m) for m in client.get(course_page).context["messages"]]
    assert shown == expected
    # just inside: 14 minutes before the start
    Session.objects.filter(pk=live.session_id).update(
        starts_at=now + dt.timedelta(minutes=14), ends_at=now + dt.timedelta(minutes=74)
    )
    assert join(client, live)["Location"] == LINK
    assert Attendance.objects.count() == 1


def test_nobody_but_registered_participants_gets_the_link_or_an_attendance(
    client, world, live, registered, colleague, other_enterprise_user, society_b_user
):
    course_page = reverse("classroom:course_detail", args=[world.course.pk])
    before = AuditEntry.objects.count()
    for user in (colleague, other_enterprise_user, society_b_user):
        client.logout()
        login(client, user)
        response = join(client, live)
        assert (response.status_code, response["Location"]) == (302, course_page)
        assert client.get(reverse("classroom:live_join", args=[live.pk])).status_code == 405
    client.logout()
    response = join(client, live)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert (Attendance.objects.count(), AuditEntry.objects.count()) == (0, before)
    assert attended(world) == []  # no row: nothing happened to the course this month


def test_a_registration_not_approved_does_not_join(
    client, world, live, registered, enterprise_user
):
    registered.state = "pending"
    registered.save(update_fields=["state"])
    login(client, enterprise_user)
    response = join(client, live)
    assert response["Location"] == reverse("classroom:course_detail", args=[world.course.pk])
    assert Attendance.objects.count() == 0


def test_the_api_join_records_the_attendance_and_gives_the_link_only_to_participants(
    client, world, live, registered, enterprise_user, colleague
):
    url = f"/api/classroom/live-classes/{live.pk}/join/"
    login(client, colleague)
    refused = client.post(url)
    assert (refused.status_code, refused.json()["code"]) == (400, "not_registered")
    assert LINK not in refused.content.decode()
    assert Attendance.objects.count() == 0
    client.logout()
    login(client, enterprise_user)
    joined = client.post(url)
    assert (joined.status_code, joined.json()) == (200, {"online_link": LINK})
    assert client.post(url).json() == {"online_link": LINK}
    assert list(Attendance.objects.values_list("registration_id", flat=True)) == [registered.pk]
    Session.objects.filter(pk=live.session_id).update(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    over = client.post(url)
    assert (over.status_code, over.json()["code"]) == (400, "session_over")
