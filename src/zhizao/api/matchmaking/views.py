"""Matchmaking API: offerings (with cases and the demands they fit), demands (with their
ranked matches), introductions with their state actions and shared contacts, open challenges
with applications, and the funnel. The same access rules (``zhizao.matchmaking.access``) and
services as the pages; a demand's contact person never appears for a provider, and the other
side's contacts only after acceptance and with consent."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from zhizao.accounts import roles
from zhizao.accounts.selectors import actor_for_request, membership_for_request
from zhizao.matchmaking import access, index, services, stats
from zhizao.matchmaking.enums import FUNNEL, IntroductionState, Side
from zhizao.matchmaking.errors import MatchError
from zhizao.matchmaking.models import Challenge, Demand, Introduction, Offering
from zhizao.matchmaking.presentation import lang
from zhizao.registry.models import Contact

from ..pagination import StandardPagination
from ..permissions import ActsInMembership

S = IntroductionState


def _membership(request):
    return membership_for_request(request._request)


def _actor(request):
    return actor_for_request(request._request)


def _error(exc: MatchError, code=status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"code": exc.code, "detail": exc.message, "field": exc.field}, status=code)


def _money(value) -> str | None:
    return None if value is None else str(value)


def _time(value) -> str | None:
    return value.isoformat() if value else None


def _paged(request, view, qs, to_json):
    paginator = StandardPagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response([to_json(o) for o in page])


def _pick(data, fields) -> dict:
    return {k: data[k] for k in fields if k in data}


def _match_json(match) -> dict:
    return {
        match.side: int(match.id),
        "score": round(match.score, 4),
        "meets_all": match.meets_all,
        "reasons": [r.text(lang()) for r in match.reasons],
        "missing": [c.requirement.label for c in match.checks if not c.met],
        "highlights": list(match.highlights),
    }


# --- offerings ------------------------------------------------------------------------------

OFFERING_INPUT = (
    "kind",
    "title",
    "description",
    "categories",
    "industries",
    "regions",
    "certifications",
    "price_min_yuan",
    "price_max_yuan",
)


def offering_json(o: Offering, cases=None) -> dict:
    data = {
        "id": o.pk,
        "provider": {"id": o.provider_id, "name": o.provider.name},
        "kind": o.kind,
        "title": o.title,
        "description": o.description,
        "categories": o.categories,
        "industries": o.industries,
        "regions": o.regions,
        "certifications": o.certifications,
        "price_min_yuan": _money(o.price_min_yuan),
        "price_max_yuan": _money(o.price_max_yuan),
        "state": o.state,
        "updated_at": _time(o.updated_at),
    }
    if cases is not None:
        data["cases"] = [
            {
                "id": c.pk,
                "title": c.title,
                "industry": c.customer_industry,
                "region": c.region,
                "result": c.result,
                "year": c.year,
            }
            for c in cases
        ]
    return data


class OfferingListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Offerings the caller may see (published; a provider's own in every state)",
        operation_id="matchmaking_offerings_list",
    )
    def get(self, request):
        membership = _membership(request)
        qs = access.offerings_for(membership).order_by("-updated_at", "-id")
        if request.query_params.get("mine") == "1":
            qs = qs.filter(provider_id=getattr(membership, "organization_id", None))
        if request.query_params.get("state"):
            qs = qs.filter(state=request.query_params["state"])
        return _paged(request, self, qs, offering_json)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Create a draft offering (providers and banks); publish with PATCH state",
        operation_id="matchmaking_offerings_create",
    )
    def post(self, request):
        membership = _membership(request)
        if not roles.is_supplier(membership):
            raise Http404
        try:
            offering = services.create_offering(
                _actor(request), membership.organization, **_pick(request.data, OFFERING_INPUT)
            )
        except MatchError as exc:
            return _error(exc)
        return Response(offering_json(offering, []), status=status.HTTP_201_CREATED)


class OfferingDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="An offering with its cases",
        operation_id="matchmaking_offering_retrieve",
    )
    def get(self, request, pk):
        offering = access.access_offering(_membership(request), pk)
        return Response(offering_json(offering, offering.cases.order_by("-year", "id")))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Change an offering (its provider); state: published|withdrawn",
        operation_id="matchmaking_offering_update",
    )
    def patch(self, request, pk):
        offering = access.access_offering(_membership(request), pk, write=True)
        try:
            values = _pick(request.data, OFFERING_INPUT)
            if values:
                offering = services.update_offering(_actor(request), offering, **values)
            if request.data.get("state") and request.data["state"] != offering.state:
                offering = services.set_offering_state(
                    _actor(request), offering, request.data["state"]
                )
        except MatchError as exc:
            return _error(exc)
        return Response(offering_json(offering, offering.cases.order_by("-year", "id")))


class OfferingCasesApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Add a case: title, customer_industry (GB/T 4754), region, result, year",
        operation_id="matchmaking_offering_cases_create",
    )
    def post(self, request, pk):
        offering = access.access_offering(_membership(request), pk, write=True)
        data = request.data
        try:
            case = services.add_case(
                _actor(request),
                offering,
                **_pick(data, ("title", "customer_industry", "region", "result", "year")),
            )
        except MatchError as exc:
            return _error(exc)
        return Response({"id": case.pk, "title": case.title}, status=status.HTTP_201_CREATED)


class OfferingDemandsApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Published demands the offering fits, ranked, with reasons (its provider)",
        operation_id="matchmaking_offering_demands",
    )
    def get(self, request, pk):
        offering = access.access_offering(_membership(request), pk, write=True)
        top = min(max(int(request.query_params.get("top") or 10), 1), 50)
        matches = index.rank_demands(offering, top=top)
        demands = Demand.objects.select_related("enterprise").in_bulk([int(m.id) for m in matches])
        out = []
        for m in matches:
            d = demands.get(int(m.id))
            if d is not None:
                out.append({**_match_json(m), "summary": demand_summary_json(d)})
        return Response({"results": out})


# --- demands --------------------------------------------------------------------------------

DEMAND_INPUT = (
    "title",
    "description",
    "category",
    "industry",
    "region",
    "budget_band",
    "timeline",
    "needed_by",
    "must",
    "nice",
    "contact",
)


def demand_summary_json(d: Demand) -> dict:
    """What anyone who may see a demand sees: never the contact person."""
    return {
        "id": d.pk,
        "enterprise": {"id": d.enterprise_id, "name": d.enterprise.name},
        "title": d.title,
        "description": d.description,
        "category": d.category,
        "industry": d.industry,
        "region": d.region,
        "budget_band": d.budget_band,
        "budget_min_yuan": _money(d.budget_min_yuan),
        "budget_max_yuan": _money(d.budget_max_yuan),
        "timeline": d.timeline,
        "needed_by": d.needed_by.isoformat() if d.needed_by else None,
        "must": d.must,
        "nice": d.nice,
        "state": d.state,
        "updated_at": _time(d.updated_at),
    }


def contact_json(c: Contact | None) -> dict | None:
    if c is None:
        return None
    return {"id": c.pk, "name": c.name, "title": c.title, "phone": c.phone, "email": c.email}


def demand_json(d: Demand, membership) -> dict:
    data = demand_summary_json(d)
    if access.can_see_demand_contact(membership, d):
        data["contact"] = contact_json(d.contact)
    return data


def _demand_values(data) -> dict:
    values = _pick(data, DEMAND_INPUT)
    if values.get("needed_by"):
        try:
            values["needed_by"] = dt.date.fromisoformat(str(values["needed_by"]))
        except ValueError:
            raise MatchError("bad_date", "needed_by: YYYY-MM-DD", field="needed_by") from None
    return values


class DemandListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Demands the caller may see (an enterprise: its own; providers: published)",
        operation_id="matchmaking_demands_list",
    )
    def get(self, request):
        membership = _membership(request)
        qs = access.demands_for(membership).select_related("contact").order_by("-updated_at", "-id")
        if request.query_params.get("category"):
            qs = qs.filter(category=request.query_params["category"])
        return _paged(request, self, qs, lambda d: demand_json(d, membership))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Post a draft demand (enterprises); publish with PATCH state",
        operation_id="matchmaking_demands_create",
    )
    def post(self, request):
        membership = _membership(request)
        if not roles.is_enterprise(membership):
            raise Http404
        try:
            demand = services.create_demand(
                _actor(request), membership.organization, **_demand_values(request.data)
            )
        except MatchError as exc:
            return _error(exc)
        return Response(demand_json(demand, membership), status=status.HTTP_201_CREATED)


class DemandDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="A demand (its contact person only for the enterprise itself and staff)",
        operation_id="matchmaking_demand_retrieve",
    )
    def get(self, request, pk):
        membership = _membership(request)
        return Response(demand_json(access.access_demand(membership, pk), membership))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Change a demand (its enterprise); state: published|closed",
        operation_id="matchmaking_demand_update",
    )
    def patch(self, request, pk):
        membership = _membership(request)
        demand = access.access_demand(membership, pk, write=True)
        try:
            values = _demand_values(request.data)
            if values:
                demand = services.update_demand(_actor(request), demand, **values)
            if request.data.get("state") and request.data["state"] != demand.state:
                demand = services.set_demand_state(_actor(request), demand, request.data["state"])
        except MatchError as exc:
            return _error(exc)
        return Response(demand_json(demand, membership))


class DemandMatchesApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Offerings ranked for the demand, with reasons and highlights (its enterprise)",
        operation_id="matchmaking_demand_matches",
    )
    def get(self, request, pk):
        membership = _membership(request)
        demand = access.access_demand(membership, pk)
        if not (access.can_edit_demand(membership, demand) or roles.is_staff(membership)):
            raise Http404
        top = min(max(int(request.query_params.get("top") or 10), 1), 50)
        matches = index.rank_offerings(demand, top=top)
        offerings = Offering.objects.select_related("provider").in_bulk(
            [int(m.id) for m in matches]
        )
        return Response(
            {
                "results": [
                    {**_match_json(m), "summary": offering_json(offerings[int(m.id)])}
                    for m in matches
                    if int(m.id) in offerings
                ]
            }
        )


# --- introductions --------------------------------------------------------------------------


def introduction_json(i: Introduction, membership) -> dict:
    side = access.side_of(membership, i)
    other = (Side.PROVIDER if side == Side.ENTERPRISE else Side.ENTERPRISE) if side else None
    return {
        "id": i.pk,
        "demand": {
            "id": i.demand_id,
            "title": i.demand.title,
            "enterprise": i.demand.enterprise.name,
        },
        "offering": {
            "id": i.offering_id,
            "title": i.offering.title,
            "provider": i.offering.provider.name,
        },
        "requested_by": i.requested_by or None,
        "message": i.message,
        "state": i.state,
        "requested_at": _time(i.requested_at),
        "expires_at": _time(i.expires_at),
        "accepted_at": _time(i.accepted_at),
        "met_at": _time(i.met_at),
        "deal_at": _time(i.deal_at),
        "deal_value_yuan": _money(i.deal_value_yuan),
        "closed_reason": i.closed_reason,
        "score": i.score,
        "reasons": i.reasons,
        "side": side,
        # the other side's people: after acceptance, with consent only
        "contacts": [contact_json(c) for c in access.shared_contacts(i, of_side=other)]
        if other
        else [],
    }


class IntroductionListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Introductions of the caller's organisation (operators: all)",
        operation_id="matchmaking_introductions_list",
    )
    def get(self, request):
        membership = _membership(request)
        qs = access.introductions_for(membership).order_by("-updated_at", "-id")
        if request.query_params.get("state"):
            qs = qs.filter(state=request.query_params["state"])
        return _paged(request, self, qs, lambda i: introduction_json(i, membership))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Request an introduction: demand, offering, message, share_contact (contact id)",
        operation_id="matchmaking_introductions_create",
    )
    def post(self, request):
        membership = _membership(request)
        data = request.data
        demand = access.access_demand(membership, data.get("demand") or 0)
        offering = access.access_offering(membership, data.get("offering") or 0)
        share = None
        if data.get("share_contact"):
            share = Contact.objects.filter(
                pk=data["share_contact"], organization_id=membership.organization_id
            ).first()
            if share is None:
                return _error(MatchError("bad_contact", "share_contact", field="share_contact"))
        try:
            introduction = services.request_introduction(
                _actor(request),
                demand=demand,
                offering=offering,
                message=data.get("message", ""),
                share_contact=share,
            )
        except MatchError as exc:
            return _error(exc)
        return Response(introduction_json(introduction, membership), status=status.HTTP_201_CREATED)


class IntroductionDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="An introduction with the other side's contacts (after acceptance, with consent)",
        operation_id="matchmaking_introduction_retrieve",
    )
    def get(self, request, pk):
        membership = _membership(request)
        return Response(introduction_json(access.access_introduction(membership, pk), membership))


ACTIONS = {
    "request": S.REQUESTED,
    "accept": S.ACCEPTED,
    "decline": S.DECLINED,
    "meet": S.MET,
    "deal": S.DEAL,
    "close": S.CLOSED,
}


class IntroductionActionApi(APIView):
    permission_classes = [ActsInMembership]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Move an introduction: request|accept|decline|meet|deal|close "
        "(message, reason, note, value_yuan + evidence file, share_contact)",
        operation_id="matchmaking_introduction_action",
    )
    def post(self, request, pk, action):
        membership = _membership(request)
        if action not in ACTIONS:
            raise Http404
        party = not (action == "close" and roles.is_operator(membership))
        introduction = access.access_introduction(membership, pk, party=party)
        data = request.data
        share = None
        if data.get("share_contact"):
            share = Contact.objects.filter(
                pk=data["share_contact"], organization_id=membership.organization_id
            ).first()
            if share is None:
                return _error(MatchError("bad_contact", "share_contact", field="share_contact"))
        try:
            introduction = services.set_introduction_state(
                _actor(request),
                introduction,
                ACTIONS[action],
                message=data.get("message", ""),
                reason=data.get("reason", ""),
                note=data.get("note", ""),
                value_yuan=data.get("value_yuan"),
                evidence=request.FILES.get("evidence"),
                share_contact=share,
            )
        except MatchError as exc:
            return _error(exc)
        return Response(introduction_json(introduction, membership))


class IntroductionConsentApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Record a contact person's consent to be passed on (contact: id of one of ours)",
        operation_id="matchmaking_introduction_consent",
    )
    def post(self, request, pk):
        membership = _membership(request)
        introduction = access.access_introduction(membership, pk, party=True)
        contact = Contact.objects.filter(
            pk=request.data.get("contact") or 0, organization_id=membership.organization_id
        ).first()
        if contact is None:
            return _error(MatchError("bad_contact", "contact", field="contact"))
        try:
            consent = services.grant_consent(_actor(request), introduction, contact)
        except MatchError as exc:
            return _error(exc)
        return Response(
            {
                "id": consent.pk,
                "contact": contact.pk,
                "purpose": consent.purpose,
                "granted_at": _time(consent.granted_at),
            },
            status=status.HTTP_201_CREATED,
        )


# --- challenges -----------------------------------------------------------------------------


def challenge_json(c: Challenge) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "description": c.description,
        "category": c.category,
        "eligibility": c.eligibility,
        "budget_yuan": _money(c.budget_yuan),
        "deadline": c.deadline.isoformat(),
        "state": c.state,
        "announcement": c.announcement if c.state == "announced" else "",
    }


def application_json(a) -> dict:
    return {
        "id": a.pk,
        "provider": {"id": a.provider_id, "name": a.provider.name},
        "proposal": a.proposal,
        "file": a.file_name or None,
        "state": a.state,
        "score": _money(a.score),
        "review_note": a.review_note,
        "submitted_at": _time(a.submitted_at),
    }


class ChallengeListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Open challenges (operators: drafts too)",
        operation_id="matchmaking_challenges_list",
    )
    def get(self, request):
        qs = access.challenges_for(_membership(request)).order_by("-created_at", "-id")
        return _paged(request, self, qs, challenge_json)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Create a draft challenge (operators): title, description, category, "
        "eligibility {region_prefix, certifications, min_cases}, budget_yuan, deadline",
        operation_id="matchmaking_challenges_create",
    )
    def post(self, request):
        if not roles.is_operator(_membership(request)):
            raise Http404
        try:
            challenge = services.create_challenge(
                _actor(request),
                **_pick(
                    request.data,
                    ("title", "description", "category", "eligibility", "budget_yuan", "deadline"),
                ),
            )
        except MatchError as exc:
            return _error(exc)
        return Response(challenge_json(challenge), status=status.HTTP_201_CREATED)


class ChallengeDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="A challenge",
        operation_id="matchmaking_challenge_retrieve",
    )
    def get(self, request, pk):
        return Response(challenge_json(access.access_challenge(_membership(request), pk)))


class ChallengeStateApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Move a challenge (operators): state open|reviewing|announced (+ announcement)",
        operation_id="matchmaking_challenge_state",
    )
    def post(self, request, pk):
        challenge = access.access_challenge(_membership(request), pk, write=True)
        try:
            challenge = services.set_challenge_state(
                _actor(request),
                challenge,
                request.data.get("state", ""),
                announcement=request.data.get("announcement", ""),
            )
        except MatchError as exc:
            return _error(exc)
        return Response(challenge_json(challenge))


class ChallengeApplicationsApi(APIView):
    permission_classes = [ActsInMembership]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Applications (operators: all; a provider: its own)",
        operation_id="matchmaking_challenge_applications_list",
    )
    def get(self, request, pk):
        membership = _membership(request)
        challenge = access.access_challenge(membership, pk)
        qs = access.applications_for(membership, challenge).order_by("id")
        return Response({"results": [application_json(a) for a in qs]})

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Apply (providers and banks that meet the eligibility rules): proposal, file",
        operation_id="matchmaking_challenge_applications_create",
    )
    def post(self, request, pk):
        membership = _membership(request)
        challenge = access.access_challenge(membership, pk)
        if not roles.is_supplier(membership):
            raise Http404
        try:
            application = services.apply_to_challenge(
                _actor(request),
                challenge,
                membership.organization,
                proposal=request.data.get("proposal", ""),
                file=request.FILES.get("file"),
            )
        except MatchError as exc:
            return _error(exc)
        return Response(application_json(application), status=status.HTTP_201_CREATED)


class ApplicationReviewApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Review an application (operators): state shortlisted|rejected|awarded, note, score",
        operation_id="matchmaking_application_review",
    )
    def post(self, request, pk):
        application = access.access_application(_membership(request), pk)
        try:
            application = services.review_application(
                _actor(request),
                application,
                request.data.get("state", ""),
                note=request.data.get("note", ""),
                score=request.data.get("score"),
            )
        except MatchError as exc:
            return _error(exc)
        return Response(application_json(application))


# --- funnel ---------------------------------------------------------------------------------


def _funnel_json(row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        **dict(zip([str(s) for s in FUNNEL], row.counts, strict=True)),
        "deal_value_yuan": str(row.deal_value_yuan),
    }


class FunnelApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="The introduction funnel, total and by category|city|provider (staff)",
        operation_id="matchmaking_funnel",
    )
    def get(self, request):
        if not access.can_view_funnel(_membership(request)):
            raise Http404
        by = request.query_params.get("by")
        body = {"total": _funnel_json(stats.funnel())}
        if by in stats.GROUPINGS:
            body["by"] = by
            body["rows"] = [_funnel_json(r) for r in stats.funnel_by(by)]
        return Response(body)
