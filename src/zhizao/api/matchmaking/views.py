"""Matchmaking API: offerings (with cases and the demands they fit), demands (with their
ranked matches), introductions with their state actions and shared contacts, open challenges
with applications, and the funnel. The same access rules (``zhizao.matchmaking.access``) and
services as the pages; a demand's contact person never appears for a provider, and the other
side's contacts only after acceptance and with consent."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status

from zhizao.accounts import roles
from zhizao.matchmaking import access, index, services, stats
from zhizao.matchmaking.enums import IntroductionState
from zhizao.matchmaking.errors import MatchError
from zhizao.matchmaking.models import Demand, Offering
from zhizao.registry.models import Contact

from ..common import ApiOperation, ErrorSerializer, actor, paged, paginated, parse, respond
from .serializers import (
    ApplicationInputSerializer,
    ApplicationListSerializer,
    ApplicationSerializer,
    CaseInputSerializer,
    CaseSerializer,
    ChallengeInputSerializer,
    ChallengeSerializer,
    ChallengeStateInputSerializer,
    ConsentInputSerializer,
    ConsentSerializer,
    DemandInputSerializer,
    DemandMatchesSerializer,
    DemandPatchSerializer,
    DemandQuery,
    DemandSerializer,
    FunnelQuery,
    FunnelSerializer,
    IntroductionActionSerializer,
    IntroductionInputSerializer,
    IntroductionQuery,
    IntroductionSerializer,
    OfferingDemandsSerializer,
    OfferingDetailSerializer,
    OfferingInputSerializer,
    OfferingPatchSerializer,
    OfferingQuery,
    OfferingSerializer,
    ReviewInputSerializer,
    TopQuery,
)

S = IntroductionState
TAGS = ["matchmaking"]
ERRORS = {400: ErrorSerializer}


def _own_contact(membership, contact_id, field: str) -> Contact | None:
    """A contact person of the acting organisation, or None when none was named."""
    if not contact_id:
        return None
    contact = Contact.objects.filter(
        pk=contact_id, organization_id=membership.organization_id
    ).first()
    if contact is None:
        raise MatchError(
            "bad_contact", _("Choose a contact person of your organisation."), field=field
        )
    return contact


# --- offerings ------------------------------------------------------------------------------


class OfferingListApi(ApiOperation):
    @extend_schema(
        parameters=[OfferingQuery],
        responses={200: paginated(OfferingSerializer), **ERRORS},
        summary="Offerings the caller may see (published; a provider's own in every state)",
        operation_id="matchmaking_offerings_list",
        tags=TAGS,
    )
    def get(self, request):
        membership = request.membership
        query = parse(OfferingQuery, request.query_params)
        qs = access.offerings_for(membership).order_by("-updated_at", "-id")
        if query.get("mine"):
            qs = qs.filter(provider_id=getattr(membership, "organization_id", None))
        if query.get("state"):
            qs = qs.filter(state=query["state"])
        return paged(request, self, qs, OfferingSerializer)

    @extend_schema(
        request=OfferingInputSerializer,
        responses={201: OfferingDetailSerializer, **ERRORS},
        summary="Create a draft offering (providers and banks); publish with PATCH state",
        operation_id="matchmaking_offerings_create",
        tags=TAGS,
    )
    def post(self, request):
        membership = request.membership
        if not roles.is_supplier(membership):
            raise Http404
        values = parse(OfferingInputSerializer, request.data)
        offering = services.create_offering(actor(request), membership.organization, **values)
        return respond(OfferingDetailSerializer, offering, status_code=status.HTTP_201_CREATED)


class OfferingDetailApi(ApiOperation):
    @extend_schema(
        responses=OfferingDetailSerializer,
        summary="An offering with its cases",
        operation_id="matchmaking_offering_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        return respond(OfferingDetailSerializer, access.access_offering(request.membership, pk))

    @extend_schema(
        request=OfferingPatchSerializer,
        responses={200: OfferingDetailSerializer, **ERRORS},
        summary="Change an offering (its provider); state: published|withdrawn",
        operation_id="matchmaking_offering_update",
        tags=TAGS,
    )
    def patch(self, request, pk):
        offering = access.access_offering(request.membership, pk, write=True)
        values = dict(parse(OfferingPatchSerializer, request.data, partial=True))
        offering = services.change_offering(actor(request), offering, **values)
        return respond(OfferingDetailSerializer, offering)


class OfferingCasesApi(ApiOperation):
    @extend_schema(
        request=CaseInputSerializer,
        responses={201: CaseSerializer, **ERRORS},
        summary="Add a case: title, customer_industry (GB/T 4754), region, result, year",
        operation_id="matchmaking_offering_cases_create",
        tags=TAGS,
    )
    def post(self, request, pk):
        offering = access.access_offering(request.membership, pk, write=True)
        values = parse(CaseInputSerializer, request.data)
        case = services.add_case(actor(request), offering, **values)
        return respond(CaseSerializer, case, status_code=status.HTTP_201_CREATED)


class OfferingDemandsApi(ApiOperation):
    @extend_schema(
        parameters=[TopQuery],
        responses={200: OfferingDemandsSerializer, **ERRORS},
        summary="Published demands the offering fits, ranked, with reasons (its provider)",
        operation_id="matchmaking_offering_demands",
        tags=TAGS,
    )
    def get(self, request, pk):
        offering = access.access_offering(request.membership, pk, write=True)
        top = parse(TopQuery, request.query_params)["top"]
        matches = index.rank_demands(offering, top=top)
        demands = Demand.objects.select_related("enterprise").in_bulk([int(m.id) for m in matches])
        found = [(m, demands[int(m.id)]) for m in matches if int(m.id) in demands]
        return respond(OfferingDemandsSerializer, {"results": found})


# --- demands --------------------------------------------------------------------------------


class DemandListApi(ApiOperation):
    @extend_schema(
        parameters=[DemandQuery],
        responses={200: paginated(DemandSerializer), **ERRORS},
        summary="Demands the caller may see (an enterprise: its own; providers: published)",
        operation_id="matchmaking_demands_list",
        tags=TAGS,
    )
    def get(self, request):
        membership = request.membership
        query = parse(DemandQuery, request.query_params)
        qs = access.demands_for(membership).select_related("contact").order_by("-updated_at", "-id")
        if query.get("category"):
            qs = qs.filter(category=query["category"])
        return paged(request, self, qs, DemandSerializer, membership=membership)

    @extend_schema(
        request=DemandInputSerializer,
        responses={201: DemandSerializer, **ERRORS},
        summary="Post a draft demand (enterprises); publish with PATCH state",
        operation_id="matchmaking_demands_create",
        tags=TAGS,
    )
    def post(self, request):
        membership = request.membership
        if not roles.is_enterprise(membership):
            raise Http404
        values = parse(DemandInputSerializer, request.data)
        demand = services.create_demand(actor(request), membership.organization, **values)
        return respond(
            DemandSerializer, demand, status_code=status.HTTP_201_CREATED, membership=membership
        )


class DemandDetailApi(ApiOperation):
    @extend_schema(
        responses=DemandSerializer,
        summary="A demand (its contact person only for the enterprise itself and staff)",
        operation_id="matchmaking_demand_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        membership = request.membership
        demand = access.access_demand(membership, pk)
        return respond(DemandSerializer, demand, membership=membership)

    @extend_schema(
        request=DemandPatchSerializer,
        responses={200: DemandSerializer, **ERRORS},
        summary="Change a demand (its enterprise); state: published|closed",
        operation_id="matchmaking_demand_update",
        tags=TAGS,
    )
    def patch(self, request, pk):
        membership = request.membership
        demand = access.access_demand(membership, pk, write=True)
        values = dict(parse(DemandPatchSerializer, request.data, partial=True))
        demand = services.change_demand(actor(request), demand, **values)
        return respond(DemandSerializer, demand, membership=membership)


class DemandMatchesApi(ApiOperation):
    @extend_schema(
        parameters=[TopQuery],
        responses={200: DemandMatchesSerializer, **ERRORS},
        summary="Offerings ranked for the demand, with reasons and highlights (its enterprise)",
        operation_id="matchmaking_demand_matches",
        tags=TAGS,
    )
    def get(self, request, pk):
        membership = request.membership
        demand = access.access_demand(membership, pk)
        if not (access.can_edit_demand(membership, demand) or roles.is_staff(membership)):
            raise Http404
        top = parse(TopQuery, request.query_params)["top"]
        matches = index.rank_offerings(demand, top=top)
        offerings = Offering.objects.select_related("provider").in_bulk(
            [int(m.id) for m in matches]
        )
        found = [(m, offerings[int(m.id)]) for m in matches if int(m.id) in offerings]
        return respond(DemandMatchesSerializer, {"results": found})


# --- introductions --------------------------------------------------------------------------


class IntroductionListApi(ApiOperation):
    @extend_schema(
        parameters=[IntroductionQuery],
        responses={200: paginated(IntroductionSerializer), **ERRORS},
        summary="Introductions of the caller's organisation (operators: all)",
        operation_id="matchmaking_introductions_list",
        tags=TAGS,
    )
    def get(self, request):
        membership = request.membership
        query = parse(IntroductionQuery, request.query_params)
        qs = access.introductions_for(membership).order_by("-updated_at", "-id")
        if query.get("state"):
            qs = qs.filter(state=query["state"])
        return paged(request, self, qs, IntroductionSerializer, membership=membership)

    @extend_schema(
        request=IntroductionInputSerializer,
        responses={201: IntroductionSerializer, **ERRORS},
        summary="Request an introduction: demand, offering, message, share_contact (contact id)",
        operation_id="matchmaking_introductions_create",
        tags=TAGS,
    )
    def post(self, request):
        membership = request.membership
        data = parse(IntroductionInputSerializer, request.data)
        demand = access.access_demand(membership, data.get("demand") or 0)
        offering = access.access_offering(membership, data.get("offering") or 0)
        introduction = services.request_introduction(
            actor(request),
            demand=demand,
            offering=offering,
            message=data.get("message", ""),
            share_contact=_own_contact(membership, data.get("share_contact"), "share_contact"),
        )
        return respond(
            IntroductionSerializer,
            introduction,
            status_code=status.HTTP_201_CREATED,
            membership=membership,
        )


class IntroductionDetailApi(ApiOperation):
    @extend_schema(
        responses=IntroductionSerializer,
        summary="An introduction with the other side's contacts (after acceptance, with consent)",
        operation_id="matchmaking_introduction_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        membership = request.membership
        introduction = access.access_introduction(membership, pk)
        return respond(IntroductionSerializer, introduction, membership=membership)


ACTIONS = {
    "request": S.REQUESTED,
    "accept": S.ACCEPTED,
    "decline": S.DECLINED,
    "meet": S.MET,
    "deal": S.DEAL,
    "close": S.CLOSED,
}


class IntroductionActionApi(ApiOperation):
    @extend_schema(
        request=IntroductionActionSerializer,
        responses={200: IntroductionSerializer, **ERRORS},
        summary="Move an introduction: request|accept|decline|meet|deal|close "
        "(message, reason, note, value_yuan + evidence file, share_contact)",
        operation_id="matchmaking_introduction_action",
        tags=TAGS,
    )
    def post(self, request, pk, action):
        membership = request.membership
        if action not in ACTIONS:
            raise Http404
        party = not (action == "close" and roles.is_operator(membership))
        introduction = access.access_introduction(membership, pk, party=party)
        data = parse(IntroductionActionSerializer, request.data)
        introduction = services.set_introduction_state(
            actor(request),
            introduction,
            ACTIONS[action],
            message=data.get("message", ""),
            reason=data.get("reason", ""),
            note=data.get("note", ""),
            value_yuan=data.get("value_yuan"),
            evidence=data.get("evidence"),
            share_contact=_own_contact(membership, data.get("share_contact"), "share_contact"),
        )
        return respond(IntroductionSerializer, introduction, membership=membership)


class IntroductionConsentApi(ApiOperation):
    @extend_schema(
        request=ConsentInputSerializer,
        responses={201: ConsentSerializer, **ERRORS},
        summary="Record a contact person's consent to be passed on (contact: id of one of ours)",
        operation_id="matchmaking_introduction_consent",
        tags=TAGS,
    )
    def post(self, request, pk):
        membership = request.membership
        introduction = access.access_introduction(membership, pk, party=True)
        data = parse(ConsentInputSerializer, request.data)
        contact = _own_contact(membership, data.get("contact"), "contact")
        if contact is None:
            raise MatchError(
                "bad_contact", _("Choose a contact person of your organisation."), field="contact"
            )
        consent = services.grant_consent(actor(request), introduction, contact)
        return respond(ConsentSerializer, consent, status_code=status.HTTP_201_CREATED)


# --- challenges -----------------------------------------------------------------------------


class ChallengeListApi(ApiOperation):
    @extend_schema(
        responses={200: paginated(ChallengeSerializer)},
        summary="Open challenges (operators: drafts too)",
        operation_id="matchmaking_challenges_list",
        tags=TAGS,
    )
    def get(self, request):
        qs = access.challenges_for(request.membership).order_by("-created_at", "-id")
        return paged(request, self, qs, ChallengeSerializer)

    @extend_schema(
        request=ChallengeInputSerializer,
        responses={201: ChallengeSerializer, **ERRORS},
        summary="Create a draft challenge (operators): title, description, category, "
        "eligibility {region_prefix, certifications, min_cases}, budget_yuan, deadline",
        operation_id="matchmaking_challenges_create",
        tags=TAGS,
    )
    def post(self, request):
        if not roles.is_operator(request.membership):
            raise Http404
        values = parse(ChallengeInputSerializer, request.data)
        challenge = services.create_challenge(actor(request), **values)
        return respond(ChallengeSerializer, challenge, status_code=status.HTTP_201_CREATED)


class ChallengeDetailApi(ApiOperation):
    @extend_schema(
        responses=ChallengeSerializer,
        summary="A challenge",
        operation_id="matchmaking_challenge_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        return respond(ChallengeSerializer, access.access_challenge(request.membership, pk))


class ChallengeStateApi(ApiOperation):
    @extend_schema(
        request=ChallengeStateInputSerializer,
        responses={200: ChallengeSerializer, **ERRORS},
        summary="Move a challenge (operators): state open|reviewing|announced (+ announcement)",
        operation_id="matchmaking_challenge_state",
        tags=TAGS,
    )
    def post(self, request, pk):
        challenge = access.access_challenge(request.membership, pk, write=True)
        data = parse(ChallengeStateInputSerializer, request.data)
        challenge = services.set_challenge_state(
            actor(request),
            challenge,
            data.get("state", ""),
            announcement=data.get("announcement", ""),
        )
        return respond(ChallengeSerializer, challenge)


class ChallengeApplicationsApi(ApiOperation):
    @extend_schema(
        responses=ApplicationListSerializer,
        summary="Applications (operators: all; a provider: its own)",
        operation_id="matchmaking_challenge_applications_list",
        tags=TAGS,
    )
    def get(self, request, pk):
        membership = request.membership
        challenge = access.access_challenge(membership, pk)
        qs = access.applications_for(membership, challenge).order_by("id")
        return respond(ApplicationListSerializer, {"results": qs})

    @extend_schema(
        request=ApplicationInputSerializer,
        responses={201: ApplicationSerializer, **ERRORS},
        summary="Apply (providers and banks that meet the eligibility rules): proposal, file",
        operation_id="matchmaking_challenge_applications_create",
        tags=TAGS,
    )
    def post(self, request, pk):
        membership = request.membership
        challenge = access.access_challenge(membership, pk)
        if not roles.is_supplier(membership):
            raise Http404
        data = parse(ApplicationInputSerializer, request.data)
        application = services.apply_to_challenge(
            actor(request),
            challenge,
            membership.organization,
            proposal=data.get("proposal", ""),
            file=data.get("file"),
        )
        return respond(ApplicationSerializer, application, status_code=status.HTTP_201_CREATED)


class ApplicationReviewApi(ApiOperation):
    @extend_schema(
        request=ReviewInputSerializer,
        responses={200: ApplicationSerializer, **ERRORS},
        summary="Review an application (operators): state shortlisted|rejected|awarded, note, score",
        operation_id="matchmaking_application_review",
        tags=TAGS,
    )
    def post(self, request, pk):
        application = access.access_application(request.membership, pk)
        data = parse(ReviewInputSerializer, request.data)
        application = services.review_application(
            actor(request),
            application,
            data.get("state", ""),
            note=data.get("note", ""),
            score=data.get("score"),
        )
        return respond(ApplicationSerializer, application)


# --- funnel ---------------------------------------------------------------------------------


class FunnelApi(ApiOperation):
    @extend_schema(
        parameters=[FunnelQuery],
        responses={200: FunnelSerializer, **ERRORS},
        summary="The introduction funnel, total and by category|city|provider (staff)",
        operation_id="matchmaking_funnel",
        tags=TAGS,
    )
    def get(self, request):
        if not access.can_view_funnel(request.membership):
            raise Http404
        by = parse(FunnelQuery, request.query_params).get("by")
        body = {"total": stats.funnel()}
        if by:
            body["by"] = by
            body["rows"] = stats.funnel_by(by)
        return respond(FunnelSerializer, body)
