"""1:1 meetings (云上洽谈): requests with a reason, acceptance, the scheduler's batch draft that
the organiser reviews and publishes, incremental placement after publication (never moving a
published meeting), the re-optimise preview, outcomes, and a follow-up becoming a matchmaking
introduction. ``_set_meeting_state`` is the one function that moves a request's state."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.common.bulk import bulk_write
from zhizao.common.notifications import notify
from zhizao.matchmaking import services as matchmaking
from zhizao.matchmaking.enums import DemandState, OfferingState
from zhizao.matchmaking.errors import MatchError
from zhizao.matchmaking.models import Demand, Offering
from zhizao_core.expo import ScheduleError, place_incremental, reoptimise, schedule

from ..access import can_organize, is_party
from ..adapters import build_problem, event_slots, meeting_pk, placements_of, request_id
from ..enums import RESPONSE_TRANSITIONS, MeetingState, Outcome, Placement, RegistrationState
from ..errors import EventError
from ..models import Booth, Event, MeetingRequest, Registration
from .base import audit, not_allowed, text

S = MeetingState
OPEN = (S.REQUESTED, S.ACCEPTED)
_PARTICIPANT = re.compile(r"P(\d+)")


def _link(meeting: MeetingRequest) -> str:
    return reverse("events:meeting_detail", args=[meeting.pk])


def _notify_parties(meeting: MeetingRequest, title: str, *, only=None) -> None:
    for registration in (meeting.requester, meeting.recipient):
        if only is None or registration.pk == only.pk:
            notify(
                registration.organization,
                user=registration.user,
                title=title,
                link=_link(meeting),
            )


def request_meeting(
    actor: Actor,
    event: Event,
    *,
    requester: Registration,
    recipient: Registration,
    reason: str,
    priority: int = 1,
    now: dt.datetime | None = None,
) -> MeetingRequest:
    """The requester (its own registration) asks another participant for a meeting, with a
    reason. When the event needs no acceptance the request is accepted at once."""
    if requester.user_id != actor.user_id or requester.event_id != event.pk:
        raise not_allowed()
    if recipient.event_id != event.pk or recipient.pk == requester.pk:
        raise EventError("bad_recipient", _("Choose another participant of this event."))
    if (
        requester.state != RegistrationState.APPROVED
        or recipient.state != RegistrationState.APPROVED
    ):
        raise EventError("not_approved", _("Both registrations must be approved."))
    reason = text(reason, field="reason", label=_("Reason"), required=True, max_length=1000)
    if priority not in (1, 2, 3):
        raise EventError("bad_priority", _("Priority is 1, 2 or 3."), field="priority")
    with transaction.atomic():
        # one open request per pair, whoever asked: lock both registrations in id order
        list(
            Registration.objects.select_for_update()
            .filter(pk__in=[requester.pk, recipient.pk])
            .order_by("pk")
        )
        duplicate = MeetingRequest.objects.filter(
            event=event,
            state__in=OPEN,
            requester__in=[requester, recipient],
            recipient__in=[requester, recipient],
        ).exists()
        if duplicate:
            raise EventError("duplicate", _("A meeting between you two is already requested."))
        meeting = MeetingRequest.objects.create(
            event=event,
            requester=requester,
            recipient=recipient,
            reason=reason,
            priority=priority,
            state=S.REQUESTED,
        )
        audit(
            actor,
            "meeting_requested",
            meeting,
            changes={"state": [None, S.REQUESTED]},
            context={"event": event.pk},
        )
        if not event.needs_acceptance:
            meeting = _set_meeting_state(actor, meeting, S.ACCEPTED)
        else:
            _notify_parties(
                meeting,
                _("%(name)s asks you for a meeting") % {"name": requester.name},
                only=recipient,
            )
    return meeting


def _set_meeting_state(
    actor: Actor, meeting: MeetingRequest, state: str, *, reason: str = ""
) -> MeetingRequest:
    with transaction.atomic():
        locked = (
            MeetingRequest.objects.select_for_update()
            .select_related("event", "requester__organization", "recipient__organization")
            .get(pk=meeting.pk)
        )
        before = locked.state
        if state not in RESPONSE_TRANSITIONS.get(before, set()):
            raise EventError(
                "bad_transition",
                _("This request cannot move from %(a)s to %(b)s.")
                % {"a": locked.get_state_display(), "b": S(state).label},
            )
        locked.state = state
        fields = ["state", "updated_at"]
        if state == S.DECLINED:
            locked.decline_reason = reason[:500]
            fields.append("decline_reason")
        if state == S.CANCELLED and locked.placement != Placement.NONE:
            locked.placement, locked.slot, locked.starts_at, locked.ends_at, locked.table = (
                Placement.NONE,
                "",
                None,
                None,
                None,
            )
            fields += ["placement", "slot", "starts_at", "ends_at", "table"]
        locked.save(update_fields=fields)
        audit(actor, "meeting_state", locked, changes={"state": [before, state]})
        if state == S.ACCEPTED:
            _notify_parties(
                locked,
                _("%(name)s accepted your meeting request") % {"name": locked.recipient.name},
                only=locked.requester,
            )
            if locked.event.schedule_published_at is not None:
                _place_one(actor, locked)
                locked.refresh_from_db()
        elif state == S.DECLINED:
            _notify_parties(
                locked,
                _("%(name)s declined your meeting request") % {"name": locked.recipient.name},
                only=locked.requester,
            )
    return locked


def respond_meeting(
    actor: Actor, meeting: MeetingRequest, *, accept: bool, reason: str = ""
) -> MeetingRequest:
    """The recipient accepts or declines."""
    if meeting.recipient.user_id != actor.user_id:
        raise not_allowed()
    return _set_meeting_state(actor, meeting, S.ACCEPTED if accept else S.DECLINED, reason=reason)


def cancel_meeting(actor: Actor, meeting: MeetingRequest) -> MeetingRequest:
    if not (is_party(actor, meeting) or can_organize(actor, meeting.event)):
        raise not_allowed()
    return _set_meeting_state(actor, meeting, S.CANCELLED)


# --- placing ----------------------------------------------------------------------------------


def _names(event: Event) -> dict[str, str]:
    return {
        f"P{pk}": f"{name}（{org}）"
        for pk, name, org in Registration.objects.filter(event=event).values_list(
            "pk", "name", "organization__name"
        )
    }


def _humanize(value: str, names: dict[str, str]) -> str:
    return _PARTICIPANT.sub(lambda m: names.get(m.group(0), m.group(0)), value or "")[:500]


def unplaced_params(u) -> dict:
    """The scheduler's codes and parameters of an unplaced request, as stored."""
    if not u.detail_code:
        return {}
    return {"detail": u.detail_code, "helps": u.helps_code, **u.params}


