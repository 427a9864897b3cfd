"""Introductions between a demand and an offering, and the consent that lets a contact
person's details pass to the other side. ``set_introduction_state`` is the one function that
moves an introduction; everything else here calls it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.accounts.enums import Role
from zhizao.common.audit import SYSTEM, Actor
from zhizao.common.notifications import notify
from zhizao.registry.models import Contact

from .. import index
from ..enums import (
    EXPIRY_DAYS,
    OPEN_STATES,
    TRANSITIONS,
    DemandState,
    IntroductionState,
    OfferingState,
    Side,
    SignalKind,
)
from ..errors import MatchError
from ..models import ConsentRecord, Demand, Introduction, MatchSignal, Offering
from .base import audit, read_upload, text, to_yuan, user_of

S = IntroductionState
OPERATOR = "operator"
SYSTEM_SIDE = "system"
SIGNALS = {
    S.ACCEPTED: SignalKind.ACCEPTED,
    S.DECLINED: SignalKind.DECLINED,
    S.DEAL: SignalKind.DEAL,
}
ENTERPRISE_ROLES = {Role.ENTERPRISE}
SUPPLIER_ROLES = {Role.PROVIDER, Role.BANK}


def side_for(actor: Actor, demand: Demand, offering: Offering) -> str | None:
    """Which side of the pair the actor acts for: enterprise, provider, operator, system or
    None (not a party)."""
    if actor.user_id is None and not actor.role:
        return SYSTEM_SIDE
    if actor.role in ENTERPRISE_ROLES and actor.organization_id == demand.enterprise_id:
        return Side.ENTERPRISE
    if actor.role in SUPPLIER_ROLES and actor.organization_id == offering.provider_id:
        return Side.PROVIDER
    if actor.role == Role.OPERATOR:
        return OPERATOR
    return None


def other_side(side: str) -> str:
    return Side.PROVIDER if side == Side.ENTERPRISE else Side.ENTERPRISE


def _link(introduction: Introduction) -> str:
    return reverse("matchmaking:introduction_detail", args=[introduction.pk])


def _organization_of(introduction: Introduction, side: str):
    return (
        introduction.demand.enterprise
        if side == Side.ENTERPRISE
        else introduction.offering.provider
    )


def _notify_side(introduction: Introduction, side: str, title: str, body: str = "") -> None:
    notify(_organization_of(introduction, side), title=title, body=body, link=_link(introduction))


def _check_pair(demand: Demand, offering: Offering) -> None:
    if demand.enterprise_id == offering.provider_id:
        raise MatchError("own_organization", _("An organisation cannot introduce itself."))
    if demand.state != DemandState.PUBLISHED:
        raise MatchError("demand_not_published", _("The demand is not published."))
    if offering.state != OfferingState.PUBLISHED:
        raise MatchError("offering_not_published", _("The offering is not published."))


# --- creating -------------------------------------------------------------------------------


def request_introduction(
    actor: Actor,
    *,
    demand: Demand,
    offering: Offering,
    message: str = "",
    share_contact: Contact | None = None,
    now: dt.datetime | None = None,
) -> Introduction:
    """Either side asks to be introduced to the other, with a message. A pair the platform
    suggested moves to requested; any other existing pair is a duplicate and refused.
    ``share_contact``: the requester's consent to pass this contact on after acceptance."""
    side = side_for(actor, demand, offering)
    if side not in (Side.ENTERPRISE, Side.PROVIDER):
        raise MatchError("not_a_party", _("Only the two sides can request an introduction."))
    _check_pair(demand, offering)
    message = text(message, field="message", label=_("Message"), max_length=2000)
    existing = Introduction.objects.filter(demand=demand, offering=offering).first()
    if existing is not None:
        if existing.state != S.SUGGESTED:
            raise MatchError(
                "duplicate", _("An introduction between these two already exists."), field=None
            )
        return set_introduction_state(
            actor,
            existing,
            S.REQUESTED,
            message=message,
            share_contact=share_contact,
            now=now,
        )
    now = now or timezone.now()
    score, reasons = index.explain_pair(demand, offering)
    try:
        with transaction.atomic():
            introduction = Introduction.objects.create(
                demand=demand,
                offering=offering,
                requested_by=side,
                requested_by_user=user_of(actor),
                message=message,
                state=S.REQUESTED,
                requested_at=now,
                expires_at=now + dt.timedelta(days=EXPIRY_DAYS),
                score=score,
                reasons=reasons,
            )
            audit(
                actor,
                "introduction_created",
                introduction,
                changes={"state": [None, S.REQUESTED]},
                context={"demand": demand.pk, "offering": offering.pk, "side": side},
            )
            if share_contact is not None:
                _grant(actor, introduction, share_contact, side)
            _notify_requested(introduction, side)
    except IntegrityError:
        raise MatchError(
            "duplicate", _("An introduction between these two already exists.")
        ) from None
    return introduction


