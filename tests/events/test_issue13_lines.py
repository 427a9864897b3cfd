"""Lines of issue 13 that had no test of their own: the second scan at the door says the time of
the first in the event's time zone; a reminder reaches both parties once; an exhibitor's own
analytics (visits, leads, meetings and outcomes) with their exports; meeting rules without
acceptance (a request is accepted at once, and placed at once once the schedule is
published); a booth's cases, documents, videos and staff on duty."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.events.conftest import DAY, at, login, scheduled_meeting
from tests.factories import actor_for
from zhizao.common.models import AuditEntry, Notification
from zhizao.events import selectors, services
from zhizao.events.errors import EventError
from zhizao.events.models import Booth, MeetingRequest


def test_a_second_scan_on_the_page_says_the_first_scan_time_in_the_event_time_zone(
    client, expo, operator
):
    # 09:12 in Asia/Shanghai is 01:12 UTC: the page must say 09:12
    services.check_in(
        actor_for(operator), expo.event, badge_code=expo.visitor.badge_code, now=at(DAY, 9, 12)
    )
    audits = AuditEntry.objects.count()
    login(client, operator)
    page = client.post(
        f"/events/{expo.event.pk}/checkin/", {"code": expo.visitor.badge_code, "door": "南门"}
    ).content.decode()
    assert "已于 09:12 签到" in page
    assert "01:12" not in page
    assert AuditEntry.objects.count() == audits
    expo.visitor.refresh_from_db()
    assert (expo.visitor.checked_in_at, expo.visitor.checked_in_door) == (at(DAY, 9, 12), "")
    api = client.post(
        f"/api/events/{expo.event.pk}/checkin/",
        {"code": expo.visitor.badge_code},
        content_type="application/json",
    ).json()
    assert api["first"] is False
    assert dt.datetime.fromisoformat(api["at"]) == at(DAY, 9, 12)


def test_a_reminder_reaches_both_parties_once_within_half_an_hour(
    expo, enterprise_user, provider_user, operator
):
    meeting = scheduled_meeting(expo, enterprise_user, provider_user, operator)
    assert meeting.starts_at == at(DAY, 14)
    before = set(Notification.objects.values_list("pk", flat=True))
    assert services.send_reminders(now=at(DAY, 13, 29)) == 0  # 31 minutes before
    assert services.send_reminders(now=at(DAY, 13, 40)) == 1
    assert services.send_reminders(now=at(DAY, 13, 50)) == 0
    sent = Notification.objects.exclude(pk__in=before).order_by("pk")
    assert [(n.recipient_user_id, n.title, n.link) for n in sent] == [
        (enterprise_user.pk, "提醒：14:00 在 1 号桌洽谈", f"/events/meetings/{meeting.pk}/"),
        (provider_user.pk, "提醒：14:00 在 1 号桌洽谈", f"/events/meetings/{meeting.pk}/"),
    ]


def test_an_exhibitor_reads_and_exports_its_own_visits_leads_meetings_and_outcomes(
    client, expo, enterprise_user, other_enterprise_user, provider_user, operator
):
    services.record_visit(actor_for(enterprise_user), expo.booth, expo.visitor)
    services.record_visit(actor_for(other_enterprise_user), expo.booth, expo.other_visitor)
    services.collect_lead(
        actor_for(provider_user), expo.booth, badge_code=expo.visitor.badge_code, rating=5
    )
    meeting = scheduled_meeting(expo, enterprise_user, provider_user, operator)
    services.record_outcome(actor_for(provider_user), meeting, outcome="follow_up")
    services.record_outcome(actor_for(enterprise_user), meeting, outcome="held")
    tables = {t.key: t.rows for t in selectors.exhibitor_analytics(expo.booth)}
    today = timezone.localdate()
    assert tables == {
        "visits": [[today, 2]],
        "leads": [[5, 1]],
        "meetings": [
            ["发起洽谈", 1],
            ["对方接受", 1],
            ["已安排", 1],
            ["已举行", 1],
            ["需跟进", 1],
        ],
    }
    login(client, provider_user)
    exports = AuditEntry.objects.filter(context__event="events.exported").count()
    for key, lines in {
        "visits": ["日期,访问", f"{today.isoformat()},2"],
        "meetings": ["阶段,洽谈", "发起洽谈,1", "对方接受,1", "已安排,1", "已举行,1", "需跟进,1"],
    }.items():
        response = client.get(f"/events/booths/{expo.booth.pk}/export/{key}.csv")
        assert response.status_code == 200, key
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert text.splitlines() == lines, key
    xlsx = client.get(f"/events/booths/{expo.booth.pk}/export/leads.xlsx")
    assert (xlsx.status_code, xlsx.content[:2]) == (200, b"PK")
    assert AuditEntry.objects.filter(context__event="events.exported").count() == exports + 3


def test_without_acceptance_a_request_is_accepted_and_after_publishing_placed_at_once(
    expo, enterprise_user, other_enterprise_user, provider_user, operator
):
    event = services.update_event(actor_for(operator), expo.event, needs_acceptance=False)
    first = services.request_meeting(
        actor_for(enterprise_user),
        event,
        requester=expo.visitor,
        recipient=expo.exhibitor,
        reason="视觉检测改造",
    )
    assert (first.state, first.placement) == ("accepted", "none")
    services.run_schedule(actor_for(operator), event)
    services.publish_schedule(actor_for(operator), event)
    first.refresh_from_db()
    assert (first.placement, first.slot) == ("published", "20261126-1400")
    event.refresh_from_db()
    second = services.request_meeting(
        actor_for(other_enterprise_user),
        event,
        requester=expo.other_visitor,
        recipient=expo.exhibitor,
        reason="产线质检",
    )
    second.refresh_from_db()
    first.refresh_from_db()
    # placed at once around the published meeting, which does not move
    assert (second.state, second.placement) == ("accepted", "published")
    assert second.slot == "20261126-1420"  # next to it: no idle gap
    assert (first.placement, first.slot) == ("published", "20261126-1400")


def test_an_exhibitor_fills_cases_documents_videos_and_staff_the_public_reads_them(
    client, expo, provider_user
):
    booth = services.fill_booth(
        actor_for(provider_user),
        expo.booth,
        cases="无锡某汽配厂注塑件检测\n常州某家电厂外观检测",
        documents=["https://docs.example.cn/vision.pdf"],
        videos=["https://video.example.cn/vision-demo"],
        staff_on_duty=["周经理", "吴工程师"],
    )
    assert (booth.cases, booth.documents, booth.videos, booth.staff_on_duty) == (
        ["无锡某汽配厂注塑件检测", "常州某家电厂外观检测"],
        ["https://docs.example.cn/vision.pdf"],
        ["https://video.example.cn/vision-demo"],
        ["周经理", "吴工程师"],
    )
    page = client.get(f"/events/public/booths/{expo.booth.pk}/").content.decode()
    for text in (
        "无锡某汽配厂注塑件检测",
        'href="https://docs.example.cn/vision.pdf"',
        'href="https://video.example.cn/vision-demo"',
        "周经理、吴工程师",
        "注塑件表面缺陷机器视觉检测系统",  # its offering, linked from matchmaking
    ):
        assert text in page, text
    # a video that is not an http(s) link is refused and nothing changes
    with pytest.raises(EventError) as refused:
        services.fill_booth(
            actor_for(provider_user), expo.booth, videos=["javascript:alert(1)"], cases=["新案例"]
        )
    assert (refused.value.code, refused.value.field) == ("bad_link", "videos")
    kept = Booth.objects.get(pk=expo.booth.pk)
    assert (kept.videos, kept.cases) == (booth.videos, booth.cases)


def test_every_organiser_table_exports_in_both_formats_and_each_export_is_audited(
    client, expo, operator, enterprise_user
):
    services.check_in(actor_for(operator), expo.event, badge_code=expo.visitor.badge_code)
    services.record_attendance(
        actor_for(operator), expo.keynote, badge_code=expo.visitor.badge_code
    )
    services.add_to_agenda(actor_for(enterprise_user), expo.visitor, expo.keynote)
    keys = [t.key for t in selectors.organiser_analytics(expo.event)]
    login(client, operator)
    before = AuditEntry.objects.filter(context__event="events.exported").count()
    for key in keys:
        csv = client.get(f"/events/{expo.event.pk}/analytics/{key}.csv")
        assert (csv.status_code, csv["Content-Type"]) == (200, "text/csv; charset=utf-8"), key
        body = b"".join(csv.streaming_content).decode("utf-8-sig")
        if key == "attendance":
            assert body.splitlines() == [
                "场次,加入日程,出席",
                "开幕式暨主旨演讲,1,1",
                "工业软件圆桌,0,0",
            ]
        xlsx = client.get(f"/events/{expo.event.pk}/analytics/{key}.xlsx")
        assert (xlsx.status_code, xlsx.content[:2]) == (200, b"PK"), key
    exported = AuditEntry.objects.filter(context__event="events.exported").count() - before
    assert exported == 2 * len(keys) == 12


def test_the_events_api_covers_every_part_with_typed_schemas(client, db):
    """Events, sessions, registration, check-in, halls, booths, meeting requests, schedules,
    leads and analytics: 17 operations, each with a typed body and typed answers."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = {
        (path.removeprefix("/api/events"), method)
        for path, item in schema["paths"].items()
        if path.startswith("/api/events/")
        for method in item
    }
    assert sorted(operations) == [
        ("/", "get"),
        ("/booths/{id}/leads/", "get"),
        ("/booths/{id}/leads/", "post"),
        ("/meetings/{id}/", "get"),
        ("/meetings/{id}/", "post"),
        ("/{id}/", "get"),
        ("/{id}/analytics/", "get"),
        ("/{id}/booths/", "get"),
        ("/{id}/checkin/", "post"),
        ("/{id}/halls/", "get"),
        ("/{id}/meetings/", "get"),
        ("/{id}/meetings/", "post"),
        ("/{id}/registration/", "get"),
        ("/{id}/registration/", "post"),
        ("/{id}/schedule/", "get"),
        ("/{id}/schedule/", "post"),
        ("/{id}/sessions/", "get"),
    ]
    untyped = []
    for path, method in operations:
        operation = schema["paths"]["/api/events" + path][method]
        ok = [code for code in operation["responses"] if code.startswith("2")]
        for code in ok:
            content = operation["responses"][code].get("content", {})
            if not content.get("application/json", {}).get("schema"):
                untyped.append((path, method, code))
        if method == "post" and not operation.get("requestBody", {}).get("content"):
            untyped.append((path, method, "body"))
    assert untyped == []
    sessions = schema["components"]["schemas"]["Session"]["properties"]
    assert {"link_access", "online_url", "recording_url"} <= set(sessions)


