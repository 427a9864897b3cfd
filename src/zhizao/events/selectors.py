"""Reads: the programme (blocks → forums → sessions with speakers, in a fixed number of
queries), what is live now, a participant's agenda (sessions and meetings), exhibitor search,
and the analytics tables of the organiser and of one exhibitor (each table exports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhizao.matchmaking.enums import IntroductionState

from .enums import MeetingState, Outcome, ParticipantKind, Placement, RegistrationState
from .models import (
    AgendaItem,
    Attendance,
    Booth,
    BoothVisit,
    Event,
    Forum,
    Hall,
    Lead,
    MeetingRequest,
    ProcurementNeed,
    Registration,
    Session,
    Zone,
)
from .search import search_filter


def sessions_of(event: Event):
    return (
        Session.objects.filter(event=event)
        .select_related("forum")
        .prefetch_related("speakers")
        .order_by("starts_at", "room", "id")
    )


def programme(event: Event) -> list[dict]:
    """Forums in their blocks with their sessions; sessions without a forum at the end.
    Three queries whatever the size."""
    sessions = list(sessions_of(event))
    by_forum: dict[int | None, list[Session]] = {}
    for session in sessions:
        by_forum.setdefault(session.forum_id, []).append(session)
    forums = list(Forum.objects.filter(event=event).select_related("block"))
    out = []
    for forum in forums:
        out.append({"forum": forum, "block": forum.block, "sessions": by_forum.get(forum.pk, [])})
    if by_forum.get(None):
        out.append({"forum": None, "block": None, "sessions": by_forum[None]})
    return out


def live_now(event: Event, *, now: dt.datetime | None = None) -> list[Session]:
    now = now or timezone.now()
    return list(sessions_of(event).filter(starts_at__lte=now, ends_at__gt=now))


def session_bounds(event: Event) -> list[float]:
    """Every start and end of the event's sessions (POSIX seconds, sorted): what is live
    changes only at these instants."""
    rows = Session.objects.filter(event=event).values_list("starts_at", "ends_at")
    return sorted({t.timestamp() for pair in rows for t in pair})


def public_session(pk: int) -> Session:
    return (
        Session.objects.select_related("forum__block", "event")
        .prefetch_related("speakers")
        .get(pk=pk)
    )


def offerings_stamp(booth: Booth) -> tuple:
    """How many offerings the booth links and when the last changed (matchmaking edits them):
    part of the key of the booth page's cached body."""
    row = booth.offerings.aggregate(n=Count("id"), last=Max("updated_at"))
    return (row["n"], row["last"].isoformat() if row["last"] else "")


def session_phase(session: Session, now: dt.datetime) -> str:
    if now < session.starts_at:
        return "upcoming"
    if now < session.ends_at:
        return "live"
    return "ended"


def halls_of(event: Event) -> list[Hall]:
    return list(
        Hall.objects.filter(event=event).prefetch_related(
            Prefetch(
                "zones",
                queryset=Zone.objects.select_related("cluster").annotate(
                    booth_count=Count("booths")
                ),
            )
        )
    )


def exhibitors(event: Event, *, q: str = "", zone: int | None = None):
    qs = (
        Booth.objects.filter(event=event)
        .select_related("exhibitor", "zone__hall")
        .prefetch_related("offerings")
        .order_by("code", "id")
    )
    if q:
        qs = qs.filter(search_filter(q))
    if zone:
        qs = qs.filter(zone_id=zone)
    return qs


@dataclass(frozen=True)
class AgendaEntry:
    kind: str  # session / meeting
    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str
    where: str
    obj: object


def agenda_for(registration: Registration) -> list[AgendaEntry]:
    entries = [
        AgendaEntry(
            "session",
            i.session.starts_at,
            i.session.ends_at,
            i.session.title,
            i.session.room,
            i.session,
        )
        for i in AgendaItem.objects.filter(registration=registration).select_related("session")
    ]
    for m in published_meetings_of(registration):
        other = m.recipient if m.requester_id == registration.pk else m.requester
        entries.append(
            AgendaEntry(
                "meeting",
                m.starts_at,
                m.ends_at,
                _("Meeting with %(name)s (%(org)s)")
                % {"name": other.name, "org": other.organization.name},
                _("Table %(n)s") % {"n": m.table},
                m,
            )
        )
    return sorted(entries, key=lambda e: (e.starts_at, e.kind))


def published_meetings_of(registration: Registration):
    return (
        MeetingRequest.objects.filter(
            Q(requester=registration) | Q(recipient=registration),
            state=MeetingState.ACCEPTED,
            placement=Placement.PUBLISHED,
        )
        .select_related("requester__organization", "recipient__organization", "event")
        .order_by("starts_at", "id")
    )


# --- analytics ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list]


