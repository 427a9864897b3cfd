"""Calls API: calls with their form, stages, rubric and eligibility rule; applications
(start, answer, submit / recall / withdraw); nominations; formal review; 公示 with signed
objections and their answers; catalogues. The same access rules (``zhizao.calls.access``)
and services as the pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status

from zhizao.calls import access
from zhizao.calls.eligibility import describe_eligibility
from zhizao.calls.models import CallCategory, Publicity
from zhizao.calls.selectors import formal_checks, missing_items
from zhizao.calls.services import applications as app_services
from zhizao.calls.services import calls as call_services
from zhizao.calls.services import formal, nominations, publicity
from zhizao.registry.models import Organization
from zhizao_core.text.normalize import normalize_search_text

from ..common import ApiOperation, ErrorSerializer, actor, paged, paginated, parse, respond
from .serializers import (
    AnswerInputSerializer,
    ApplicantActionSerializer,
    ApplicationDetailSerializer,
    CallAnswersInputSerializer,
    CallApplicationInputSerializer,
    CallApplicationSerializer,
    CallDetailSerializer,
    CallInputSerializer,
    CallQuery,
    CallSerializer,
    CatalogueEntrySerializer,
    CatalogueQuery,
    CatalogueSerializer,
    CheckSerializer,
    FormalActionSerializer,
    NamedExclusionInputSerializer,
    NamedExclusionsSerializer,
    NominationActionSerializer,
    ObjectionInputSerializer,
    ObjectionReceiptSerializer,
    ObjectionSerializer,
    PublicitySerializer,
)

TAGS = ["calls"]
ERRORS = {400: ErrorSerializer}


def _call_detail(call):
    return respond(CallDetailSerializer, call, describe=describe_eligibility)


def _application_detail(application, **kwargs):
    return respond(ApplicationDetailSerializer, application, missing=missing_items, **kwargs)


class CallListApi(ApiOperation):
    @extend_schema(
        parameters=[CallQuery],
        responses={200: paginated(CallSerializer), **ERRORS},
        summary="Calls the caller may see",
        operation_id="calls_list",
        tags=TAGS,
    )
    def get(self, request):
        query = parse(CallQuery, request.query_params)
        qs = access.calls_for(request.membership).order_by("-year", "-id")
        if query.get("state"):
            qs = qs.filter(state=query["state"])
        if query.get("year"):
            qs = qs.filter(year=query["year"])
        return paged(request, self, qs, CallSerializer)

    @extend_schema(
        request=CallInputSerializer,
        responses={201: CallDetailSerializer, **ERRORS},
        summary="Create a draft call of the caller's organisation, empty or from a template",
        operation_id="calls_create",
        tags=TAGS,
    )
    def post(self, request):
        membership = request.membership
        if not access.can_create_call(membership):
            raise Http404
        values = parse(CallInputSerializer, request.data)
        call = call_services.create_call(
            actor(request), host=Organization.objects.get(pk=membership.organization_id), **values
        )
        response = _call_detail(call)
        response.status_code = status.HTTP_201_CREATED
        return response


class CallDetailApi(ApiOperation):
    @extend_schema(
        responses=CallDetailSerializer,
        summary="A call with its stages, categories, form, rubric and eligibility rule in words",
        operation_id="calls_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        return _call_detail(access.access_call(request.membership, pk))


class CallApplicationsApi(ApiOperation):
    @extend_schema(
        responses={200: paginated(CallApplicationSerializer), **ERRORS},
        summary="The call's applications the caller may see (own, addressed to it, or all for the office)",
        operation_id="calls_applications_list",
        tags=TAGS,
    )
    def get(self, request, pk):
        call = access.access_call(request.membership, pk)
        qs = access.applications_for(request.membership).filter(call=call).order_by("id")
        return paged(request, self, qs, CallApplicationSerializer)

    @extend_schema(
        request=CallApplicationInputSerializer,
        responses={201: ApplicationDetailSerializer, **ERRORS},
        summary="Start a draft application of the caller's organisation (prefilled)",
        operation_id="calls_applications_create",
        tags=TAGS,
    )
    def post(self, request, pk):
        membership = request.membership
        call = access.access_call(membership, pk)
        if not access.can_apply(membership, call):
            raise Http404
        values = parse(CallApplicationInputSerializer, request.data)
        category = CallCategory.objects.filter(call=call, pk=values.get("category") or 0).first()
        nominator = Organization.objects.filter(pk=values.get("nominator") or 0).first()
        application = app_services.start_application(
            actor(request),
            call,
            title=values["title"],
            category=category,
            nominator=nominator,
            people=values.get("people", []),
        )
        return _application_detail(application, status_code=status.HTTP_201_CREATED)


class ApplicationDetailApi(ApiOperation):
    @extend_schema(
        responses=ApplicationDetailSerializer,
        summary="An application with its answers and what is missing",
        operation_id="calls_application_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        return _application_detail(access.access_application(request.membership, pk))

    @extend_schema(
        request=CallAnswersInputSerializer,
        responses={200: ApplicationDetailSerializer, **ERRORS},
        summary="Save answers (the applicant, while a draft or returned for correction)",
        operation_id="calls_application_answers",
        tags=TAGS,
    )
    def patch(self, request, pk):
        application = access.access_application(request.membership, pk, write=True)
        values = parse(CallAnswersInputSerializer, request.data)
        for code, value in values["answers"].items():
            application = app_services.save_answer(
                actor(request), application, code=code, value=value
            )
        return _application_detail(application)


class ApplicationActionApi(ApiOperation):
    @extend_schema(
        request=ApplicantActionSerializer,
        responses={200: ApplicationDetailSerializer, **ERRORS},
        summary="The applicant submits (before the deadline), recalls to draft, or withdraws",
        operation_id="calls_application_action",
        tags=TAGS,
    )
    def post(self, request, pk):
        membership = request.membership
        application = access.access_application(membership, pk)
        if not access.is_applicant(membership, application):
            raise Http404
        values = parse(ApplicantActionSerializer, request.data)
        who = actor(request)
        if values["action"] == "submit":
            application = app_services.submit_application(who, application)
        elif values["action"] == "recall":
            application = app_services.recall_application(who, application)
        else:
            application = app_services.withdraw_application(
                who, application, reason=values.get("reason", "")
            )
        return _application_detail(application)


class NominationApi(ApiOperation):
    @extend_schema(
        request=NominationActionSerializer,
        responses={200: CallApplicationSerializer, **ERRORS},
        summary="The nominating body nominates (within its quota) or withdraws a nomination",
        operation_id="calls_application_nomination",
        tags=TAGS,
    )
    def post(self, request, pk):
        membership = request.membership
        application = access.access_application(membership, pk)
        if not access.is_nominator(membership, application):
            raise Http404
        values = parse(NominationActionSerializer, request.data)
        if values["action"] == "nominate":
            application = nominations.nominate_application(actor(request), application)
        else:
            application = nominations.withdraw_nomination(actor(request), application)
        return respond(CallApplicationSerializer, application)


class FormalReviewApi(ApiOperation):
    @extend_schema(
        responses={200: CheckSerializer(many=True), **ERRORS},
        summary="The automatic checks of formal review (the selection office)",
        operation_id="calls_application_formal_checks",
        tags=TAGS,
    )
    def get(self, request, pk):
        application = access.access_application(request.membership, pk)
        if not access.can_review_formally(request.membership, application):
            raise Http404
        return respond(CheckSerializer, formal_checks(application), many=True)

    @extend_schema(
        request=FormalActionSerializer,
        responses={200: ApplicationDetailSerializer, **ERRORS},
        summary="Formal review: checklist, pass, return for correction (deadline) or reject (reason)",
        operation_id="calls_application_formal_action",
        tags=TAGS,
    )
    def post(self, request, pk):
        application = access.access_application(request.membership, pk)
        if not access.can_review_formally(request.membership, application):
            raise Http404
        values = parse(FormalActionSerializer, request.data)
        who, expected = actor(request), values.get("expected")
        action = values["action"]
        if action == "checklist":
            application = formal.set_checklist(who, application, values.get("checklist", {}))
        elif action == "pass":
            application = formal.pass_formal_review(who, application, expected=expected)
        elif action == "return":
            application = formal.return_for_correction(
                who,
                application,
                request=values.get("request", ""),
                deadline=values.get("deadline"),
                expected=expected,
            )
        else:
            application = formal.reject_application(
                who, application, reason=values.get("reason", ""), expected=expected
            )
        return _application_detail(application)


def _publicity(call_pk) -> Publicity:
    row = Publicity.objects.filter(call_id=call_pk).first()
    if row is None:
        raise Http404
    return row


class PublicityApi(ApiOperation):
    @extend_schema(
        responses=PublicitySerializer,
        summary="The call's 公示: the proposed list and its period",
        operation_id="calls_publicity_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        call = access.access_call(request.membership, pk)
        return respond(PublicitySerializer, _publicity(call.pk))


class ObjectionListApi(ApiOperation):
    @extend_schema(
        responses={200: paginated(ObjectionSerializer), **ERRORS},
        summary="Objections of the call's 公示 (the handling office only)",
        operation_id="calls_objections_list",
        tags=TAGS,
    )
    def get(self, request, pk):
        call = access.access_call(request.membership, pk, manage=True)
        qs = access.objections_shown(request.membership).filter(publicity__call=call)
        return paged(request, self, qs, ObjectionSerializer)

    @extend_schema(
        request=ObjectionInputSerializer,
        responses={201: ObjectionReceiptSerializer, **ERRORS},
        summary="File a signed objection to an entry of the 公示",
        operation_id="calls_objections_create",
        tags=TAGS,
    )
    def post(self, request, pk):
        call = access.access_call(request.membership, pk)
        row = _publicity(call.pk)
        values = parse(ObjectionInputSerializer, request.data)
        entry = (
            row.entries.filter(application_id=values["application"])
            .select_related("application")
            .first()
        )
        if entry is None:
            raise Http404
        objection = publicity.file_objection(
            actor(request),
            row,
            entry.application,
            name=values["name"],
            phone=values.get("phone", ""),
            body=values["body"],
        )
        return respond(ObjectionReceiptSerializer, objection, status_code=status.HTTP_201_CREATED)


def _shown_objection(membership, pk):
    objection = access.objections_shown(membership).filter(pk=pk).first()
    if objection is None:
        raise Http404
    return objection


class ObjectionDetailApi(ApiOperation):
    @extend_schema(
        responses=ObjectionSerializer,
        summary="An objection with its signer (the handling office only)",
        operation_id="calls_objection_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        return respond(ObjectionSerializer, _shown_objection(request.membership, pk))

    @extend_schema(
        request=AnswerInputSerializer,
        responses={200: ObjectionSerializer, **ERRORS},
        summary="Answer an objection; reopen_review sends the application back to expert review",
        operation_id="calls_objection_answer",
        tags=TAGS,
    )
    def post(self, request, pk):
        objection = access.access_objection(request.membership, pk)
        values = parse(AnswerInputSerializer, request.data)
        publicity.answer_objection(actor(request), objection, **values)
        return respond(ObjectionSerializer, _shown_objection(request.membership, pk))


class CatalogueListApi(ApiOperation):
    @extend_schema(
        responses={200: paginated(CatalogueSerializer), **ERRORS},
        summary="Published catalogues",
        operation_id="calls_catalogues_list",
        tags=TAGS,
    )
    def get(self, request):
        return paged(request, self, access.catalogues_for(request.membership), CatalogueSerializer)


class CatalogueEntriesApi(ApiOperation):
    @extend_schema(
        parameters=[CatalogueQuery],
        responses={200: paginated(CatalogueEntrySerializer), **ERRORS},
        summary="A catalogue's entries, searchable (Chinese substring of title and organisation)",
        operation_id="calls_catalogue_entries",
        tags=TAGS,
    )
    def get(self, request, pk):
        catalogue = access.access_catalogue(request.membership, pk)
        query = parse(CatalogueQuery, request.query_params)
        qs = catalogue.entries.select_related("organization").order_by("rank", "id")
        key = normalize_search_text(query.get("q", ""))
        if key:
            qs = qs.filter(search_text__contains=key)
        return paged(request, self, qs, CatalogueEntrySerializer)


# --- the applicant's named exclusions (回避申请): the page's service and rules ----------------


def _applicant_application(request, pk):
    """The application when the caller acts for its applicant; 404 for everyone else (the
    office sees the exclusions on the application, never through these operations)."""
    application = access.access_application(request.membership, pk)
    if not access.is_applicant(request.membership, application):
        raise Http404
    return application


def _exclusions_body(application) -> dict:
    entries = []
    for number, entry in enumerate(application.named_exclusions or [], start=1):
        if isinstance(entry, str):  # older applications stored an expert's name only
            entry = {"kind": "expert", "name": entry, "reason": ""}
        entries.append({"number": number, **entry})
    return {
        "limit": application.call.max_named_exclusions,
        "editable": application.state in app_services.EXCLUSION_STATES,
        "exclusions": entries,
    }


class NamedExclusionListApi(ApiOperation):
    @extend_schema(
        responses={200: NamedExclusionsSerializer, **ERRORS},
        summary="The applicant's named exclusions (回避申请) with the call's limit",
        operation_id="calls_application_exclusions_list",
        tags=TAGS,
    )
    def get(self, request, pk):
        application = _applicant_application(request, pk)
        return respond(NamedExclusionsSerializer, _exclusions_body(application))

    @extend_schema(
        request=NamedExclusionInputSerializer,
        responses={201: NamedExclusionsSerializer, **ERRORS},
        summary="Name one more expert or organisation to exclude, with the reason (within the "
        "call's limit, until the review starts)",
        operation_id="calls_application_exclusion_create",
        tags=TAGS,
    )
    def post(self, request, pk):
        application = _applicant_application(request, pk)
        values = parse(NamedExclusionInputSerializer, request.data)
        entries = [*(application.named_exclusions or []), dict(values)]
        application = app_services.set_named_exclusions(actor(request), application, entries)
        return respond(
            NamedExclusionsSerializer,
            _exclusions_body(application),
            status_code=status.HTTP_201_CREATED,
        )


class NamedExclusionDetailApi(ApiOperation):
    @extend_schema(
        responses={200: NamedExclusionsSerializer, **ERRORS},
        summary="Withdraw one named exclusion (by its number; until the review starts)",
        operation_id="calls_application_exclusion_delete",
        tags=TAGS,
    )
    def delete(self, request, pk, number):
        application = _applicant_application(request, pk)
        entries = list(application.named_exclusions or [])
        if not 1 <= number <= len(entries):
            raise Http404
        del entries[number - 1]
        application = app_services.set_named_exclusions(actor(request), application, entries)
        return respond(NamedExclusionsSerializer, _exclusions_body(application))