def _slot_times(event: Event) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    return {s.id: (s.start, s.end) for s in event_slots(event)}


def _write_result(event, meetings, result, *, placement: str, only=None) -> dict[str, int]:
    """Store the result's placements (tables numbered per slot) and unplaced reasons on the
    requests it covers; published placements are never touched. Returns counts."""
    times = _slot_times(event)
    names = _names(event)
    tables: dict[str, int] = defaultdict(int)
    for m in meetings.values():
        if m.placement == Placement.PUBLISHED and m.slot:
            tables[m.slot] = max(tables[m.slot], m.table or 0)
    placed = unplaced = 0
    for p in sorted(result.meetings, key=lambda p: (p.slot, meeting_pk(p.request))):
        m = meetings[p.request]
        if m.placement == Placement.PUBLISHED or (only is not None and p.request not in only):
            continue
        tables[p.slot] += 1
        m.placement, m.slot, m.table = placement, p.slot, tables[p.slot]
        m.starts_at, m.ends_at = times[p.slot]
        m.unplaced_reason = m.unplaced_detail = m.unplaced_helps = ""
        m.unplaced_params = {}
        placed += 1
    for u in result.unplaced:
        m = meetings[u.request]
        if m.placement == Placement.PUBLISHED or (only is not None and u.request not in only):
            continue
        m.placement, m.slot, m.table, m.starts_at, m.ends_at = Placement.NONE, "", None, None, None
        m.unplaced_reason = u.reason
        m.unplaced_detail = _humanize(u.detail, names)
        m.unplaced_helps = _humanize(u.helps, names)
        m.unplaced_params = unplaced_params(u)
        unplaced += 1
    with bulk_write(MeetingRequest, [m.pk for m in meetings.values()]):
        MeetingRequest.objects.bulk_update(
            list(meetings.values()),
            [
                "placement",
                "slot",
                "table",
                "starts_at",
                "ends_at",
                "unplaced_reason",
                "unplaced_detail",
                "unplaced_helps",
                "unplaced_params",
            ],
            batch_size=500,
        )
    return {"placed": placed, "unplaced": unplaced}


