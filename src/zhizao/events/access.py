"""Who may see and change which event, registration, booth, lead and meeting. Every fetch goes
through here; a missing object and a forbidden one look the same (404).

- Events: published events are public (programme, speakers, halls, exhibitors, live now);
  drafts only to their organisers. Organisers are the platform's operators and the members of
  the host organisation.
- Registrations: a user sees its own; organisers see all of their event's.
- Booths: the exhibitor organisation edits its own; everybody reads a published event's.
- Leads and booth analytics: the exhibitor (its own booth only) and the organisers.
- A visitor's phone and e-mail reach an exhibitor only when the visitor consented: at
  registration (``shares_contact``) or at that booth (``BoothVisit.shares_contact``).
- Meetings: the two parties and the organisers.
- Online links: a session's live and recording links are public unless the session (or, by
  default, its event) keeps them for registered participants; then only the event's approved
  registrants and its organisers get them (``sees_private_links``), and the event's own
  online address follows the event's default."""

from __future__ import annotations

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.http import Http404

from zhizao.accounts.roles import acts_for, belongs_to, is_operator

from .enums import EventState, LinkAccess, RegistrationState
from .models import (
    Booth,
    BoothVisit,
    Event,
    Lead,
    MeetingRequest,
    ProcurementNeed,
    Registration,
    Session,
)


def can_organize(membership, event: Event) -> bool:
    return is_operator(membership) or belongs_to(membership, event.host_id)


def can_create_event(membership) -> bool:
    """Operators, and any organisation member (the event is then hosted by its organisation
    and remains a draft until published)."""
    return membership is not None and membership.role is not None


# --- events ---------------------------------------------------------------------------------


def public_events():
    return Event.objects.filter(state=EventState.PUBLISHED)


def events_for(membership):
    if membership is None:
        return public_events()
    if is_operator(membership):
        return Event.objects.all()
    return Event.objects.filter(
        Q(state=EventState.PUBLISHED) | Q(host_id=membership.organization_id)
    )


def access_public_event(pk) -> Event:
    event = public_events().filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def access_event(membership, pk, *, organize: bool = False) -> Event:
    event = events_for(membership).filter(pk=pk).first()
    if event is None or (organize and not can_organize(membership, event)):
        raise Http404
    return event


def access_session(membership, pk, *, organize: bool = False) -> Session:
    session = Session.objects.select_related("event").filter(pk=pk).first()
    if session is None:
        raise Http404
    access_event(membership, session.event_id, organize=organize)
    return session


# --- registrations --------------------------------------------------------------------------


def registration_of(membership, event: Event) -> Registration | None:
    """The acting user's registration for the event (any state), or None."""
    if membership is None:
        return None
    return (
        Registration.objects.select_related("type", "organization")
        .filter(event=event, user_id=membership.user_id)
        .first()
    )


def registrations_for(membership, event: Event):
    qs = Registration.objects.filter(event=event).select_related("type", "organization")
    if can_organize(membership, event):
        return qs
    if membership is None:
        return qs.none()
    return qs.filter(user_id=membership.user_id)


def access_registration(membership, pk) -> Registration:
    registration = (
        Registration.objects.select_related("event", "type", "organization").filter(pk=pk).first()
    )
    if registration is None or not (
        (membership is not None and registration.user_id == membership.user_id)
        or can_organize(membership, registration.event)
    ):
        raise Http404
    return registration


def meeting_partners_for(membership, event: Event):
    """Whom a participant may ask for a meeting: approved registrations of the event other
    than its own (names and organisations only)."""
    qs = Registration.objects.filter(event=event, state=RegistrationState.APPROVED)
    if membership is not None:
        qs = qs.exclude(user_id=membership.user_id)
    return qs.select_related("organization", "type")


# --- online links -----------------------------------------------------------------------------


def sees_private_links(membership, event: Event) -> bool:
    """The event's organisers and its approved registrants: they get the online links the
    organiser keeps for registered participants."""
    if membership is None:
        return False
    if can_organize(membership, event):
        return True
    return Registration.objects.filter(
        event=event, user_id=membership.user_id, state=RegistrationState.APPROVED
    ).exists()


def private_link_event_ids(membership, event_ids) -> set[int]:
    """Of ``event_ids``, the events whose private links ``membership`` gets (one query)."""
    if membership is None:
        return set()
    if is_operator(membership):
        return set(event_ids)
    return set(
        Event.objects.filter(pk__in=list(event_ids))
        .filter(
            Q(host_id=membership.organization_id)
            | Q(
                registrations__user_id=membership.user_id,
                registrations__state=RegistrationState.APPROVED,
            )
        )
        .values_list("pk", flat=True)
    )


def event_online_url(event: Event, privileged: bool) -> str:
    """The event's online address as this reader gets it."""
    if event.session_link_access == LinkAccess.REGISTERED and not privileged:
        return ""
    return event.online_url


def session_links(session: Session, event: Event, privileged: bool) -> tuple[str, str]:
    """The session's (online, recording) links as this reader gets them: empty when they are
    kept for registered participants and the reader is not one (``sees_private_links``)."""
    if session.links_restricted(event) and not privileged:
        return "", ""
    return session.online_url, session.recording_url


