"""The procurement area: a buyer's need posted during the event becomes a published
matchmaking demand (through matchmaking's services); its ranking puts the event's exhibitors'
offerings first, with matchmaking's reasons; one click turns a match into a meeting request."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.matchmaking import index
from zhizao.matchmaking import services as matchmaking
from zhizao.matchmaking.errors import MatchError
from zhizao.matchmaking.models import Offering

from ..enums import RegistrationState
from ..errors import EventError
from ..models import Booth, Event, ProcurementNeed, Registration
from .base import audit, not_allowed


def post_need(
    actor: Actor,
    event: Event,
    registration: Registration,
    *,
    title: str,
    description: str,
    category: str,
    region: str,
    industry: str = "",
) -> ProcurementNeed:
    """Post a need: a published demand of the buyer's organisation, linked to the event."""
    if registration.user_id != actor.user_id or registration.event_id != event.pk:
        raise not_allowed()
    if registration.state != RegistrationState.APPROVED:
        raise EventError("not_approved", _("Your registration is not approved."))
    try:
        with transaction.atomic():
            demand = matchmaking.save_and_publish_demand(
                actor,
                registration.organization,
                title=title,
                description=description,
                category=category,
                region=region,
                industry=industry,
            )
            need = ProcurementNeed.objects.create(
                event=event, registration=registration, demand=demand
            )
            audit(
                actor,
                "procurement_need_posted",
                need,
                context={"event": event.pk, "demand": demand.pk},
            )
    except MatchError as error:
        raise EventError(error.code, error.message, field=error.field) from None
    return need


@dataclass(frozen=True)
class RankedOffering:
    offering: Offering
    booth: Booth | None
    score: float
    reasons: list[dict]


def ranked_offerings(need: ProcurementNeed, *, top: int = 10) -> list[RankedOffering]:
    """The need's demand ranked by matchmaking, the event's exhibitors' offerings first (in
    their rank order), then the others."""
    matches = index.rank_offerings(need.demand, top=max(top * 5, 50))
    ids = [int(m.id) for m in matches]
    offerings = Offering.objects.select_related("provider").in_bulk(ids)
    booths = {
        b.exhibitor_id: b
        for b in Booth.objects.filter(event_id=need.event_id).select_related("zone__hall")
    }
    first, rest = [], []
    for match in matches:
        offering = offerings.get(int(match.id))
        if offering is None:
            continue
        item = RankedOffering(
            offering=offering,
            booth=booths.get(offering.provider_id),
            score=round(match.score, 4),
            reasons=index.reasons_json(match),
        )
        (first if item.booth is not None else rest).append(item)
    return (first + rest)[:top]


def exhibitor_registration(event: Event, organization_id: int) -> Registration | None:
    """Whom to ask for a meeting about an exhibitor's offering: an approved registration of
    the exhibitor organisation (its exhibitor type first)."""
    return (
        Registration.objects.filter(
            event=event, organization_id=organization_id, state=RegistrationState.APPROVED
        )
        .order_by("-type__kind", "id")
        .first()
    )