def suggest_introduction(actor: Actor, *, demand: Demand, offering: Offering) -> Introduction:
    """The platform (an operator) suggests a pair to both sides."""
    if actor.role != Role.OPERATOR:
        raise MatchError("not_operator", _("Only operators suggest introductions."))
    _check_pair(demand, offering)
    if Introduction.objects.filter(demand=demand, offering=offering).exists():
        raise MatchError("duplicate", _("An introduction between these two already exists."))
    score, reasons = index.explain_pair(demand, offering)
    with transaction.atomic():
        introduction = Introduction.objects.create(
            demand=demand,
            offering=offering,
            requested_by="",
            state=S.SUGGESTED,
            score=score,
            reasons=reasons,
        )
        audit(
            actor,
            "introduction_created",
            introduction,
            changes={"state": [None, S.SUGGESTED]},
            context={"demand": demand.pk, "offering": offering.pk, "side": OPERATOR},
        )
        title = _("Suggested introduction: %(demand)s ↔ %(offering)s") % {
            "demand": demand.title,
            "offering": offering.title,
        }
        _notify_side(introduction, Side.ENTERPRISE, title)
        _notify_side(introduction, Side.PROVIDER, title)
    return introduction


def _notify_requested(introduction: Introduction, side: str) -> None:
    if side == Side.ENTERPRISE:
        title = _("%(org)s asks for an introduction about “%(offering)s”") % {
            "org": introduction.demand.enterprise.name,
            "offering": introduction.offering.title,
        }
    else:
        title = _("%(org)s offers “%(offering)s” for your demand “%(demand)s”") % {
            "org": introduction.offering.provider.name,
            "offering": introduction.offering.title,
            "demand": introduction.demand.title,
        }
    _notify_side(introduction, other_side(side), title, introduction.message)


# --- the state machine ----------------------------------------------------------------------


def _may(side: str | None, introduction: Introduction, state: str) -> bool:
    """Whether the acting side may move the introduction (already locked) to ``state``."""
    party = side in (Side.ENTERPRISE, Side.PROVIDER)
    if state == S.REQUESTED:
        return party
    if state == S.ACCEPTED:
        return party and side != introduction.requested_by
    if state == S.DECLINED:
        if introduction.state == S.SUGGESTED:
            return party
        return party and side != introduction.requested_by
    if state in (S.MET, S.DEAL):
        return party
    if state == S.CLOSED:
        return party or side == OPERATOR
    if state == S.EXPIRED:
        return side == SYSTEM_SIDE
    return False


