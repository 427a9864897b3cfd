"""Organisers' writes: the event, its programme (blocks, forums, speakers, sessions, the
timetable grid), its registration forms and its exhibition (halls, zones, booths)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhizao.common.audit import Actor
from zhizao.common.bulk import bulk_write
from zhizao.common.services import changes_between, snapshot
from zhizao.registry.models import Organization

from ..access import can_organize
from ..adapters import event_slots
from ..enums import EventState, ForumKind, LinkAccess, MeetingState, ParticipantKind, Placement
from ..errors import EventError
from ..models import (
    Booth,
    Event,
    Forum,
    Hall,
    MeetingRequest,
    ProgrammeBlock,
    RegistrationType,
    Session,
    Speaker,
    Zone,
)
from ..search import booth_search_text
from .base import audit, links, not_allowed, text, touch_public

EVENT_FIELDS = (
    "title",
    "host_units",
    "description",
    "starts_on",
    "ends_on",
    "venue",
    "online_url",
    "session_link_access",
    "meeting_days",
    "meeting_day_start",
    "meeting_day_end",
    "slot_minutes",
    "tables",
    "max_meetings",
    "needs_acceptance",
)


def _plain(values: dict) -> dict:
    """Times as text for the audit log (it stores JSON)."""
    return {k: v.isoformat() if isinstance(v, dt.time) else v for k, v in values.items()}


def _check_organizer(actor: Actor, event: Event) -> None:
    if not can_organize(actor, event):
        raise not_allowed()


def _check_event(values: dict) -> dict:
    values["title"] = text(
        values.get("title"),
        field="title",
        label=pgettext("listing", "Title"),
        required=True,
        max_length=200,
    )
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts, dt.date) or not isinstance(ends, dt.date):
        raise EventError("bad_dates", _("Give the first and last day."), field="starts_on")
    if ends < starts:
        raise EventError("bad_dates", _("The last day is before the first."), field="ends_on")
    online = (values.get("online_url") or "").strip()
    values["online_url"] = links([online], field="online_url")[0] if online else ""
    values["session_link_access"] = values.get("session_link_access") or LinkAccess.PUBLIC
    if values["session_link_access"] not in LinkAccess.values:
        raise EventError(
            "bad_link_access",
            _("Choose who gets the online links."),
            field="session_link_access",
        )
    days = values.get("meeting_days") or []
    out_days = []
    for day in days:
        day = dt.date.fromisoformat(str(day)) if not isinstance(day, dt.date) else day
        if not starts <= day <= ends:
            raise EventError(
                "bad_meeting_day",
                _("Meeting days must be days of the event."),
                field="meeting_days",
            )
        out_days.append(day.isoformat())
    values["meeting_days"] = sorted(set(out_days))
    start = values.get("meeting_day_start") or dt.time(9, 0)
    end = values.get("meeting_day_end") or dt.time(17, 0)
    if end <= start:
        raise EventError(
            "bad_meeting_hours", _("Meetings must end after they start."), field="meeting_day_end"
        )
    values["meeting_day_start"], values["meeting_day_end"] = start, end
    slot = int(values.get("slot_minutes") or 20)
    if not 5 <= slot <= 240:
        raise EventError(
            "bad_slot", _("A slot is between 5 and 240 minutes."), field="slot_minutes"
        )
    values["slot_minutes"] = slot
    values["tables"] = int(values.get("tables") if values.get("tables") is not None else 10)
    if values["tables"] < 1:
        raise EventError("bad_tables", _("Give at least one table."), field="tables")
    if values.get("max_meetings") in ("", 0):
        values["max_meetings"] = None
    return values


def create_event(actor: Actor, host: Organization, **fields) -> Event:
    """A draft event hosted by ``host``: operators for any organisation, members for their
    own. The five registration forms are created with it (no limit, no approval)."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"not event fields: {sorted(unknown)}")
    if not (actor.role == "operator" or actor.organization_id == host.pk):
        raise not_allowed()
    values = _check_event(dict(fields))
    with transaction.atomic():
        event = Event.objects.create(host=host, **values)
        RegistrationType.objects.bulk_create(
            RegistrationType(event=event, kind=kind) for kind in ParticipantKind.values
        )
        audit(
            actor,
            "event_created",
            event,
            changes=changes_between({}, _plain(snapshot(event, EVENT_FIELDS))),
            context={"host": host.pk},
        )
    return event


