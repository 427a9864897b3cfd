"""The event edit page: the organiser changes dates, venue, online address, host units and
meeting rules after creation, with the checks of creation, audited; changes that would break
published meetings or move sessions off the event's days are refused, naming them, and change
nothing; draft placements that no longer fit go back to unplaced."""

from __future__ import annotations

import datetime as dt

from tests.events.conftest import DAY, login, scheduled_meeting
from tests.factories import actor_for
from zhizao.common.models import AuditEntry
from zhizao.events import services
from zhizao.events.errors import EventError
from zhizao.events.models import Event, MeetingRequest


def _form(event, **over) -> dict:
    data = {
        "title": event.title,
        "host_units": event.host_units,
        "description": event.description,
        "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
        "venue": event.venue,
        "online_url": event.online_url,
        "meeting_days": ", ".join(event.meeting_days),
        "meeting_day_start": event.meeting_day_start.strftime("%H:%M"),
        "meeting_day_end": event.meeting_day_end.strftime("%H:%M"),
        "slot_minutes": str(event.slot_minutes),
        "tables": str(event.tables),
        "max_meetings": "" if event.max_meetings is None else str(event.max_meetings),
        "needs_acceptance": "on" if event.needs_acceptance else "",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v != ""}


def _row(event) -> dict:
    return Event.objects.filter(pk=event.pk).values().get()


def test_the_page_shows_the_current_values(client, expo, operator):
    login(client, operator)
    page = client.get(f"/events/{expo.event.pk}/edit/").content.decode()
    assert 'value="南京国际博览中心"' in page
    assert 'value="2026-11-26"' in page and 'value="2026-11-27"' in page
    assert 'value="14:00"' in page and 'value="15:00"' in page


