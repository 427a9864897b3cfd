"""Participants' writes: registering (once per event, within the type's capacity), approval,
the personal agenda, check-in at the door and session attendance.

Concurrency: registering locks the registration type's row and counts the place on it (a
database check keeps ``taken <= capacity`` as a second guard); a check-in locks the
registration's row, so a badge scanned at two doors at once checks in once and the second scan
answers "already checked in at 09:12"."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.registry.models import Organization

from ..access import can_organize
from ..enums import HOLDS_PLACE, EventState, RegistrationState
from ..errors import EventError
from ..models import AgendaItem, Attendance, Event, Registration, RegistrationType, Session
from .base import audit, not_allowed, text, user_of

BADGE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_badge_code() -> str:
    return "".join(secrets.choice(BADGE_ALPHABET) for _ in range(10))


def normalize_badge(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:16]


def register(
    actor: Actor,
    event: Event,
    *,
    kind: str,
    organization: Organization,
    name: str = "",
    invitation_code: str = "",
    shares_contact: bool = False,
    phone: str = "",
    email: str = "",
) -> Registration:
    """Register the acting user for the event, for its organisation, as ``kind``. Refused:
    an unpublished event, another organisation, a wrong invitation code, a full type, a
    second registration."""
    user = user_of(actor)
    if user is None or actor.organization_id != organization.pk:
        raise not_allowed()
    if event.state != EventState.PUBLISHED:
        raise EventError("not_open", _("Registration for this event is not open."))
    name = text(
        name or getattr(user, "display_name", "") or user.get_username(),
        field="name",
        label=_("Name on badge"),
        required=True,
        max_length=100,
    )
    phone = text(phone, field="phone", label=_("Phone"), max_length=30)
    email = text(email, field="email", label=_("E-mail"), max_length=254)
    try:
        with transaction.atomic():
            rtype = (
                RegistrationType.objects.select_for_update().filter(event=event, kind=kind).first()
            )
            if rtype is None:
                raise EventError("bad_kind", _("Choose a participant type."), field="kind")
            if rtype.invitation_code and invitation_code.strip() != rtype.invitation_code:
                raise EventError(
                    "bad_invitation",
                    _("This participant type needs a valid invitation code."),
                    field="invitation_code",
                )
            if Registration.objects.filter(event=event, user=user).exists():
                raise EventError("already_registered", _("You are already registered."))
            if rtype.capacity is not None and rtype.taken >= rtype.capacity:
                raise EventError("full", _("No places are left for this participant type."))
            RegistrationType.objects.filter(pk=rtype.pk).update(taken=F("taken") + 1)
            state = (
                RegistrationState.PENDING if rtype.needs_approval else RegistrationState.APPROVED
            )
            registration = Registration.objects.create(
                event=event,
                type=rtype,
                user=user,
                organization=organization,
                name=name,
                state=state,
                badge_code=new_badge_code(),
                shares_contact=shares_contact,
                phone=phone,
                email=email,
            )
            audit(
                actor,
                "registered",
                registration,
                changes={"state": [None, state]},
                context={"event": event.pk, "kind": kind},
            )
    except IntegrityError:
        raise EventError("already_registered", _("You are already registered.")) from None
    return registration


def set_registration_state(actor: Actor, registration: Registration, state: str) -> Registration:
    """Organisers approve or decline; the participant (or an organiser) cancels. A declined or
    cancelled registration gives its place back."""
    allowed = {
        RegistrationState.APPROVED: can_organize(actor, registration.event),
        RegistrationState.DECLINED: can_organize(actor, registration.event),
        RegistrationState.CANCELLED: can_organize(actor, registration.event)
        or registration.user_id == actor.user_id,
    }
    if not allowed.get(state):
        raise not_allowed()
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        before = locked.state
        if before == state:
            return locked
        if before not in HOLDS_PLACE:
            raise EventError("closed", _("This registration is closed."))
        if state not in HOLDS_PLACE:
            RegistrationType.objects.filter(pk=locked.type_id).update(taken=F("taken") - 1)
        locked.state = state
        locked.save(update_fields=["state"])
        audit(actor, "registration_state", locked, changes={"state": [before, state]})
    return locked


@dataclass(frozen=True)
class ScanResult:
    """What a door scan found: the registration, whether this scan checked it in, and when
    it was checked in."""

    registration: Registration
    first: bool
    at: dt.datetime

    @property
    def local_time(self) -> str:
        return timezone.localtime(self.at).strftime("%H:%M")


def _registration_by_badge(event: Event, badge_code: str) -> Registration:
    code = normalize_badge(badge_code)
    registration = (
        Registration.objects.filter(event=event, badge_code=code)
        .select_related("organization", "type")
        .first()
    )
    if registration is None:
        raise EventError("unknown_badge", _("No badge with this code at this event."), field="code")
    return registration


def check_in(
    actor: Actor, event: Event, *, badge_code: str, door: str = "", now: dt.datetime | None = None
) -> ScanResult:
    """Check a badge in at the door (organisers). A second scan changes nothing and answers
    when the first one was."""
    if not can_organize(actor, event):
        raise not_allowed()
    found = _registration_by_badge(event, badge_code)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .select_related("organization", "type")
            .get(pk=found.pk)
        )
        if registration.state != RegistrationState.APPROVED:
            raise EventError("not_approved", _("This registration is not approved."))
        if registration.checked_in_at is not None:
            return ScanResult(registration, False, registration.checked_in_at)
        registration.checked_in_at = now or timezone.now()
        registration.checked_in_by = user_of(actor)
        registration.checked_in_door = door[:40]
        registration.save(update_fields=["checked_in_at", "checked_in_by", "checked_in_door"])
        audit(
            actor,
            "checked_in",
            registration,
            changes={"checked_in_at": [None, registration.checked_in_at.isoformat()]},
            context={"door": door[:40]},
        )
    return ScanResult(registration, True, registration.checked_in_at)


def record_attendance(
    actor: Actor, session: Session, *, badge_code: str, now: dt.datetime | None = None
) -> ScanResult:
    """A badge scanned at a session's door (organisers); once per session."""
    if not can_organize(actor, session.event):
        raise not_allowed()
    registration = _registration_by_badge(session.event, badge_code)
    if registration.state != RegistrationState.APPROVED:
        raise EventError("not_approved", _("This registration is not approved."))
    now = now or timezone.now()
    try:
        with transaction.atomic():
            attendance, created = Attendance.objects.get_or_create(
                session=session,
                registration=registration,
                defaults={"at": now, "recorded_by": user_of(actor)},
            )
            if created:
                audit(actor, "attended", attendance, context={"session": session.pk})
    except IntegrityError:
        attendance = Attendance.objects.get(session=session, registration=registration)
        created = False
    return ScanResult(registration, created, attendance.at)


