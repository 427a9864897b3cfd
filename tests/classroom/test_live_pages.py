"""A society schedules a live class of its course on a page and attaches the recording
afterwards; another society can do neither, and nothing changes."""

from __future__ import annotations

from tests.classroom.conftest import login
from zhizao.classroom.models import LiveClass
from zhizao.common.models import AuditEntry


def test_a_society_schedules_a_live_class_and_attaches_its_recording(client, world, society_a_user):
    login(client, society_a_user)
    url = f"/classroom/manage/{world.course.pk}/live/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'data-testid="live-class-form"' in page.content.decode()
    wrong = client.post(
        url,
        {"title": "直播", "starts_at": "2030-01-08T20:00", "ends_at": "2030-01-08T19:00"},
    )
    assert (wrong.status_code, LiveClass.objects.count()) == (400, 0)
    made = client.post(
        url,
        {
            "title": "直播：示教实操",
            "starts_at": "2030-01-08T19:00",
            "ends_at": "2030-01-08T20:30",
            "online_url": "https://meeting.example.org/r/1",
            "capacity": "30",
        },
    )
    assert (made.status_code, made["Location"]) == (302, url)
    live = LiveClass.objects.select_related("session__event").get()
    assert (
        live.session.title,
        live.online_link,
        live.session.event.title,
        live.session.event.host_id,
    ) == (
        "直播：示教实操",
        "https://meeting.example.org/r/1",
        "云课堂 · 工业机器人应用与编程入门",
        world.course.society_id,
    )
    attached = client.post(
        f"/classroom/live/{live.pk}/recording/", {f"r{live.pk}-lesson": world.video_lesson.pk}
    )
    assert attached.status_code == 302
    live.refresh_from_db()
    assert (live.recording_link, live.recording_lesson_id) == ("", world.video_lesson.pk)
    listed = client.get(url).content.decode()
    assert f'href="/classroom/lessons/{world.video_lesson.pk}/">机器人基础</a>' in listed


def test_another_society_can_neither_schedule_nor_attach(
    client, world, society_a_user, society_b_user
):
    login(client, society_a_user)
    client.post(
        f"/classroom/manage/{world.course.pk}/live/",
        {"title": "直播", "starts_at": "2030-01-08T19:00", "ends_at": "2030-01-08T20:00"},
    )
    live = LiveClass.objects.get()
    client.logout()
    before = (LiveClass.objects.count(), AuditEntry.objects.count())
    login(client, society_b_user)
    statuses = [
        client.get(f"/classroom/manage/{world.course.pk}/live/").status_code,
        client.post(
            f"/classroom/manage/{world.course.pk}/live/",
            {"title": "x", "starts_at": "2030-01-09T19:00", "ends_at": "2030-01-09T20:00"},
        ).status_code,
        client.post(
            f"/classroom/live/{live.pk}/recording/",
            {f"r{live.pk}-recording_link": "https://example.org/x"},
        ).status_code,
    ]
    assert statuses == [404, 404, 404]
    live.refresh_from_db()
    assert (LiveClass.objects.count(), AuditEntry.objects.count(), live.recording_link) == (
        *before,
        "",
    )