def run_schedule(actor: Actor, event: Event, *, time_limit: float | None = 60.0):
    """The batch run: every accepted request that is not published is placed into a draft
    (published meetings stay where they are). The organiser reviews and publishes."""
    if not can_organize(actor, event):
        raise not_allowed()
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        problem, meetings = build_problem(event)
        try:
            result = schedule(problem, time_limit=time_limit)
        except ScheduleError as error:
            raise EventError("schedule_refused", "；".join(error.problems)) from None
        counts = _write_result(event, meetings, result, placement=Placement.DRAFT)
        audit(
            actor,
            "schedule_run",
            event,
            context={
                **counts,
                "weight": result.weight,
                "optimal": result.optimal,
                "solver": result.solver,
            },
        )
    return result


def publish_schedule(actor: Actor, event: Event, *, now: dt.datetime | None = None) -> int:
    """The draft becomes the published schedule; both parties of every newly published
    meeting are notified. Returns how many were published."""
    if not can_organize(actor, event):
        raise not_allowed()
    now = now or timezone.now()
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        drafts = list(
            MeetingRequest.objects.filter(event=event, placement=Placement.DRAFT).select_related(
                "requester__organization",
                "recipient__organization",
                "requester__user",
                "recipient__user",
            )
        )
        with bulk_write(MeetingRequest, [m.pk for m in drafts]) as ids:
            MeetingRequest.objects.filter(pk__in=ids).update(placement=Placement.PUBLISHED)
        locked.schedule_published_at = locked.schedule_published_at or now
        locked.save(update_fields=["schedule_published_at"])
        audit(
            actor,
            "schedule_published",
            locked,
            changes={"published_meetings": [0, len(drafts)]},
        )
        for m in drafts:
            _notify_parties(
                m,
                _("Your meeting is scheduled: %(when)s, table %(table)s")
                % {
                    "when": timezone.localtime(m.starts_at).strftime("%m-%d %H:%M"),
                    "table": m.table,
                },
            )
    event.schedule_published_at = locked.schedule_published_at
    return len(drafts)


def _place_one(actor: Actor, meeting: MeetingRequest):
    """Incremental placement of one newly accepted request after publication: never moves a
    published meeting; the placement is published at once and both sides are told."""
    event = meeting.event
    problem, meetings = build_problem(event)
    published = placements_of(meetings, Placement.PUBLISHED)
    problem = dataclasses.replace(problem, fixed=())
    try:
        result = place_incremental(problem, published, request_id(meeting.pk))
    except ScheduleError as error:
        # a published meeting no longer fits (e.g. a party changed its availability): the
        # request stays accepted and unplaced until the organiser re-runs the schedule
        with bulk_write(MeetingRequest, [meeting.pk]):
            MeetingRequest.objects.filter(pk=meeting.pk).update(
                unplaced_detail="；".join(error.problems)[:500],
                unplaced_params={
                    "detail": "published_broken",
                    "helps": "rerun",
                    "problems": list(error.problems),
                    "problems_en": list(error.problems_en),
                },
            )
        return None
    only = {request_id(meeting.pk)}
    counts = _write_result(event, meetings, result, placement=Placement.PUBLISHED, only=only)
    placed = meetings[request_id(meeting.pk)]
    audit(
        actor,
        "meeting_placed",
        placed,
        changes={"slot": ["", placed.slot]} if placed.slot else None,
        context={"incremental": True, **counts, "reason": placed.unplaced_reason},
    )
    if placed.slot:
        _notify_parties(
            placed,
            _("Your meeting is scheduled: %(when)s, table %(table)s")
            % {
                "when": timezone.localtime(placed.starts_at).strftime("%m-%d %H:%M"),
                "table": placed.table,
            },
        )
    return result