def attend_online(
    actor: Actor,
    session: Session,
    *,
    opens_before: dt.timedelta = dt.timedelta(0),
    now: dt.datetime | None = None,
) -> ScanResult:
    """A participant joins an online session through the platform's own link: counted as
    attended, once per session, like a badge scanned at a room's door. Only the caller's own
    approved registration for the session's event, from ``opens_before`` the start to the end.
    """
    now = now or timezone.now()
    registration = (
        Registration.objects.select_related("organization", "type")
        .filter(event_id=session.event_id, user_id=actor.user_id)
        .first()
    )
    if registration is None or registration.state != RegistrationState.APPROVED:
        raise EventError("not_registered", _("Register for this session first."))
    if now < session.starts_at - opens_before:
        raise EventError("not_open_yet", _("The session cannot be joined yet."))
    if now > session.ends_at:
        raise EventError("session_over", _("The session is over."))
    try:
        with transaction.atomic():
            attendance, created = Attendance.objects.get_or_create(
                session=session,
                registration=registration,
                defaults={"at": now, "recorded_by": user_of(actor)},
            )
            if created:
                audit(
                    actor, "attended", attendance, context={"session": session.pk, "online": True}
                )
    except IntegrityError:
        attendance = Attendance.objects.get(session=session, registration=registration)
        created = False
    return ScanResult(registration, created, attendance.at)


def add_to_agenda(actor: Actor, registration: Registration, session: Session) -> AgendaItem:
    if registration.user_id != actor.user_id:
        raise not_allowed()
    if session.event_id != registration.event_id:
        raise EventError("bad_session", _("Choose a session of this event."))
    with transaction.atomic():
        item, created = AgendaItem.objects.get_or_create(registration=registration, session=session)
        if created:
            audit(actor, "agenda_added", item, context={"session": session.pk})
    return item


def remove_from_agenda(actor: Actor, registration: Registration, session: Session) -> None:
    if registration.user_id != actor.user_id:
        raise not_allowed()
    with transaction.atomic():
        deleted, _rows = AgendaItem.objects.filter(
            registration=registration, session=session
        ).delete()
        if deleted:
            audit(actor, "agenda_removed", registration, context={"session": session.pk})


def set_availability(actor: Actor, registration: Registration, slots: list[str] | None):
    """The meeting slots a participant is available in (None: all)."""
    if registration.user_id != actor.user_id:
        raise not_allowed()
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        before = locked.available_slots
        locked.available_slots = sorted(set(slots)) if slots is not None else None
        locked.save(update_fields=["available_slots"])
        audit(
            actor,
            "availability_updated",
            locked,
            changes={"available_slots": [before, locked.available_slots]},
        )
    return locked