def test_organiser_changes_venue_online_hosts_and_rules(client, expo, operator):
    login(client, operator)
    response = client.post(
        f"/events/{expo.event.pk}/edit/",
        _form(
            expo.event,
            venue="苏州国际博览中心",
            online_url="https://expo.example.cn/live",
            host_units="江苏省工业和信息化厅、苏州市人民政府",
            meeting_days="2026-11-26, 2026-11-27",
            tables="4",
            max_meetings="6",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/events/{expo.event.pk}/organize/"
    event = Event.objects.get(pk=expo.event.pk)
    assert (event.venue, event.online_url, event.host_units) == (
        "苏州国际博览中心",
        "https://expo.example.cn/live",
        "江苏省工业和信息化厅、苏州市人民政府",
    )
    assert (event.meeting_days, event.tables, event.max_meetings) == (
        ["2026-11-26", "2026-11-27"],
        4,
        6,
    )
    entry = AuditEntry.objects.filter(context__event="events.event_updated").latest("id")
    assert entry.changes["venue"] == ["南京国际博览中心", "苏州国际博览中心"]
    assert entry.changes["tables"] == [2, 4]
    # the public page shows the new venue at once
    assert "苏州国际博览中心" in client.get(f"/events/public/{event.pk}/").content.decode()


def test_the_checks_of_creation_apply(client, expo, operator):
    login(client, operator)
    before = _row(expo.event)
    count = AuditEntry.objects.count()
    for bad, message in (
        ({"ends_on": "2026-11-25"}, "结束日期早于开始日期"),
        ({"meeting_days": "2026-11-30"}, "洽谈日必须在活动日期内"),
        ({"meeting_day_end": "13:00"}, "洽谈结束时间须晚于开始时间"),
        ({"tables": "0"}, "至少需要一张桌位"),
    ):
        response = client.post(f"/events/{expo.event.pk}/edit/", _form(expo.event, **bad))
        assert response.status_code == 400, bad
        assert message in response.content.decode(), bad
    assert _row(expo.event) == before
    assert AuditEntry.objects.count() == count


def test_shrinking_meeting_days_under_a_published_meeting_is_refused_by_name(
    client, expo, enterprise_user, provider_user, operator
):
    meeting = scheduled_meeting(expo, enterprise_user, provider_user, operator)
    assert (meeting.placement, meeting.slot) == ("published", "20261126-1400")
    services.update_event(actor_for(operator), expo.event, ends_on=DAY + dt.timedelta(days=1))
    login(client, operator)
    before = _row(expo.event)
    count = AuditEntry.objects.count()
    response = client.post(
        f"/events/{expo.event.pk}/edit/", _form(expo.event, meeting_days="2026-11-27")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "已发布的洽谈将失去时段" in page
    assert "陈工 与 周经理（11-26 14:00）" in page
    assert _row(expo.event) == before
    assert AuditEntry.objects.count() == count
    meeting.refresh_from_db()
    assert (meeting.placement, meeting.slot) == ("published", "20261126-1400")


def test_a_longer_slot_or_fewer_tables_under_published_meetings_is_refused(
    expo, enterprise_user, provider_user, operator
):
    scheduled_meeting(expo, enterprise_user, provider_user, operator)
    op = actor_for(operator)
    before = _row(expo.event)
    for change, field in (({"slot_minutes": 30}, "meeting_days"), ({"tables": 1}, None)):
        if field is None:
            # one table is still enough for one meeting: allowed
            services.update_event(op, expo.event, **change)
            continue
        try:
            services.update_event(op, expo.event, **change)
        except EventError as error:
            assert error.code == "breaks_meetings"
            assert error.field == field
            assert "陈工 与 周经理" in error.message
        else:
            raise AssertionError(change)
    assert _row(expo.event)["slot_minutes"] == before["slot_minutes"]


def test_a_cap_below_published_meetings_is_refused(
    expo, enterprise_user, other_enterprise_user, provider_user, operator
):
    second = services.request_meeting(
        actor_for(other_enterprise_user),
        expo.event,
        requester=expo.other_visitor,
        recipient=expo.visitor,
        reason="模具合作",
    )
    services.respond_meeting(actor_for(enterprise_user), second, accept=True)
    scheduled_meeting(expo, enterprise_user, provider_user, operator)
    assert MeetingRequest.objects.filter(placement="published").count() == 2
    try:
        services.update_event(actor_for(operator), expo.event, max_meetings=1)
    except EventError as error:
        assert (error.code, error.field) == ("breaks_meetings", "max_meetings")
        assert error.message == "以下参与者已发布的洽谈多于 1 场：陈工。"
    else:
        raise AssertionError("a cap of 1 was accepted")
    assert Event.objects.get(pk=expo.event.pk).max_meetings is None


def test_sessions_left_off_the_event_days_are_named(expo, operator):
    before = _row(expo.event)
    try:
        services.update_event(
            actor_for(operator),
            expo.event,
            starts_on=DAY + dt.timedelta(days=1),
            meeting_days=[DAY + dt.timedelta(days=1)],
        )
    except EventError as error:
        assert error.code == "sessions_outside"
        assert "开幕式暨主旨演讲" in error.message and "工业软件圆桌" in error.message
    else:
        raise AssertionError("sessions were left outside the event")
    assert _row(expo.event) == before


def test_a_draft_that_no_longer_fits_goes_back_to_unplaced(
    expo, enterprise_user, provider_user, operator
):
    meeting = scheduled_meeting(expo, enterprise_user, provider_user, operator, publish=False)
    assert (meeting.placement, meeting.slot) == ("draft", "20261126-1400")
    services.update_event(
        actor_for(operator),
        expo.event,
        meeting_day_start=dt.time(15, 0),
        meeting_day_end=dt.time(16, 0),
    )
    meeting.refresh_from_db()
    assert (meeting.placement, meeting.slot, meeting.starts_at, meeting.table) == (
        "none",
        "",
        None,
        None,
    )
    entry = AuditEntry.objects.filter(context__event="events.event_updated").latest("id")
    assert entry.context["drafts_unplaced"] == [meeting.pk]


def test_others_cannot_edit_and_nothing_changes(client, expo, enterprise_user, provider_user):
    before = _row(expo.event)
    count = AuditEntry.objects.count()
    for user in (enterprise_user, provider_user):
        login(client, user)
        assert client.get(f"/events/{expo.event.pk}/edit/").status_code == 404
        response = client.post(f"/events/{expo.event.pk}/edit/", _form(expo.event, venue="别处"))
        assert response.status_code == 404
        client.logout()
    assert _row(expo.event) == before
    assert AuditEntry.objects.count() == count
    assert MeetingRequest.objects.count() == 0