def _funnel(meetings) -> list[list]:
    agg = meetings.aggregate(
        requested=Count("id"),
        accepted=Count("id", filter=Q(state=MeetingState.ACCEPTED)),
        placed=Count("id", filter=Q(state=MeetingState.ACCEPTED, placement=Placement.PUBLISHED)),
        held=Count(
            "id",
            filter=Q(requester_outcome__in=[Outcome.HELD, Outcome.FOLLOW_UP])
            | Q(recipient_outcome__in=[Outcome.HELD, Outcome.FOLLOW_UP]),
        ),
        follow_ups=Count(
            "id",
            filter=Q(requester_outcome=Outcome.FOLLOW_UP) | Q(recipient_outcome=Outcome.FOLLOW_UP),
        ),
    )
    return [
        # stages of a funnel, not the date columns 申请时间/接受时间
        [pgettext("meeting funnel", "Requested"), agg["requested"]],
        [pgettext("meeting funnel", "Accepted"), agg["accepted"]],
        [_("Placed"), agg["placed"]],
        [_("Held"), agg["held"]],
        [_("Follow-ups"), agg["follow_ups"]],
    ]


def organiser_analytics(event: Event) -> list[Table]:
    kinds = dict(ParticipantKind.choices)
    registrations = Registration.objects.filter(event=event).exclude(
        state__in=[RegistrationState.DECLINED, RegistrationState.CANCELLED]
    )
    by_type_day = (
        registrations.annotate(day=TruncDate("created_at"))
        .values("type__kind", "day")
        .annotate(n=Count("id"))
        .order_by("day", "type__kind")
    )
    checkins = (
        registrations.filter(checked_in_at__isnull=False)
        .annotate(day=TruncDate("checked_in_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    attendance = (
        Session.objects.filter(event=event)
        .annotate(n=Count("attendances"), agenda=Count("agenda_items", distinct=True))
        .order_by("starts_at", "id")
        .values_list("title", "agenda", "n")
    )
    visits = (
        Booth.objects.filter(event=event)
        .annotate(
            visit_count=Count("visits", distinct=True), lead_count=Count("leads", distinct=True)
        )
        .order_by("-visit_count", "code")
        .values_list("code", "exhibitor__name", "visit_count", "lead_count")
    )
    needs = (
        ProcurementNeed.objects.filter(event=event)
        .select_related("demand", "registration__organization")
        .annotate(
            introductions=Count("demand__introductions"),
            deals=Count(
                "demand__introductions",
                filter=Q(demand__introductions__state=IntroductionState.DEAL),
            ),
        )
        .order_by("-created_at")
    )
    return [
        Table(
            "registrations",
            _("Registrations by type and day"),
            [_("Day"), _("Participant type"), _("Registrations")],
            [[r["day"], kinds.get(r["type__kind"], r["type__kind"]), r["n"]] for r in by_type_day],
        ),
        Table(
            "checkins",
            _("Check-ins by day"),
            [_("Day"), _("Check-ins")],
            [[r["day"], r["n"]] for r in checkins],
        ),
        Table(
            "attendance",
            _("Session attendance"),
            [_("Session"), _("In agendas"), _("Attended")],
            [list(r) for r in attendance],
        ),
        Table(
            "booths",
            _("Booth visits and leads per exhibitor"),
            [_("Booth"), _("Exhibitor"), _("Visits"), _("Leads")],
            [list(r) for r in visits],
        ),
        Table(
            "meetings",
            _("Meeting funnel"),
            [_("Stage"), _("Meetings")],
            _funnel(MeetingRequest.objects.filter(event=event)),
        ),
        Table(
            "procurement",
            # Every introduction of the need's demand (suggested by the platform or asked for
            # by either side), and those that ended in a deal — not the ranked matches, which
            # the need's page shows.
            _("Procurement needs and their introductions"),
            [_("Need"), _("Buyer"), _("Introductions"), _("Introductions ending in a deal")],
            [
                [n.demand.title, n.registration.organization.name, n.introductions, n.deals]
                for n in needs
            ],
        ),
    ]


def exhibitor_analytics(booth: Booth) -> list[Table]:
    meetings = MeetingRequest.objects.filter(event_id=booth.event_id).filter(
        Q(requester__organization_id=booth.exhibitor_id)
        | Q(recipient__organization_id=booth.exhibitor_id)
    )
    visits_by_day = (
        BoothVisit.objects.filter(booth=booth)
        .annotate(day=TruncDate("at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    ratings = (
        Lead.objects.filter(booth=booth).values("rating").annotate(n=Count("id")).order_by("rating")
    )
    return [
        Table(
            "visits",
            _("Booth visits by day"),
            [_("Day"), _("Visits")],
            [[r["day"], r["n"]] for r in visits_by_day],
        ),
        Table(
            "leads",
            _("Leads by rating"),
            [_("Rating"), _("Leads")],
            [[r["rating"], r["n"]] for r in ratings],
        ),
        Table("meetings", _("Meeting funnel"), [_("Stage"), _("Meetings")], _funnel(meetings)),
    ]


def attendance_count(session: Session) -> int:
    return Attendance.objects.filter(session=session).count()
