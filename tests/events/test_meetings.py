"""Meeting requests, acceptance, the batch draft and its publication, incremental placement
after publication, unplaced reasons for both sides, outcomes and the follow-up introduction,
reminders, and the .ics text."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.events.conftest import DAY, at
from tests.factories import actor_for
from zhizao.common.models import AuditEntry, Notification
from zhizao.events import services
from zhizao.events.errors import EventError
from zhizao.events.ics import CalendarEvent, calendar, fold
from zhizao.events.models import MeetingRequest
from zhizao.matchmaking import services as matchmaking
from zhizao.matchmaking.models import Introduction


def _ask(user, requester, recipient, **kw):
    return services.request_meeting(
        actor_for(user),
        requester.event,
        requester=requester,
        recipient=recipient,
        reason=kw.pop("reason", "视觉检测改造"),
        **kw,
    )


def test_request_accept_schedule_publish(expo, enterprise_user, provider_user, operator):
    meeting = _ask(enterprise_user, expo.visitor, expo.exhibitor, priority=2)
    assert meeting.state == "requested"
    meeting = services.respond_meeting(actor_for(provider_user), meeting, accept=True)
    assert (meeting.state, meeting.placement) == ("accepted", "none")
    result = services.run_schedule(actor_for(operator), expo.event)
    assert (result.placed, result.weight) == (1, 2)
    meeting.refresh_from_db()
    assert (meeting.placement, meeting.slot, meeting.table) == ("draft", "20261126-1400", 1)
    assert services.publish_schedule(actor_for(operator), expo.event) == 1
    meeting.refresh_from_db()
    assert meeting.placement == "published"
    assert meeting.starts_at == at(DAY, 14)
    titles = set(
        Notification.objects.filter(title__contains="14:00").values_list(
            "recipient_user__username", flat=True
        )
    )
    assert titles == {"enterprise", "provider"}


def test_agenda_sessions_make_a_participant_busy(expo, enterprise_user, provider_user, operator):
    services.add_to_agenda(actor_for(enterprise_user), expo.visitor, expo.panel)  # 14:00-14:20
    meeting = services.respond_meeting(
        actor_for(provider_user), _ask(enterprise_user, expo.visitor, expo.exhibitor), accept=True
    )
    services.run_schedule(actor_for(operator), expo.event)
    meeting.refresh_from_db()
    assert meeting.slot == "20261126-1420"


def test_unplaced_reason_is_shown_to_both_sides(
    expo, enterprise_user, provider_user, operator, client
):
    services.set_availability(actor_for(enterprise_user), expo.visitor, ["20261126-1400"])
    services.set_availability(actor_for(provider_user), expo.exhibitor, ["20261126-1440"])
    meeting = services.respond_meeting(
        actor_for(provider_user), _ask(enterprise_user, expo.visitor, expo.exhibitor), accept=True
    )
    services.run_schedule(actor_for(operator), expo.event)
    meeting.refresh_from_db()
    assert (meeting.placement, meeting.unplaced_reason) == ("none", "no_common_slot")
    assert "陈工" in meeting.unplaced_detail or "周经理" in meeting.unplaced_detail
    assert meeting.unplaced_helps
    from tests.events.conftest import login

    for user in (enterprise_user, provider_user):
        client.logout()
        login(client, user)
        page = client.get(f"/events/meetings/{meeting.pk}/").content.decode()
        assert meeting.unplaced_helps_text in page


def test_incremental_placement_never_moves_published(
    expo, enterprise_user, other_enterprise_user, provider_user, operator
):
    first = services.respond_meeting(
        actor_for(provider_user), _ask(enterprise_user, expo.visitor, expo.exhibitor), accept=True
    )
    services.run_schedule(actor_for(operator), expo.event)
    services.publish_schedule(actor_for(operator), expo.event)
    first.refresh_from_db()
    placed_at = (first.slot, first.table)
    late = _ask(other_enterprise_user, expo.other_visitor, expo.exhibitor)
    late = services.respond_meeting(actor_for(provider_user), late, accept=True)
    first.refresh_from_db()
    assert (first.slot, first.table) == placed_at
    assert late.placement == "published"
    assert late.slot not in ("", first.slot)


def test_reoptimise_preview_writes_nothing(expo, enterprise_user, provider_user, operator):
    services.respond_meeting(
        actor_for(provider_user), _ask(enterprise_user, expo.visitor, expo.exhibitor), accept=True
    )
    services.run_schedule(actor_for(operator), expo.event)
    audits = AuditEntry.objects.count()
    before = list(MeetingRequest.objects.values_list("slot", "placement"))
    result, moves = services.preview_reoptimise(actor_for(operator), expo.event)
    assert result.placed == 1
    assert moves == []
    assert list(MeetingRequest.objects.values_list("slot", "placement")) == before
    assert AuditEntry.objects.count() == audits


def test_only_the_recipient_answers_and_nothing_changes(expo, enterprise_user, operator):
    meeting = _ask(enterprise_user, expo.visitor, expo.exhibitor)
    for user in (enterprise_user, operator):
        with pytest.raises(EventError):
            services.respond_meeting(actor_for(user), meeting, accept=True)
    meeting.refresh_from_db()
    assert meeting.state == "requested"


def test_duplicate_request_either_way_is_refused(expo, enterprise_user, provider_user):
    _ask(enterprise_user, expo.visitor, expo.exhibitor)
    with pytest.raises(EventError) as error:
        _ask(provider_user, expo.exhibitor, expo.visitor)
    assert error.value.code == "duplicate"
    assert MeetingRequest.objects.count() == 1


def test_only_organisers_run_and_publish(expo, enterprise_user):
    for fn in (services.run_schedule, services.publish_schedule):
        with pytest.raises(EventError):
            fn(actor_for(enterprise_user), expo.event)
    expo.event.refresh_from_db()
    assert expo.event.schedule_published_at is None


def _published(expo, enterprise_user, provider_user, operator):
    meeting = services.respond_meeting(
        actor_for(provider_user), _ask(enterprise_user, expo.visitor, expo.exhibitor), accept=True
    )
    services.run_schedule(actor_for(operator), expo.event)
    services.publish_schedule(actor_for(operator), expo.event)
    meeting.refresh_from_db()
    return meeting


def test_follow_up_becomes_an_introduction(
    expo, enterprise_user, provider_user, operator, offering
):
    ent = actor_for(enterprise_user)
    matchmaking.save_and_publish_demand(
        ent,
        expo.visitor.organization,
        title="注塑件外观检测",
        description="注塑件划痕缺陷检测",
        category="machine_vision",
        region="320214",
    )
    meeting = _published(expo, enterprise_user, provider_user, operator)
    meeting = services.record_outcome(ent, meeting, outcome="follow_up")
    introduction = Introduction.objects.get(pk=meeting.introduction_id)
    assert (introduction.offering_id, introduction.state) == (offering.pk, "requested")
    meeting = services.record_outcome(actor_for(provider_user), meeting, outcome="held")
    assert (meeting.requester_outcome, meeting.recipient_outcome) == ("follow_up", "held")


def test_outcome_only_by_the_parties(expo, enterprise_user, provider_user, operator):
    meeting = _published(expo, enterprise_user, provider_user, operator)
    with pytest.raises(EventError):
        services.record_outcome(actor_for(operator), meeting, outcome="held")
    meeting.refresh_from_db()
    assert (meeting.requester_outcome, meeting.recipient_outcome) == ("", "")


def test_reminders_once(expo, enterprise_user, provider_user, operator):
    meeting = _published(expo, enterprise_user, provider_user, operator)
    now = meeting.starts_at - dt.timedelta(minutes=20)
    assert services.send_reminders(now=now) == 1
    assert services.send_reminders(now=now) == 0


def test_ics_is_rfc5545_text():
    text = calendar(
        [
            CalendarEvent(
                "meeting-1@zhizao",
                at(DAY, 14),
                at(DAY, 14, 20),
                "与周经理（常州慧眼智能科技有限公司）洽谈; 视觉, 检测",
                "桌 1",
            )
        ],
        now=at(DAY, 8),
    )
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert "DTSTART:20261126T060000Z" in lines
    assert "DTEND:20261126T062000Z" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:与周经理（常州慧眼智能科技有限公司）洽谈\\; 视觉\\, 检测" in unfolded
    assert text.endswith("END:VCALENDAR\r\n")
    assert fold("a" * 80) == "a" * 75 + "\r\n " + "a" * 5


def test_a_published_meeting_survives_a_later_agenda_change(
    expo, enterprise_user, other_enterprise_user, provider_user, operator
):
    meeting = _published(expo, enterprise_user, provider_user, operator)
    assert meeting.slot == "20261126-1400"
    # the visitor adds the 14:00 panel to its agenda after the schedule was published
    services.add_to_agenda(actor_for(enterprise_user), expo.visitor, expo.panel)
    late = services.respond_meeting(
        actor_for(provider_user),
        _ask(other_enterprise_user, expo.other_visitor, expo.exhibitor),
        accept=True,
    )
    result = services.run_schedule(actor_for(operator), expo.event)
    assert result.placed == 2
    meeting.refresh_from_db()
    late.refresh_from_db()
    assert (meeting.slot, meeting.placement) == ("20261126-1400", "published")
    assert late.placement == "published" and late.slot == "20261126-1420"


def test_a_waiting_request_reads_as_waiting_not_as_the_request_time_column():
    from django.utils import translation

    from zhizao.events.enums import MeetingState

    with translation.override("zh-hans"):
        assert str(MeetingState.REQUESTED.label) == "待对方答复"
        assert str(MeetingState.ACCEPTED.label) == "已接受"
    with translation.override("en"):
        assert str(MeetingState.REQUESTED.label) == "Requested"


@pytest.mark.django_db
def test_the_meeting_funnel_names_its_stages_not_date_columns():
    from django.utils import translation

    from zhizao.events.models import MeetingRequest
    from zhizao.events.selectors import _funnel

    with translation.override("zh-hans"):
        labels = [str(row[0]) for row in _funnel(MeetingRequest.objects.none())]
    assert labels == ["发起洽谈", "对方接受", "已安排", "已举行", "需跟进"]