def test_the_badge_pdf_carries_the_badge_code_that_check_in_scans(client, expo, enterprise_user):
    import io

    import pypdf

    login(client, enterprise_user)
    response = client.get(f"/events/{expo.event.pk}/badge.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert expo.visitor.badge_code in text.replace(" ", "")


def test_a_meeting_request_needs_a_reason_and_a_decline_keeps_its_own(
    expo, enterprise_user, provider_user
):
    audits = AuditEntry.objects.count()
    with pytest.raises(EventError) as refused:
        services.request_meeting(
            actor_for(enterprise_user),
            expo.event,
            requester=expo.visitor,
            recipient=expo.exhibitor,
            reason="   ",
        )
    assert (refused.value.code, refused.value.field) == ("required", "reason")
    assert (MeetingRequest.objects.count(), AuditEntry.objects.count()) == (0, audits)
    meeting = services.request_meeting(
        actor_for(enterprise_user),
        expo.event,
        requester=expo.visitor,
        recipient=expo.exhibitor,
        reason="注塑件外观检测改造",
    )
    declined = services.respond_meeting(
        actor_for(provider_user), meeting, accept=False, reason="本届展会档期已满"
    )
    assert (declined.state, declined.reason, declined.decline_reason) == (
        "declined",
        "注塑件外观检测改造",
        "本届展会档期已满",
    )
