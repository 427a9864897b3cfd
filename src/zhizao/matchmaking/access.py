"""Who may see and change which offering, demand, introduction and challenge. Every fetch goes
through here; a missing object and a forbidden one look the same (404).

- Offerings: providers and banks write their own; published offerings are seen by every
  logged-in member; drafts and withdrawn ones by their provider and by staff only.
- Demands: an enterprise writes its own; providers and banks see PUBLISHED demands only, and
  never the demand's contact person; drafts are private to the enterprise (and staff).
- Introductions: the two sides and operators. Contact persons of the other side are shown
  only after acceptance and only with that person's recorded consent (``shared_contacts``).
- Challenges: operators run them; providers and banks see them once opened; the public page
  (no login) shows open, reviewing and announced challenges, and the awards once announced.
- The funnel and the supply gaps: operators and officers."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from zhizao.accounts.roles import is_enterprise, is_operator, is_staff, is_supplier

from .enums import (
    CONNECTED_STATES,
    PUBLIC_CHALLENGE_STATES,
    DemandState,
    OfferingState,
    Side,
)
from .models import (
    Case,
    Challenge,
    ChallengeApplication,
    ConsentRecord,
    Demand,
    Introduction,
    Offering,
)


def can_view_funnel(membership) -> bool:
    return is_staff(membership)


# --- offerings ------------------------------------------------------------------------------


def offerings_for(membership):
    qs = Offering.objects.select_related("provider")
    if membership is None:
        return qs.none()
    if is_staff(membership):
        return qs
    if is_supplier(membership):
        return qs.filter(
            Q(state=OfferingState.PUBLISHED) | Q(provider_id=membership.organization_id)
        )
    return qs.filter(state=OfferingState.PUBLISHED)


def can_edit_offering(membership, offering: Offering) -> bool:
    return is_supplier(membership) and offering.provider_id == membership.organization_id


def access_offering(membership, pk, *, write: bool = False) -> Offering:
    offering = offerings_for(membership).filter(pk=pk).first()
    if offering is None or (write and not can_edit_offering(membership, offering)):
        raise Http404
    return offering


def access_case(membership, pk) -> Case:
    case = Case.objects.filter(pk=pk).first()
    if case is None:
        raise Http404
    access_offering(membership, case.offering_id, write=True)
    return case


# --- demands --------------------------------------------------------------------------------


def demands_for(membership):
    qs = Demand.objects.select_related("enterprise")
    if membership is None:
        return qs.none()
    if is_staff(membership):
        return qs
    if is_enterprise(membership):
        return qs.filter(enterprise_id=membership.organization_id)
    if is_supplier(membership):
        return qs.filter(state=DemandState.PUBLISHED)
    return qs.none()


def can_edit_demand(membership, demand: Demand) -> bool:
    return is_enterprise(membership) and demand.enterprise_id == membership.organization_id


def can_see_demand_contact(membership, demand: Demand) -> bool:
    """The demand's own contact person: the enterprise itself and staff. A provider sees a
    contact only through an accepted introduction with consent (``shared_contacts``)."""
    return can_edit_demand(membership, demand) or is_staff(membership)


def access_demand(membership, pk, *, write: bool = False) -> Demand:
    demand = demands_for(membership).filter(pk=pk).first()
    if demand is None or (write and not can_edit_demand(membership, demand)):
        raise Http404
    return demand


# --- introductions --------------------------------------------------------------------------


def introductions_for(membership):
    qs = Introduction.objects.select_related("demand__enterprise", "offering__provider")
    if membership is None:
        return qs.none()
    if is_operator(membership):
        return qs
    if is_enterprise(membership):
        return qs.filter(demand__enterprise_id=membership.organization_id)
    if is_supplier(membership):
        return qs.filter(offering__provider_id=membership.organization_id)
    return qs.none()


def side_of(membership, introduction: Introduction) -> str | None:
    """enterprise / provider for the two parties, None for anyone else (operators)."""
    if (
        is_enterprise(membership)
        and introduction.demand.enterprise_id == membership.organization_id
    ):
        return Side.ENTERPRISE
    if is_supplier(membership) and introduction.offering.provider_id == membership.organization_id:
        return Side.PROVIDER
    return None


def access_introduction(membership, pk, *, party: bool = False) -> Introduction:
    """``party``: only the two sides (for their actions); operators read every introduction."""
    introduction = introductions_for(membership).filter(pk=pk).first()
    if introduction is None or (party and side_of(membership, introduction) is None):
        raise Http404
    return introduction


def access_consent(membership, pk) -> ConsentRecord:
    consent = ConsentRecord.objects.select_related("contact").filter(pk=pk).first()
    if consent is None:
        raise Http404
    introduction = access_introduction(membership, consent.introduction_id, party=True)
    side = side_of(membership, introduction)
    owner = (
        introduction.demand.enterprise_id
        if side == Side.ENTERPRISE
        else introduction.offering.provider_id
    )
    if consent.contact.organization_id != owner:
        raise Http404
    return consent


def shared_contacts(introduction: Introduction, *, of_side: str) -> list:
    """The contact persons of ``of_side`` the other side may see: none before acceptance;
    afterwards those with a recorded, not withdrawn consent for this introduction."""
    if introduction.state not in CONNECTED_STATES:
        return []
    owner = (
        introduction.demand.enterprise_id
        if of_side == Side.ENTERPRISE
        else introduction.offering.provider_id
    )
    consents = (
        ConsentRecord.objects.filter(
            introduction=introduction,
            withdrawn_at__isnull=True,
            contact__organization_id=owner,
        )
        .select_related("contact")
        .order_by("contact_id", "-granted_at")
    )
    seen, out = set(), []
    for consent in consents:
        if consent.contact_id not in seen:
            seen.add(consent.contact_id)
            out.append(consent.contact)
    return out


def consents_of(introduction: Introduction, *, of_side: str):
    owner = (
        introduction.demand.enterprise_id
        if of_side == Side.ENTERPRISE
        else introduction.offering.provider_id
    )
    return (
        ConsentRecord.objects.filter(introduction=introduction, contact__organization_id=owner)
        .select_related("contact", "granted_by")
        .order_by("-granted_at", "-id")
    )


# --- challenges -----------------------------------------------------------------------------


def challenges_for(membership):
    qs = Challenge.objects.all()
    if is_staff(membership):
        return qs
    if membership is None:
        return qs.none()
    return qs.filter(state__in=PUBLIC_CHALLENGE_STATES)


def access_challenge(membership, pk, *, write: bool = False) -> Challenge:
    challenge = challenges_for(membership).filter(pk=pk).first()
    if challenge is None or (write and not is_operator(membership)):
        raise Http404
    return challenge


def public_challenges():
    return Challenge.objects.filter(state__in=PUBLIC_CHALLENGE_STATES)


def access_public_challenge(pk) -> Challenge:
    challenge = public_challenges().filter(pk=pk).first()
    if challenge is None:
        raise Http404
    return challenge


def applications_for(membership, challenge: Challenge):
    qs = challenge.applications.select_related("provider")
    if is_staff(membership):
        return qs
    if is_supplier(membership):
        return qs.filter(provider_id=membership.organization_id)
    return qs.none()


def access_application(membership, pk) -> ChallengeApplication:
    application = (
        ChallengeApplication.objects.select_related("challenge", "provider").filter(pk=pk).first()
    )
    if application is None or not is_operator(membership):
        raise Http404
    return application


def access_application_file(membership, pk) -> ChallengeApplication:
    application = (
        ChallengeApplication.objects.select_related("challenge", "provider").filter(pk=pk).first()
    )
    if application is None or not application.file:
        raise Http404
    if is_operator(membership) or (
        is_supplier(membership) and application.provider_id == membership.organization_id
    ):
        return application
    raise Http404