def _named(meetings: list[MeetingRequest], limit: int = 5) -> str:
    names = [
        _("%(a)s and %(b)s at %(when)s")
        % {
            "a": m.requester.name or m.requester.organization.name,
            "b": m.recipient.name or m.recipient.organization.name,
            "when": timezone.localtime(m.starts_at).strftime("%m-%d %H:%M")
            if m.starts_at
            else m.slot,
        }
        for m in meetings[:limit]
    ]
    if len(meetings) > limit:
        names.append(_("and %(n)s more") % {"n": len(meetings) - limit})
    return "; ".join(names)


def _check_rules_keep_placements(event: Event) -> list[MeetingRequest]:
    """``event`` carries the new dates and meeting rules. Published meetings must keep their
    slot (same start and end), their table count per slot and each party's cap; sessions must
    stay on days of the event. Refuses naming what would break; returns the draft placements
    that no longer fit (they go back to unplaced)."""
    slots = {s.id: s for s in event_slots(event)}
    placed = list(
        MeetingRequest.objects.filter(
            event=event,
            state=MeetingState.ACCEPTED,
            placement__in=[Placement.DRAFT, Placement.PUBLISHED],
        )
        .select_related("requester__organization", "recipient__organization")
        .order_by("starts_at", "id")
    )

    def fits(m: MeetingRequest) -> bool:
        slot = slots.get(m.slot)
        return slot is not None and (slot.start, slot.end) == (m.starts_at, m.ends_at)

    published = [m for m in placed if m.placement == Placement.PUBLISHED]
    lost = [m for m in published if not fits(m)]
    if lost:
        raise EventError(
            "breaks_meetings",
            _("Published meetings would lose their time slot: %(names)s.")
            % {"names": _named(lost)},
            field="meeting_days",
        )
    per_slot: dict[str, list[MeetingRequest]] = defaultdict(list)
    for m in published:
        per_slot[m.slot].append(m)
    crowded = [m for group in per_slot.values() if len(group) > event.tables for m in group]
    if crowded:
        raise EventError(
            "breaks_meetings",
            _("%(n)s tables are fewer than the published meetings in one slot: %(names)s.")
            % {"n": event.tables, "names": _named(crowded)},
            field="tables",
        )
    if event.max_meetings is not None:
        per_party: dict[int, list[MeetingRequest]] = defaultdict(list)
        for m in published:
            per_party[m.requester_id].append(m)
            per_party[m.recipient_id].append(m)
        over = [
            (group[0].requester if group[0].requester_id == pid else group[0].recipient)
            for pid, group in per_party.items()
            if len(group) > event.max_meetings
        ]
        if over:
            raise EventError(
                "breaks_meetings",
                _("These participants already have more published meetings than %(n)s: %(names)s.")
                % {
                    "n": event.max_meetings,
                    "names": "、".join(r.name or r.organization.name for r in over[:5]),
                },
                field="max_meetings",
            )
    outside = [
        s
        for s in Session.objects.filter(event=event).order_by("starts_at", "id")
        if not event.starts_on <= timezone.localtime(s.starts_at).date() <= event.ends_on
    ]
    if outside:
        raise EventError(
            "sessions_outside",
            _("These sessions would no longer be on a day of the event: %(names)s.")
            % {"names": "、".join(s.title for s in outside[:5])},
            field="starts_on",
        )
    return [m for m in placed if m.placement == Placement.DRAFT and not fits(m)]


def update_event(actor: Actor, event: Event, **fields) -> Event:
    """Change the event's dates, venue, online address, host units and meeting rules, with the
    checks of ``create_event``; refused when published meetings or sessions would no longer
    fit (named in the message). Draft placements that no longer fit go back to unplaced (the
    organiser runs the scheduler again)."""
    _check_organizer(actor, event)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"not event fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        before = snapshot(locked, EVENT_FIELDS)
        values = _check_event({**before, **fields})
        for name in fields:
            setattr(locked, name, values[name])
        changes = changes_between(_plain(before), _plain(snapshot(locked, EVENT_FIELDS)))
        if changes:
            dropped = _check_rules_keep_placements(locked)
            locked.save(update_fields=list(changes))
            with bulk_write(MeetingRequest, [m.pk for m in dropped]) as ids:
                MeetingRequest.objects.filter(pk__in=ids).update(
                    placement=Placement.NONE, slot="", starts_at=None, ends_at=None, table=None
                )
            audit(
                actor,
                "event_updated",
                locked,
                changes=changes,
                context={"drafts_unplaced": [m.pk for m in dropped]} if dropped else None,
            )
            touch_public(locked.pk)
    return locked


def set_event_state(actor: Actor, event: Event, state: str) -> Event:
    _check_organizer(actor, event)
    if state not in EventState.values:
        raise EventError("bad_state", _("Unknown state."), field="state")
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.state == state:
            return locked
        before = locked.state
        locked.state = state
        locked.save(update_fields=["state"])
        audit(actor, "event_state", locked, changes={"state": [before, state]})
        touch_public(locked.pk)
    return locked


