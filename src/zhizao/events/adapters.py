"""Models → the scheduler's plain data (``zhizao_core.expo``), loaded in a few queries.

Slots come from the event's meeting rules (days × hours ÷ slot length); a participant is busy
during the sessions of its agenda; published meetings are fixed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from zhizao_core.expo import (
    Interval,
    Participant,
    ScheduleProblem,
    Slot,
)
from zhizao_core.expo import (
    MeetingRequest as CoreRequest,
)
from zhizao_core.expo import (
    Placement as CorePlacement,
)

from .enums import MeetingState, Placement
from .models import AgendaItem, Event, MeetingRequest, Registration


def slot_id(start: dt.datetime) -> str:
    return timezone.localtime(start).strftime("%Y%m%d-%H%M")


def event_slots(event: Event) -> tuple[Slot, ...]:
    slots = []
    length = dt.timedelta(minutes=event.slot_minutes)
    for day in event.meeting_days:
        day = dt.date.fromisoformat(day)
        start = timezone.make_aware(dt.datetime.combine(day, event.meeting_day_start))
        end_of_day = timezone.make_aware(dt.datetime.combine(day, event.meeting_day_end))
        while start + length <= end_of_day:
            slots.append(Slot(id=slot_id(start), start=start, end=start + length))
            start += length
    return tuple(slots)


def participant_id(registration_id: int) -> str:
    return f"P{registration_id}"


def request_id(meeting_id: int) -> str:
    return f"R{meeting_id}"


def meeting_pk(core_id: str) -> int:
    return int(core_id.removeprefix("R"))


def build_problem(event: Event) -> tuple[ScheduleProblem, dict[str, MeetingRequest]]:
    """The scheduling problem of the event's accepted requests (published placements fixed)
    and the requests by core id."""
    slots = event_slots(event)
    meetings = list(
        MeetingRequest.objects.filter(event=event, state=MeetingState.ACCEPTED).order_by("id")
    )
    party_ids = {m.requester_id for m in meetings} | {m.recipient_id for m in meetings}
    busy: dict[int, list[Interval]] = defaultdict(list)
    for item in AgendaItem.objects.filter(registration_id__in=party_ids).select_related("session"):
        busy[item.registration_id].append(
            Interval(start=item.session.starts_at, end=item.session.ends_at)
        )
    valid = {s.id for s in slots}
    by_id = {s.id: s for s in slots}
    # A published meeting wins over what changed since (a session added to the agenda at its
    # time, a narrower availability): its slot stays free for its two parties, so that the
    # published schedule is always a valid fixed input.
    kept: dict[int, set[str]] = defaultdict(set)
    for m in meetings:
        if m.placement == Placement.PUBLISHED and m.slot in valid:
            kept[m.requester_id].add(m.slot)
            kept[m.recipient_id].add(m.slot)
    for pk, slot_ids in kept.items():
        busy[pk] = [
            b
            for b in busy.get(pk, [])
            if not any(b.start < by_id[i].end and by_id[i].start < b.end for i in slot_ids)
        ]
    participants = {}
    for registration in Registration.objects.filter(pk__in=party_ids).only("id", "available_slots"):
        available = (
            frozenset(s for s in registration.available_slots if s in valid)
            | kept.get(registration.pk, set())
            if registration.available_slots is not None
            else None
        )
        participants[participant_id(registration.pk)] = Participant(
            id=participant_id(registration.pk),
            available=available,
            busy=tuple(busy.get(registration.pk, ())),
            max_meetings=event.max_meetings,
        )
    requests = tuple(
        CoreRequest(
            id=request_id(m.pk),
            from_=participant_id(m.requester_id),
            to=participant_id(m.recipient_id),
            priority=m.priority,
        )
        for m in meetings
    )
    fixed = tuple(
        CorePlacement(request=request_id(m.pk), slot=m.slot)
        for m in meetings
        if m.placement == Placement.PUBLISHED and m.slot in valid
    )
    problem = ScheduleProblem(
        slots=slots,
        tables=event.tables,
        participants=participants,
        requests=requests,
        fixed=fixed,
    )
    return problem, {request_id(m.pk): m for m in meetings}


def placements_of(meetings, state: str) -> tuple[CorePlacement, ...]:
    return tuple(
        CorePlacement(request=request_id(m.pk), slot=m.slot)
        for m in meetings.values()
        if m.placement == state and m.slot
    )