def set_introduction_state(
    actor: Actor,
    introduction: Introduction,
    state: str,
    *,
    message: str = "",
    reason: str = "",
    note: str = "",
    value_yuan=None,
    evidence=None,
    share_contact: Contact | None = None,
    now: dt.datetime | None = None,
) -> Introduction:
    """Move an introduction along suggested → requested → accepted → met → deal, or to
    declined / closed / expired from the open states; refuse anything else and change
    nothing. Records the audit entry, the ranking signal and the notifications."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Introduction.objects.select_for_update()
            .select_related("demand__enterprise", "offering__provider")
            .get(pk=introduction.pk)
        )
        side = side_for(actor, locked.demand, locked.offering)
        if state not in TRANSITIONS.get(locked.state, ()):
            raise MatchError(
                "bad_transition",
                _("An introduction cannot go from %(a)s to %(b)s.")
                % {
                    "a": locked.get_state_display(),
                    "b": S(state).label if state in S.values else state,
                },
                field="state",
            )
        if not _may(side, locked, state):
            raise MatchError("not_allowed", _("You cannot do this for this introduction."))
        before = locked.state
        changes: dict = {"state": [before, state]}
        fields = ["state", "updated_at"]
        if state == S.REQUESTED:
            _check_pair(locked.demand, locked.offering)
            locked.requested_by = side
            locked.requested_by_user = user_of(actor)
            locked.message = text(message, field="message", label=_("Message"), max_length=2000)
            locked.requested_at = now
            locked.expires_at = now + dt.timedelta(days=EXPIRY_DAYS)
            fields += ["requested_by", "requested_by_user", "message", "requested_at", "expires_at"]
        elif state == S.ACCEPTED:
            locked.accepted_at = now
            locked.expires_at = None
            fields += ["accepted_at", "expires_at"]
        elif state == S.MET:
            locked.met_at = now
            locked.meeting_note = text(note, field="note", label=_("Note"), max_length=2000)
            fields += ["met_at", "meeting_note"]
        elif state == S.DEAL:
            value = to_yuan(value_yuan, field="value_yuan", label=_("Deal value"), required=True)
            if value <= Decimal("0"):
                raise MatchError(
                    "zero_deal", _("A deal has a value above zero."), field="value_yuan"
                )
            if evidence is None:
                raise MatchError(
                    "no_evidence",
                    _("Attach the evidence of the deal (contract, order or acceptance)."),
                    field="evidence",
                )
            name, content, sha256 = read_upload(evidence, field="evidence")
            locked.deal_at = now
            locked.deal_value_yuan = value
            locked.deal_evidence_name = name
            locked.deal_evidence_sha256 = sha256
            locked.meeting_note = locked.meeting_note or ""
            locked.deal_evidence.save(name, ContentFile(content), save=False)
            locked.ended_at = now
            fields += [
                "deal_at",
                "deal_value_yuan",
                "deal_evidence",
                "deal_evidence_name",
                "deal_evidence_sha256",
                "ended_at",
            ]
            changes["deal_value_yuan"] = [None, str(value)]
        elif state in (S.DECLINED, S.CLOSED):
            reason = text(reason, field="reason", label=_("Reason"), max_length=1000)
            if state == S.CLOSED and not reason:
                raise MatchError("required", _("Give a reason for closing."), field="reason")
            locked.closed_reason = reason
            locked.ended_at = now
            locked.expires_at = None
            fields += ["closed_reason", "ended_at", "expires_at"]
        elif state == S.EXPIRED:
            locked.ended_at = now
            fields += ["ended_at"]
        locked.state = state
        locked.save(update_fields=fields)
        audit(
            actor,
            "introduction_state",
            locked,
            changes=changes,
            context={"side": side or "", **({"reason": locked.closed_reason} if reason else {})},
        )
        if share_contact is not None and state in (S.REQUESTED, S.ACCEPTED):
            _grant(actor, locked, share_contact, side)
        signal = SIGNALS.get(state)
        if signal is not None:
            MatchSignal.objects.create(offering=locked.offering, demand=locked.demand, kind=signal)
            transaction.on_commit(lambda: index.offering_changed(locked.offering_id))
        _notify_state(locked, state, side)
    return locked


def _notify_state(introduction: Introduction, state: str, side: str | None) -> None:
    names = {
        "demand": introduction.demand.title,
        "offering": introduction.offering.title,
    }
    if state == S.REQUESTED:
        _notify_requested(introduction, side)
    elif state == S.ACCEPTED:
        _notify_side(
            introduction,
            other_side(side),
            _("Introduction accepted: %(demand)s ↔ %(offering)s") % names,
            _("You can now see each other's contact persons who agreed to be passed on."),
        )
    elif state == S.DECLINED:
        _notify_side(
            introduction,
            other_side(side),
            _("Introduction declined: %(demand)s ↔ %(offering)s") % names,
            introduction.closed_reason,
        )
    elif state in (S.MET, S.DEAL):
        title = (
            _("Meeting recorded: %(demand)s ↔ %(offering)s")
            if state == S.MET
            else _("Deal recorded: %(demand)s ↔ %(offering)s")
        ) % names
        _notify_side(introduction, other_side(side), title)
    elif state == S.CLOSED:
        title = _("Introduction closed: %(demand)s ↔ %(offering)s") % names
        targets = [other_side(side)] if side in (Side.ENTERPRISE, Side.PROVIDER) else list(Side)
        for target in targets:
            _notify_side(introduction, target, title, introduction.closed_reason)
    elif state == S.EXPIRED:
        title = _("Introduction request expired unanswered: %(demand)s ↔ %(offering)s") % names
        body = _("The request was not answered within %(days)s days.") % {"days": EXPIRY_DAYS}
        for target in Side:
            _notify_side(introduction, target, title, body)


def accept_introduction(actor, introduction, *, share_contact=None, now=None) -> Introduction:
    return set_introduction_state(
        actor, introduction, S.ACCEPTED, share_contact=share_contact, now=now
    )


def decline_introduction(actor, introduction, *, reason: str = "", now=None) -> Introduction:
    return set_introduction_state(actor, introduction, S.DECLINED, reason=reason, now=now)


def record_meeting(actor, introduction, *, note: str = "", now=None) -> Introduction:
    return set_introduction_state(actor, introduction, S.MET, note=note, now=now)


def record_deal(actor, introduction, *, value_yuan, evidence, now=None) -> Introduction:
    return set_introduction_state(
        actor, introduction, S.DEAL, value_yuan=value_yuan, evidence=evidence, now=now
    )


def close_introduction(actor, introduction, *, reason: str, now=None) -> Introduction:
    return set_introduction_state(actor, introduction, S.CLOSED, reason=reason, now=now)


def expire_introductions(*, now: dt.datetime | None = None) -> int:
    """Requests unanswered for ``EXPIRY_DAYS`` days expire, with a notice to both sides.
    Safe to run again: an expired introduction is no longer due."""
    now = now or timezone.now()
    due = Introduction.objects.filter(state=S.REQUESTED, expires_at__lte=now).order_by("id")
    expired = 0
    for introduction in due.iterator():
        try:
            set_introduction_state(SYSTEM, introduction, S.EXPIRED, now=now)
        except MatchError:  # answered meanwhile
            continue
        expired += 1
    return expired


def close_open_introductions(actor: Actor, *, demand=None, offering=None, reason: str) -> int:
    """Close the suggested and requested introductions of a closed demand or a withdrawn
    offering, so that nobody waits for an answer that cannot come."""
    qs = Introduction.objects.filter(state__in=[S.SUGGESTED, S.REQUESTED])
    if demand is not None:
        qs = qs.filter(demand=demand)
    if offering is not None:
        qs = qs.filter(offering=offering)
    closed = 0
    for introduction in qs.order_by("id"):
        set_introduction_state(_as_platform(actor), introduction, S.CLOSED, reason=reason)
        closed += 1
    return closed


def _as_platform(actor: Actor) -> Actor:
    """The actor as the platform: closing follow-ups of a listing change are not a side's
    decision about the pair, and may close either side's requests."""
    return Actor(
        user=actor.user,
        organization_id=actor.organization_id,
        organization_name=actor.organization_name,
        role=Role.OPERATOR,
        ip_address=actor.ip_address,
        extra={**dict(actor.extra), "on_behalf": "listing_change"},
    )


