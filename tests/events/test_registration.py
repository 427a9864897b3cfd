"""Registration (capacity, approval, invitation codes, once per event), check-in at the door
(a second scan answers when the first was), session attendance, and the agenda."""

from __future__ import annotations

import pytest

from tests.events.conftest import DAY, at
from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.common.models import AuditEntry
from zhizao.events import services
from zhizao.events.errors import EventError
from zhizao.events.models import Attendance, Registration, RegistrationType


def _visitor(n: int):
    org = make_organization(name=f"测试访客单位{n}号有限公司")
    user = make_user(f"visitor{n}", role=Role.ENTERPRISE, organization=org)
    return user, org


def test_register_twice_is_refused_and_nothing_changes(expo, enterprise_user):
    rtype = RegistrationType.objects.get(event=expo.event, kind="visitor")
    before = (Registration.objects.count(), rtype.taken, AuditEntry.objects.count())
    with pytest.raises(EventError) as error:
        services.register(
            actor_for(enterprise_user),
            expo.event,
            kind="visitor",
            organization=expo.visitor.organization,
        )
    assert error.value.code == "already_registered"
    rtype.refresh_from_db()
    assert (Registration.objects.count(), rtype.taken, AuditEntry.objects.count()) == before
    assert before[1] == 2


def test_capacity_is_never_exceeded(expo, operator):
    rtype = RegistrationType.objects.get(event=expo.event, kind="media")
    services.configure_registration(actor_for(operator), rtype, capacity=1, needs_approval=False)
    first_user, first_org = _visitor(1)
    second_user, second_org = _visitor(2)
    services.register(actor_for(first_user), expo.event, kind="media", organization=first_org)
    with pytest.raises(EventError) as error:
        services.register(actor_for(second_user), expo.event, kind="media", organization=second_org)
    assert error.value.code == "full"
    rtype.refresh_from_db()
    assert rtype.taken == 1
    assert Registration.objects.filter(event=expo.event, type=rtype).count() == 1


def test_cancelling_gives_the_place_back(expo, enterprise_user):
    rtype = RegistrationType.objects.get(event=expo.event, kind="visitor")
    services.set_registration_state(actor_for(enterprise_user), expo.visitor, "cancelled")
    rtype.refresh_from_db()
    assert rtype.taken == 1


def test_invitation_code_and_approval(expo, operator):
    rtype = RegistrationType.objects.get(event=expo.event, kind="guest")
    services.configure_registration(
        actor_for(operator), rtype, capacity=None, needs_approval=True, invitation_code="WIMC26"
    )
    user, org = _visitor(3)
    with pytest.raises(EventError) as error:
        services.register(
            actor_for(user), expo.event, kind="guest", organization=org, invitation_code="x"
        )
    assert error.value.code == "bad_invitation"
    registration = services.register(
        actor_for(user), expo.event, kind="guest", organization=org, invitation_code="WIMC26"
    )
    assert registration.state == "pending"
    with pytest.raises(EventError) as error:
        services.set_registration_state(actor_for(user), registration, "approved")
    assert error.value.code == "not_allowed"
    registration = services.set_registration_state(actor_for(operator), registration, "approved")
    assert registration.state == "approved"


def test_second_scan_says_when_the_first_was(expo, operator):
    op = actor_for(operator)
    first = services.check_in(
        op, expo.event, badge_code=expo.visitor.badge_code.lower(), door="北门", now=at(DAY, 9, 12)
    )
    audits = AuditEntry.objects.count()
    second = services.check_in(
        op, expo.event, badge_code=expo.visitor.badge_code, door="南门", now=at(DAY, 9, 30)
    )
    assert (first.first, second.first) == (True, False)
    assert second.local_time == "09:12"
    assert AuditEntry.objects.count() == audits
    expo.visitor.refresh_from_db()
    assert expo.visitor.checked_in_door == "北门"


def test_only_organisers_check_in(expo, provider_user):
    with pytest.raises(EventError):
        services.check_in(actor_for(provider_user), expo.event, badge_code=expo.visitor.badge_code)
    expo.visitor.refresh_from_db()
    assert expo.visitor.checked_in_at is None


def test_unknown_badge(expo, operator):
    with pytest.raises(EventError) as error:
        services.check_in(actor_for(operator), expo.event, badge_code="NOPE")
    assert error.value.code == "unknown_badge"


def test_session_attendance_once(expo, operator):
    op = actor_for(operator)
    a = services.record_attendance(op, expo.keynote, badge_code=expo.visitor.badge_code)
    b = services.record_attendance(op, expo.keynote, badge_code=expo.visitor.badge_code)
    assert (a.first, b.first) == (True, False)
    assert Attendance.objects.filter(session=expo.keynote).count() == 1


def test_agenda_is_ones_own(expo, enterprise_user, other_enterprise_user):
    services.add_to_agenda(actor_for(enterprise_user), expo.visitor, expo.keynote)
    services.add_to_agenda(actor_for(enterprise_user), expo.visitor, expo.keynote)
    with pytest.raises(EventError):
        services.add_to_agenda(actor_for(other_enterprise_user), expo.visitor, expo.panel)
    assert list(expo.visitor.agenda.values_list("session_id", flat=True)) == [expo.keynote.pk]


def test_timetable_grid_checks_every_row_before_writing(expo, operator):
    import datetime as dt

    from zhizao.events.models import Session

    count = Session.objects.count()
    with pytest.raises(EventError) as error:
        services.save_timetable(
            actor_for(operator),
            expo.event,
            day=DAY,
            rows=[
                {"title": "新会议", "start": dt.time(10), "end": dt.time(11), "room": "B2"},
                {"title": "倒置", "start": dt.time(12), "end": dt.time(11)},
            ],
        )
    assert "第 2 行" in error.value.message or "Row 2" in error.value.message
    assert Session.objects.count() == count
    saved = services.save_timetable(
        actor_for(operator),
        expo.event,
        day=DAY,
        rows=[
            {
                "id": expo.panel.pk,
                "title": "工业软件圆桌（更新）",
                "start": dt.time(15),
                "end": dt.time(16),
                "room": "A2",
                "forum": expo.forum,
            },
            {"title": "新会议", "start": dt.time(10), "end": dt.time(11), "room": "B2"},
        ],
    )
    assert [s.title for s in saved] == ["工业软件圆桌（更新）", "新会议"]
    assert Session.objects.count() == count + 1
