"""Exhibitors' writes: filling the booth (offerings linked from matchmaking, never copied;
cases, documents and videos as links; staff on duty), booth visits with the visitor's consent,
and leads (a visitor's badge scanned, a note, a rating)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhizao.common.audit import Actor
from zhizao.common.services import changes_between, snapshot
from zhizao.matchmaking.enums import OfferingState
from zhizao.matchmaking.models import Offering

from ..access import can_edit_booth
from ..enums import RegistrationState
from ..errors import EventError
from ..models import Booth, BoothVisit, Lead, Registration
from ..search import booth_search_text
from .base import audit, links, names, not_allowed, text, touch_public, user_of
from .registration import normalize_badge

BOOTH_FIELDS = ("introduction", "cases", "documents", "videos", "staff_on_duty")


def fill_booth(
    actor: Actor,
    booth: Booth,
    *,
    offerings=None,
    introduction: str | None = None,
    cases=None,
    documents=None,
    videos=None,
    staff_on_duty=None,
) -> Booth:
    """The exhibitor fills its booth. ``offerings``: ids or objects of its own published
    offerings (linked, not copied)."""
    if not can_edit_booth(actor, booth):
        raise not_allowed()
    values = {}
    if introduction is not None:
        values["introduction"] = text(
            introduction,
            field="introduction",
            label=pgettext("booth", "Introduction"),
            max_length=5000,
        )
    if cases is not None:
        values["cases"] = names(cases, field="cases", max_length=200)
    if documents is not None:
        values["documents"] = links(documents, field="documents")
    if videos is not None:
        values["videos"] = links(videos, field="videos")
    if staff_on_duty is not None:
        values["staff_on_duty"] = names(staff_on_duty, field="staff_on_duty")
    chosen = None
    if offerings is not None:
        ids = [getattr(o, "pk", o) for o in offerings]
        chosen = list(
            Offering.objects.filter(
                pk__in=ids, provider_id=booth.exhibitor_id, state=OfferingState.PUBLISHED
            )
        )
        if len(chosen) != len(set(ids)):
            raise EventError(
                "bad_offering", _("Choose published offerings of your own."), field="offerings"
            )
    with transaction.atomic():
        locked = Booth.objects.select_for_update().select_related("exhibitor").get(pk=booth.pk)
        before = snapshot(locked, BOOTH_FIELDS)
        before_offerings = sorted(locked.offerings.values_list("pk", flat=True))
        for name, value in values.items():
            setattr(locked, name, value)
        if chosen is not None:
            locked.offerings.set(chosen)
        current = list(locked.offerings.all())
        locked.search_text = booth_search_text(locked, current)
        locked.save(update_fields=[*values, "search_text"])
        changes = changes_between(before, snapshot(locked, BOOTH_FIELDS))
        after_offerings = sorted(o.pk for o in current)
        if after_offerings != before_offerings:
            changes["offerings"] = [before_offerings, after_offerings]
        if changes:
            audit(actor, "booth_updated", locked, changes=changes)
            touch_public(locked.event_id)
    return locked


def record_visit(
    actor: Actor,
    booth: Booth,
    registration: Registration,
    *,
    shares_contact: bool = False,
    now: dt.datetime | None = None,
) -> BoothVisit:
    """A visitor (its own registration) visits a booth, and may share its contact with this
    exhibitor; visiting again can give or withdraw that consent."""
    if registration.user_id != actor.user_id or registration.event_id != booth.event_id:
        raise not_allowed()
    with transaction.atomic():
        visit, created = BoothVisit.objects.select_for_update().get_or_create(
            booth=booth,
            registration=registration,
            defaults={"at": now or timezone.now(), "shares_contact": shares_contact},
        )
        if created:
            audit(
                actor,
                "booth_visited",
                visit,
                context={"booth": booth.pk, "shares_contact": shares_contact},
            )
        elif visit.shares_contact != shares_contact:
            before = visit.shares_contact
            visit.shares_contact = shares_contact
            visit.save(update_fields=["shares_contact"])
            audit(
                actor,
                "visit_consent",
                visit,
                changes={"shares_contact": [before, shares_contact]},
            )
    return visit


def collect_lead(
    actor: Actor, booth: Booth, *, badge_code: str, note: str = "", rating: int = 3
) -> Lead:
    """The exhibitor's staff scan a visitor's badge at its booth: a lead with a note and a
    rating (1–5). Scanning again updates the note and rating."""
    if not can_edit_booth(actor, booth):
        raise not_allowed()
    registration = Registration.objects.filter(
        event_id=booth.event_id, badge_code=normalize_badge(badge_code)
    ).first()
    if registration is None or registration.state != RegistrationState.APPROVED:
        raise EventError("unknown_badge", _("No badge with this code at this event."), field="code")
    if registration.organization_id == booth.exhibitor_id:
        raise EventError("own_staff", _("This is a badge of your own organisation."), field="code")
    note = text(note, field="note", label=_("Note"), max_length=2000)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise EventError("bad_rating", _("The rating is 1 to 5."), field="rating")
    with transaction.atomic():
        lead, created = Lead.objects.select_for_update().get_or_create(
            booth=booth,
            registration=registration,
            defaults={"note": note, "rating": rating, "created_by": user_of(actor)},
        )
        if created:
            audit(actor, "lead_collected", lead, context={"booth": booth.pk})
        else:
            before = snapshot(lead, ("note", "rating"))
            lead.note, lead.rating = note, rating
            lead.save(update_fields=["note", "rating"])
            changes = changes_between(before, snapshot(lead, ("note", "rating")))
            if changes:
                audit(actor, "lead_updated", lead, changes=changes)
    return lead