def add_block(actor: Actor, event: Event, *, title: str, position: int = 0) -> ProgrammeBlock:
    _check_organizer(actor, event)
    title = text(
        title, field="title", label=pgettext("listing", "Title"), required=True, max_length=200
    )
    with transaction.atomic():
        block = ProgrammeBlock.objects.create(event=event, title=title, position=position)
        audit(actor, "block_created", block, context={"event": event.pk})
        touch_public(event.pk)
    return block


def add_forum(
    actor: Actor,
    event: Event,
    *,
    title: str,
    kind: str = ForumKind.SUB_FORUM,
    block: ProgrammeBlock | None = None,
    position: int = 0,
) -> Forum:
    _check_organizer(actor, event)
    title = text(
        title, field="title", label=pgettext("listing", "Title"), required=True, max_length=200
    )
    if kind not in ForumKind.values:
        raise EventError("bad_kind", _("Choose the opening or a sub-forum."), field="kind")
    if block is not None and block.event_id != event.pk:
        raise EventError("bad_block", _("Choose a block of this event."), field="block")
    with transaction.atomic():
        forum = Forum.objects.create(
            event=event, block=block, kind=kind, title=title, position=position
        )
        audit(actor, "forum_created", forum, context={"event": event.pk})
        touch_public(event.pk)
    return forum


def add_speaker(
    actor: Actor, event: Event, *, name: str, affiliation: str = "", bio: str = ""
) -> Speaker:
    _check_organizer(actor, event)
    name = text(name, field="name", label=_("Name"), required=True, max_length=100)
    affiliation = text(affiliation, field="affiliation", label=_("Affiliation"), max_length=200)
    bio = text(bio, field="bio", label=_("Short bio"), max_length=500)
    with transaction.atomic():
        speaker = Speaker.objects.create(event=event, name=name, affiliation=affiliation, bio=bio)
        audit(actor, "speaker_created", speaker, context={"event": event.pk})
        touch_public(event.pk)
    return speaker


def _check_session(event: Event, values: dict) -> dict:
    values["title"] = text(
        values.get("title"),
        field="title",
        label=pgettext("listing", "Title"),
        required=True,
        max_length=200,
    )
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if not isinstance(starts, dt.datetime) or not isinstance(ends, dt.datetime) or ends <= starts:
        raise EventError("bad_times", _("A session ends after it starts."), field="ends_at")
    if timezone.is_naive(starts):
        values["starts_at"] = starts = timezone.make_aware(starts)
    if timezone.is_naive(ends):
        values["ends_at"] = ends = timezone.make_aware(ends)
    day = timezone.localtime(starts).date()
    if not event.starts_on <= day <= event.ends_on:
        raise EventError(
            "outside_event", _("The session is not on a day of the event."), field="starts_at"
        )
    for name in ("online_url", "recording_url"):
        value = (values.get(name) or "").strip()
        values[name] = links([value], field=name)[0] if value else ""
    values["link_access"] = values.get("link_access") or ""
    if values["link_access"] and values["link_access"] not in LinkAccess.values:
        raise EventError(
            "bad_link_access", _("Choose who gets the online links."), field="link_access"
        )
    values["room"] = text(values.get("room"), field="room", label=_("Room"), max_length=100)
    values["description"] = text(
        values.get("description"), field="description", label=_("Description"), max_length=5000
    )
    forum = values.get("forum")
    if forum is not None and forum.event_id != event.pk:
        raise EventError("bad_forum", _("Choose a forum of this event."), field="forum")
    return values


SESSION_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "room",
    "online_url",
    "recording_url",
    "link_access",
    "forum",
)


def add_session(actor: Actor, event: Event, *, speakers=(), **fields) -> Session:
    _check_organizer(actor, event)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"not session fields: {sorted(unknown)}")
    values = _check_session(event, dict(fields))
    speakers = list(speakers)
    if any(s.event_id != event.pk for s in speakers):
        raise EventError("bad_speaker", _("Choose speakers of this event."), field="speakers")
    with transaction.atomic():
        session = Session.objects.create(event=event, **values)
        if speakers:
            session.speakers.set(speakers)
        audit(
            actor,
            "session_created",
            session,
            context={"event": event.pk, "speakers": [s.pk for s in speakers]},
        )
        touch_public(event.pk)
    return session