# --- consent (PIPL Art. 23) -----------------------------------------------------------------


def consent_purpose(introduction: Introduction, contact: Contact, side: str) -> str:
    other = _organization_of(introduction, other_side(side))
    return _(
        "Pass the name, title, phone and e-mail of %(person)s to %(org)s for the "
        "introduction “%(demand)s ↔ %(offering)s”, to arrange talks about it."
    ) % {
        "person": contact.name,
        "org": other.name,
        "demand": introduction.demand.title,
        "offering": introduction.offering.title,
    }


def _grant(actor: Actor, introduction: Introduction, contact: Contact, side) -> ConsentRecord:
    if side not in (Side.ENTERPRISE, Side.PROVIDER):
        raise MatchError("not_a_party", _("Only the two sides share their contacts."))
    if contact.organization_id != _organization_of(introduction, side).pk:
        raise MatchError(
            "bad_contact", _("Choose a contact person of your organisation."), field="contact"
        )
    existing = ConsentRecord.objects.filter(
        introduction=introduction, contact=contact, withdrawn_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    consent = ConsentRecord.objects.create(
        introduction=introduction,
        contact=contact,
        granted_by=user_of(actor),
        purpose=consent_purpose(introduction, contact, side),
    )
    audit(
        actor,
        "consent_granted",
        consent,
        context={"introduction": introduction.pk, "contact": contact.pk, "side": side},
    )
    return consent


def grant_consent(actor: Actor, introduction: Introduction, contact: Contact) -> ConsentRecord:
    """Record a contact person's consent to be passed to the other side of an introduction."""
    with transaction.atomic():
        locked = (
            Introduction.objects.select_for_update()
            .select_related("demand__enterprise", "offering__provider")
            .get(pk=introduction.pk)
        )
        if locked.state not in OPEN_STATES | {S.DEAL}:
            raise MatchError("ended", _("This introduction has ended."))
        side = side_for(actor, locked.demand, locked.offering)
        return _grant(actor, locked, contact, side)


def withdraw_consent(actor: Actor, consent: ConsentRecord, *, now=None) -> ConsentRecord:
    """The contact's details are no longer shown to the other side from now on."""
    with transaction.atomic():
        locked = (
            ConsentRecord.objects.select_for_update()
            .select_related("introduction__demand", "introduction__offering", "contact")
            .get(pk=consent.pk)
        )
        side = side_for(actor, locked.introduction.demand, locked.introduction.offering)
        owner = (
            locked.introduction.demand.enterprise_id
            if side == Side.ENTERPRISE
            else locked.introduction.offering.provider_id
            if side == Side.PROVIDER
            else None
        )
        if owner is None or locked.contact.organization_id != owner:
            raise MatchError("not_allowed", _("You cannot do this for this introduction."))
        if locked.withdrawn_at is not None:
            return locked
        locked.withdrawn_at = now or timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        audit(
            actor,
            "consent_withdrawn",
            locked,
            changes={"withdrawn_at": [None, locked.withdrawn_at.isoformat()]},
            context={"introduction": locked.introduction_id},
        )
    return locked