def has_private_links(event: Event) -> bool:
    """Whether any of the event's sessions keeps its links for registered participants."""
    if event.session_link_access == LinkAccess.REGISTERED:
        return Session.objects.filter(event=event).exclude(link_access=LinkAccess.PUBLIC).exists()
    return Session.objects.filter(event=event, link_access=LinkAccess.REGISTERED).exists()


# --- booths, visits, leads ------------------------------------------------------------------


def can_edit_booth(membership, booth: Booth) -> bool:
    return acts_for(membership, booth.exhibitor_id)


def booths_of_event(event: Event):
    return (
        Booth.objects.filter(event=event)
        .select_related("exhibitor", "zone__hall")
        .prefetch_related("offerings")
    )


def access_booth(membership, pk, *, write: bool = False) -> Booth:
    booth = Booth.objects.select_related("event", "exhibitor", "zone__hall").filter(pk=pk).first()
    if booth is None:
        raise Http404
    access_event(membership, booth.event_id)
    if write and not can_edit_booth(membership, booth):
        raise Http404
    return booth


def access_public_session(pk) -> Session:
    session = Session.objects.select_related("event").filter(pk=pk).first()
    if session is None or session.event.state != EventState.PUBLISHED:
        raise Http404
    return session


def access_public_booth(pk) -> Booth:
    booth = Booth.objects.select_related("event", "exhibitor", "zone__hall").filter(pk=pk).first()
    if booth is None or booth.event.state != EventState.PUBLISHED:
        raise Http404
    return booth


def can_see_leads(membership, booth: Booth) -> bool:
    return can_edit_booth(membership, booth) or can_organize(membership, booth.event)


def leads_for(membership, booth: Booth):
    if not can_see_leads(membership, booth):
        return Lead.objects.none()
    return Lead.objects.filter(booth=booth).select_related("registration__organization")


def leads_with_contact_for(membership, booth: Booth):
    """``leads_for`` with ``contact_shared`` on each lead: whether the visitor consented to
    this exhibitor (the rule of ``consenting_registration_ids``, as one query), so that a list
    and its export show a phone or an e-mail only where it may."""
    at_booth = BoothVisit.objects.filter(
        booth=booth, registration_id=OuterRef("registration_id"), shares_contact=True
    )
    return leads_for(membership, booth).annotate(
        contact_shared=ExpressionWrapper(
            Q(registration__event_id=booth.event_id, registration__shares_contact=True)
            | Exists(at_booth),
            output_field=BooleanField(),
        )
    )


def own_booth(membership, event: Event) -> Booth | None:
    if membership is None:
        return None
    return (
        Booth.objects.filter(event=event, exhibitor_id=membership.organization_id)
        .select_related("zone__hall", "exhibitor")
        .first()
        if acts_for(membership, membership.organization_id)
        else None
    )


def consenting_registration_ids(booth: Booth) -> set[int]:
    """Registrations whose contact details this booth's exhibitor may see."""
    ids = set(
        BoothVisit.objects.filter(booth=booth, shares_contact=True).values_list(
            "registration_id", flat=True
        )
    )
    ids |= set(
        Registration.objects.filter(event_id=booth.event_id, shares_contact=True).values_list(
            "id", flat=True
        )
    )
    return ids


# --- meetings -------------------------------------------------------------------------------


def is_party(membership, meeting: MeetingRequest) -> bool:
    return membership is not None and membership.user_id in (
        meeting.requester.user_id,
        meeting.recipient.user_id,
    )


def meetings_for(membership, event: Event):
    qs = MeetingRequest.objects.filter(event=event).select_related(
        "requester__organization", "recipient__organization"
    )
    if can_organize(membership, event):
        return qs
    if membership is None:
        return qs.none()
    return qs.filter(
        Q(requester__user_id=membership.user_id) | Q(recipient__user_id=membership.user_id)
    )


def access_meeting(membership, pk, *, party: bool = False) -> MeetingRequest:
    meeting = (
        MeetingRequest.objects.select_related(
            "event", "requester__organization", "recipient__organization"
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    if is_party(membership, meeting):
        return meeting
    if not party and can_organize(membership, meeting.event):
        return meeting
    raise Http404


def own_meetings(membership, event: Event):
    """The meetings the acting user is a party of (also for an organiser)."""
    if membership is None:
        return MeetingRequest.objects.none()
    return (
        MeetingRequest.objects.filter(event=event)
        .filter(Q(requester__user_id=membership.user_id) | Q(recipient__user_id=membership.user_id))
        .select_related("requester__organization", "recipient__organization")
    )


# --- procurement ------------------------------------------------------------------------------


def access_need(membership, pk) -> ProcurementNeed:
    """A procurement need: its buyer only (the demand itself is matchmaking's)."""
    need = (
        ProcurementNeed.objects.select_related("event", "demand", "registration__organization")
        .filter(pk=pk)
        .first()
    )
    if need is None or membership is None or need.registration.user_id != membership.user_id:
        raise Http404
    return need