def save_timetable(actor: Actor, event: Event, *, day: dt.date, rows: list[dict]) -> list[Session]:
    """The drag-free timetable editor's grid for one day: each row is a session (new when it
    has no ``id``) with its title, start and end times, room and forum. Every row is checked
    before anything is written; all rows are written in one transaction."""
    _check_organizer(actor, event)
    checked = []
    for position, row in enumerate(rows, start=1):
        try:
            start = dt.datetime.combine(day, row["start"])
            end = dt.datetime.combine(day, row["end"])
            values = _check_session(
                event,
                {
                    "title": row.get("title"),
                    "starts_at": start,
                    "ends_at": end,
                    "room": row.get("room", ""),
                    "forum": row.get("forum"),
                    "online_url": row.get("online_url", ""),
                    "recording_url": row.get("recording_url", ""),
                    "link_access": row.get("link_access", ""),
                },
            )
        except EventError as error:
            raise EventError(
                error.code,
                _("Row %(n)s: %(message)s") % {"n": position, "message": error.message},
                field=error.field,
            ) from None
        checked.append((row.get("id"), values))
    out = []
    with transaction.atomic():
        for pk, values in checked:
            if pk:
                session = Session.objects.select_for_update().get(pk=pk, event=event)
                before = snapshot(session, SESSION_FIELDS)
                for name, value in values.items():
                    setattr(session, name, value)
                changes = changes_between(before, snapshot(session, SESSION_FIELDS))
                if changes:
                    session.save()
                    audit(actor, "session_updated", session, changes=changes)
            else:
                session = Session.objects.create(event=event, **values)
                audit(actor, "session_created", session, context={"event": event.pk})
            out.append(session)
        touch_public(event.pk)
    return out


def configure_registration(
    actor: Actor,
    registration_type: RegistrationType,
    *,
    capacity: int | None,
    needs_approval: bool,
    invitation_code: str = "",
) -> RegistrationType:
    _check_organizer(actor, registration_type.event)
    code = text(invitation_code, field="invitation_code", label=_("Invitation code"), max_length=40)
    with transaction.atomic():
        locked = RegistrationType.objects.select_for_update().get(pk=registration_type.pk)
        if capacity is not None and capacity < locked.taken:
            raise EventError(
                "below_taken",
                _("%(n)s places are already taken.") % {"n": locked.taken},
                field="capacity",
            )
        before = snapshot(locked, ("capacity", "needs_approval", "invitation_code"))
        locked.capacity, locked.needs_approval, locked.invitation_code = (
            capacity,
            needs_approval,
            code,
        )
        locked.save(update_fields=["capacity", "needs_approval", "invitation_code"])
        changes = changes_between(
            before, snapshot(locked, ("capacity", "needs_approval", "invitation_code"))
        )
        if "invitation_code" in changes:
            changes["invitation_code"] = ["***", "***"]
        audit(actor, "registration_type_updated", locked, changes=changes)
    return locked


def add_hall(actor: Actor, event: Event, *, name: str, description: str = "", position: int = 0):
    _check_organizer(actor, event)
    name = text(name, field="name", label=_("Name"), required=True, max_length=100)
    with transaction.atomic():
        hall = Hall.objects.create(
            event=event, name=name, description=description, position=position
        )
        audit(actor, "hall_created", hall, context={"event": event.pk})
        touch_public(event.pk)
    return hall


def add_zone(actor: Actor, hall: Hall, *, name: str, cluster=None) -> Zone:
    _check_organizer(actor, hall.event)
    name = text(name, field="name", label=_("Name"), required=True, max_length=100)
    with transaction.atomic():
        zone = Zone.objects.create(hall=hall, name=name, cluster=cluster)
        audit(actor, "zone_created", zone, context={"hall": hall.pk})
        touch_public(hall.event_id)
    return zone


def assign_booth(actor: Actor, zone: Zone, *, code: str, exhibitor: Organization) -> Booth:
    """A booth in a zone for an exhibitor organisation (one booth per exhibitor and event)."""
    event = zone.hall.event
    _check_organizer(actor, event)
    code = text(code, field="code", label=_("Booth number"), required=True, max_length=20)
    try:
        with transaction.atomic():
            booth = Booth.objects.create(event=event, zone=zone, code=code, exhibitor=exhibitor)
            booth.search_text = booth_search_text(booth, [])
            booth.save(update_fields=["search_text"])
            audit(
                actor,
                "booth_created",
                booth,
                context={"event": event.pk, "exhibitor": exhibitor.pk, "code": code},
            )
            touch_public(event.pk)
    except IntegrityError:
        raise EventError(
            "booth_taken",
            _("This booth number or this exhibitor already has a booth at the event."),
            field="code",
        ) from None
    return booth
