"""Match suggestions (issue 16): when a demand is published, the providers of its best matches
are told; when an offering is published, the enterprises whose open demands it fits. A few per
listing (``PER_LISTING`` organisations, each at most once), only good matches (all must-haves
met, fit ≥ ``MIN_FIT``), never the same organisation over and over (``DAILY_CAP`` a day), and
never an organisation that turned suggestions off. Run in the background by the tasks the
publishing services enqueue; safe to run twice (one ``MatchSuggestion`` per pair and
direction)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.accounts.roles import is_enterprise, is_supplier
from zhizao.common.audit import SYSTEM, Actor
from zhizao.common.notifications import notify
from zhizao.registry.models import Organization

from .. import index
from ..enums import DemandState, OfferingState, SuggestionDirection
from ..errors import MatchError
from ..models import Demand, MatchSuggestion, Offering, SuggestionPreference
from .base import audit

#: organisations told per published listing
PER_LISTING = 3
#: how far down the ranking candidates are looked for
DEPTH = 10
#: suggestions one organisation receives per day, whatever the number of listings published
DAILY_CAP = 5
#: only good matches are suggested: every must-have met and at least this fit (0–100)
MIN_FIT = 50


def suggestions_enabled(organization_id: int) -> bool:
    pref = SuggestionPreference.objects.filter(organization_id=organization_id).first()
    return True if pref is None else pref.enabled


def set_suggestion_preference(
    actor: Actor, organization: Organization, *, enabled: bool
) -> SuggestionPreference:
    """Turn match suggestions on or off for the organisation the actor acts for."""
    if actor.organization_id != organization.pk:
        raise MatchError("not_yours", _("You can change this only for your own organisation."))
    with transaction.atomic():
        pref, _created = SuggestionPreference.objects.select_for_update().get_or_create(
            organization=organization
        )
        before = pref.enabled
        if before != bool(enabled):
            pref.enabled = bool(enabled)
            pref.save(update_fields=["enabled", "updated_at"])
            audit(
                actor,
                "suggestion_preference",
                pref,
                changes={"enabled": [before, pref.enabled]},
            )
    return pref


def _day_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _send(demand, offering, direction, recipient, fit, now) -> bool:
    """One suggestion, if the recipient is under its daily cap and was not told of this pair
    yet; the recipient's row is locked so that two tasks cannot both pass the cap."""
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=recipient.pk).first()
        sent_today = MatchSuggestion.objects.filter(
            recipient=recipient, created_at__gte=_day_start(now)
        ).count()
        if sent_today >= DAILY_CAP:
            return False
        suggestion, created = MatchSuggestion.objects.get_or_create(
            demand=demand,
            offering=offering,
            direction=direction,
            defaults={"recipient": recipient, "fit": fit},
        )
        if not created:
            return False
        if direction == SuggestionDirection.TO_PROVIDER:
            title = _("A new demand fits your offering “%(offering)s”") % {
                "offering": offering.title
            }
            body = _(
                "“%(demand)s” (fit %(fit)s/100). Open it to see why and ask for an introduction."
            ) % {
                "demand": demand.title,
                "fit": fit,
            }
            link = reverse("matchmaking:demand_detail", args=[demand.pk])
        else:
            title = _("A new offering fits your demand “%(demand)s”") % {"demand": demand.title}
            body = _(
                "“%(offering)s” (fit %(fit)s/100). Open it to see why and ask for an introduction."
            ) % {
                "offering": offering.title,
                "fit": fit,
            }
            link = reverse("matchmaking:offering_detail", args=[offering.pk])
        notify(recipient, title=title, body=body, link=link)
        audit(
            SYSTEM,
            "match_suggested",
            suggestion,
            context={"direction": direction, "fit": fit, "recipient": recipient.pk},
        )
    return True


def suggest_matches_for_demand(demand_id: int, *, now: dt.datetime | None = None) -> int:
    """Tell the providers of a newly published demand's best matches; returns how many."""
    now = now or timezone.now()
    demand = Demand.objects.filter(pk=demand_id, state=DemandState.PUBLISHED).first()
    if demand is None:
        return 0
    matches = index.rank_offerings(demand, top=DEPTH)
    offerings = (
        Offering.objects.filter(state=OfferingState.PUBLISHED)
        .select_related("provider")
        .in_bulk([int(m.id) for m in matches])
    )
    told: set[int] = {demand.enterprise_id}
    sent = 0
    for match in matches:
        offering = offerings.get(int(match.id))
        if sent >= PER_LISTING:
            break
        if offering is None or not match.meets_all or match.fit < MIN_FIT:
            continue
        provider = offering.provider
        if provider.pk in told or not suggestions_enabled(provider.pk):
            continue
        told.add(provider.pk)
        sent += _send(demand, offering, SuggestionDirection.TO_PROVIDER, provider, match.fit, now)
    return sent


def suggest_matches_for_offering(offering_id: int, *, now: dt.datetime | None = None) -> int:
    """Tell the enterprises whose open demands a newly published offering fits; returns how
    many."""
    now = now or timezone.now()
    offering = Offering.objects.filter(pk=offering_id, state=OfferingState.PUBLISHED).first()
    if offering is None:
        return 0
    matches = index.rank_demands(offering, top=DEPTH)
    demands = (
        Demand.objects.filter(state=DemandState.PUBLISHED)
        .select_related("enterprise")
        .in_bulk([int(m.id) for m in matches])
    )
    told: set[int] = {offering.provider_id}
    sent = 0
    for match in matches:
        demand = demands.get(int(match.id))
        if sent >= PER_LISTING:
            break
        if demand is None or not match.meets_all or match.fit < MIN_FIT:
            continue
        enterprise = demand.enterprise
        if enterprise.pk in told or not suggestions_enabled(enterprise.pk):
            continue
        told.add(enterprise.pk)
        sent += _send(
            demand, offering, SuggestionDirection.TO_ENTERPRISE, enterprise, match.fit, now
        )
    return sent


def may_set_suggestions(membership) -> bool:
    """Enterprises (demands) and suppliers (offerings) receive suggestions and may turn them off."""
    return is_enterprise(membership) or is_supplier(membership)
