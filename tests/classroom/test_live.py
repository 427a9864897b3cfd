"""Live classes reuse the events app: a session of the course's series event, registration and
attendance through the events services, the recording attached afterwards and a reminder
through the notifications, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import actor_for
from zhizao.classroom import services
from zhizao.classroom.errors import ClassroomError
from zhizao.classroom.models import LiveClass
from zhizao.classroom.selectors import statistics
from zhizao.common.models import AuditEntry, Notification
from zhizao.events import services as events


def at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def live(world, society_a_user):
    return services.schedule_live_class(
        actor_for(society_a_user),
        world.course,
        title="直播：机器人示教实操",
        starts_at=at(1, 19),
        ends_at=at(1, 20),
        online_url="https://meeting.example.org/r/123",
        capacity=2,
    )


def test_a_live_class_is_an_events_session_of_the_course_series(world, live, society_a_user):
    event = live.session.event
    assert (event.title, event.host_id, event.state) == (
        "云课堂 · 工业机器人应用与编程入门",
        world.course.society_id,
        "published",
    )
    # the link stays on the live class: the events pages and API are public
    assert (live.session.title, live.session.online_url, event.online_url, live.online_link) == (
        "直播：机器人示教实操",
        "",
        "",
        "https://meeting.example.org/r/123",
    )
    second = services.schedule_live_class(
        actor_for(society_a_user),
        world.course,
        title="直播：答疑",
        starts_at=at(8, 19),
        ends_at=at(8, 20),
    )
    assert second.session.event_id == event.pk  # one series event per course


def test_another_society_may_not_schedule(world, society_b_user):
    before = (LiveClass.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ClassroomError) as error:
        services.schedule_live_class(
            actor_for(society_b_user),
            world.course,
            title="冒名直播",
            starts_at=at(1, 19),
            ends_at=at(1, 20),
        )
    assert error.value.code == "not_allowed"
    assert (LiveClass.objects.count(), AuditEntry.objects.count()) == before


def test_registration_attendance_reminder_and_recording(
    world, live, enterprise_user, factory_org, society_a_user
):
    event = live.session.event
    registration = events.register(
        actor_for(enterprise_user), event, kind="visitor", organization=factory_org
    )
    events.record_attendance(
        actor_for(society_a_user), live.session, badge_code=registration.badge_code
    )
    assert [
        r["attendance"] for r in statistics(by="course") if r["name"] == world.course.title
    ] == [1]
    now = live.session.starts_at - dt.timedelta(minutes=30)
    assert services.send_live_class_reminders(now=now) == 1
    assert services.send_live_class_reminders(now=now) == 0  # once
    note = Notification.objects.get()
    assert (note.recipient_user_id, note.link) == (
        enterprise_user.pk,
        f"/classroom/courses/{world.course.pk}/",
    )
    assert "直播：机器人示教实操" in note.title
    live = services.attach_recording(actor_for(society_a_user), live, lesson=world.video_lesson)
    assert live.recording_lesson_id == world.video_lesson.pk