def preview_reoptimise(actor: Actor, event: Event):
    """Who would move if the unpublished meetings were re-optimised (nothing is written):
    ``(result, moves)`` with moves as ``(meeting, from_slot, to_slot or None)``."""
    if not can_organize(actor, event):
        raise not_allowed()
    problem, meetings = build_problem(event)
    problem = dataclasses.replace(problem, fixed=())
    published = placements_of(meetings, Placement.PUBLISHED)
    unpublished = placements_of(meetings, Placement.DRAFT)
    result, moves = reoptimise(problem, published, unpublished)
    return result, [(meetings[r], a, b) for r, a, b in moves]


# --- after the meeting ------------------------------------------------------------------------


def _follow_up_pair(meeting: MeetingRequest):
    """(actor side, demand, offering) for a follow-up: the enterprise side's published demand
    (its procurement needs first) and the other side's booth offerings."""
    for buyer, seller in (
        (meeting.requester, meeting.recipient),
        (meeting.recipient, meeting.requester),
    ):
        demand = (
            Demand.objects.filter(enterprise_id=buyer.organization_id, state=DemandState.PUBLISHED)
            .order_by("-updated_at", "-id")
            .first()
        )
        booth = Booth.objects.filter(
            event_id=meeting.event_id, exhibitor_id=seller.organization_id
        ).first()
        offering = None
        if booth is not None:
            offering = booth.offerings.filter(state=OfferingState.PUBLISHED).first()
        if offering is None:
            offering = Offering.objects.filter(
                provider_id=seller.organization_id, state=OfferingState.PUBLISHED
            ).first()
        if demand is not None and offering is not None:
            return buyer, demand, offering
    return None, None, None


def record_outcome(actor: Actor, meeting: MeetingRequest, *, outcome: str) -> MeetingRequest:
    """A party records held / no-show / follow-up for its side. A follow-up becomes a
    matchmaking introduction (the enterprise's demand and the exhibitor's offering) when the
    two have them; the introduction is linked on the meeting."""
    if not is_party(actor, meeting):
        raise not_allowed()
    if outcome not in Outcome.values:
        raise EventError("bad_outcome", _("Choose an outcome."), field="outcome")
    if meeting.state != S.ACCEPTED or meeting.placement != Placement.PUBLISHED:
        raise EventError("not_scheduled", _("Only a scheduled meeting has an outcome."))
    field = (
        "requester_outcome" if meeting.requester.user_id == actor.user_id else "recipient_outcome"
    )
    with transaction.atomic():
        locked = (
            MeetingRequest.objects.select_for_update()
            .select_related("requester", "recipient", "event")
            .get(pk=meeting.pk)
        )
        before = getattr(locked, field)
        setattr(locked, field, outcome)
        fields = [field, "updated_at"]
        if outcome == Outcome.FOLLOW_UP and locked.introduction_id is None:
            buyer, demand, offering = _follow_up_pair(locked)
            if demand is not None and buyer.organization_id == actor.organization_id:
                try:
                    introduction = matchmaking.request_introduction(
                        actor,
                        demand=demand,
                        offering=offering,
                        message=_("Follow-up of the meeting at %(event)s: %(reason)s")
                        % {"event": locked.event.title, "reason": locked.reason[:200]},
                    )
                except MatchError:
                    introduction = None
                if introduction is not None:
                    locked.introduction = introduction
                    fields.append("introduction")
        locked.save(update_fields=fields)
        audit(actor, "meeting_outcome", locked, changes={field: [before, outcome]})
    return locked


def send_reminders(*, now: dt.datetime | None = None, ahead: dt.timedelta | None = None) -> int:
    """Remind both parties of published meetings starting within ``ahead`` (default 30
    minutes); once per meeting (the periodic task runs it)."""
    now = now or timezone.now()
    ahead = ahead or dt.timedelta(minutes=30)
    count = 0
    with transaction.atomic():
        due = list(
            MeetingRequest.objects.select_for_update(skip_locked=True)
            .filter(
                state=S.ACCEPTED,
                placement=Placement.PUBLISHED,
                reminded_at__isnull=True,
                starts_at__gt=now,
                starts_at__lte=now + ahead,
            )
            .select_related("requester__organization", "recipient__organization")
        )
        for m in due:
            _notify_parties(
                m,
                _("Reminder: meeting at %(when)s, table %(table)s")
                % {"when": timezone.localtime(m.starts_at).strftime("%H:%M"), "table": m.table},
            )
            count += 1
        MeetingRequest.objects.filter(pk__in=[m.pk for m in due]).update(reminded_at=now)
    return count
