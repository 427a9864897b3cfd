"""Policies API: evaluations (the calculator's results with explanations), stored rule
versions with their test cases, and the editor's draft — save rule data and cases, run the
cases, publish. The same access rules and services as the pages."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from zhizao.accounts import roles
from zhizao.policies import access, engine, services
from zhizao.policies.calculator import evaluate_organization
from zhizao.policies.errors import PolicyError
from zhizao.policies.services import editor as editor_services
from zhizao.policies.services.editor import RuleInvalid
from zhizao.registry.models import Organization

from ..permissions import ActsInMembership
from .views import _actor, _error, _membership, version_json


def _rule_error(exc: PolicyError) -> Response:
    body = {"code": exc.code, "detail": exc.message, "field": exc.field}
    if isinstance(exc, RuleInvalid):
        body["problems"] = exc.as_list()
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def result_json(result) -> dict:
    body = result.outcome.as_json()
    body.update(
        {
            "item_name": result.item.name,
            "project_name": result.project_name or None,
            "policy": {
                "id": result.policy.pk,
                "title": result.policy.title,
                "doc_number": result.policy.doc_number,
                "issuing_unit": result.policy.issuing_unit,
            },
            "proactive": result.item.proactive,
            "missing_facts": [
                {"key": m.key, "label": m.label, "url": m.url or None} for m in result.missing
            ],
        }
    )
    return body


class EvaluationsApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary=(
            "Evaluate published policy items for an enterprise: {enterprise: credit code "
            "(officers, operators) or omitted (your own), items: [keys] (default all), "
            "as_of: YYYY-MM-DD (default today)}"
        ),
        operation_id="policies_evaluations_create",
    )
    def post(self, request):
        membership = _membership(request)
        data = request.data or {}
        uscc = data.get("enterprise")
        if uscc in (None, ""):
            if roles.is_staff(membership):
                return _error(
                    PolicyError(
                        "required",
                        _("enterprise: the credit code is required."),
                        field="enterprise",
                    )
                )
            organization = access.access_calculator_organization(membership)
        else:
            found = Organization.objects.filter(uscc=str(uscc).strip().upper()).first()
            if found is None:
                raise Http404
            organization = access.access_calculator_organization(membership, found.pk)
        items = data.get("items")
        if items is not None and (
            not isinstance(items, list) or not all(isinstance(i, str) for i in items)
        ):
            return _error(PolicyError("bad_items", _("items: a list of item keys."), field="items"))
        as_of = timezone.localdate()
        if data.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(str(data["as_of"]))
            except ValueError:
                return _error(PolicyError("bad_date", "as_of: YYYY-MM-DD", field="as_of"))
        try:
            calculation = evaluate_organization(
                organization,
                as_of=as_of,
                lang=engine.language(),
                items=items or None,
                staff=roles.is_staff(membership),
            )
        except PolicyError as exc:
            return _error(exc)
        return Response(
            {
                "enterprise": organization.uscc,
                "name": organization.name,
                "as_of": as_of.isoformat(),
                "total_yuan": f"{calculation.total_yuan:.2f}",
                "results": [result_json(r) for r in calculation.results],
            }
        )


class ItemVersionApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="One rule version of an item with its rule data and test cases",
        operation_id="policies_item_version_retrieve",
    )
    def get(self, request, key, number):
        membership = _membership(request)
        item = access.access_item(membership, key)
        version = item.versions.filter(number=number).first()
        if version is None:
            raise Http404
        access.access_item_version(membership, version.pk)
        return Response({"item": item.key, **version_json(version)})


class DraftApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="The item's draft version (officers, operators)",
        operation_id="policies_item_draft_retrieve",
    )
    def get(self, request, key):
        item = access.access_item(_membership(request), key, write=True)
        draft = editor_services.draft_of(item)
        if draft is None:
            raise Http404
        return Response({"item": item.key, **version_json(draft)})

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Start a draft from the latest version (returns the open draft if there is one)",
        operation_id="policies_item_draft_create",
    )
    def post(self, request, key):
        item = access.access_item(_membership(request), key, write=True)
        existing = editor_services.draft_of(item)
        if existing is not None:
            return Response({"item": item.key, **version_json(existing)})
        try:
            draft = services.create_item_version(_actor(request), item)
        except PolicyError as exc:
            return _error(exc)
        return Response({"item": item.key, **version_json(draft)}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary=(
            "Save the draft's rule data and test cases: {rule: {...}, test_cases: [...], note}; "
            "problems name their place (conditions.all[1].op)"
        ),
        operation_id="policies_item_draft_update",
    )
    def put(self, request, key):
        item = access.access_item(_membership(request), key, write=True)
        data = request.data or {}
        try:
            draft = editor_services.save_draft(
                _actor(request),
                item,
                rule=data.get("rule"),
                test_cases=data.get("test_cases"),
                note=data.get("note"),
            )
        except PolicyError as exc:
            return _rule_error(exc)
        return Response({"item": item.key, **version_json(draft)})


def run_json(run) -> dict:
    return {
        "index": run.index,
        "name": run.name,
        "passed": run.passed,
        "problems": run.problems,
        "error": run.error or None,
        "outcomes": run.outcomes,
    }


class DraftRunCasesApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=None,
        responses=OpenApiTypes.OBJECT,
        summary="Run the draft's example cases: passed or not, the differences, the outcomes",
        operation_id="policies_item_draft_run_cases",
    )
    def post(self, request, key):
        item = access.access_item(_membership(request), key, write=True)
        draft = editor_services.draft_of(item)
        if draft is None:
            raise Http404
        runs, problem = editor_services.run_cases(item, draft, lang=engine.language())
        return Response(
            {
                "version": draft.number,
                "rule_problems": problem or None,
                "passed": bool(runs) and all(run.passed for run in runs) and not problem,
                "cases": [run_json(run) for run in runs],
            }
        )


class DraftPublishApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=None,
        responses=OpenApiTypes.OBJECT,
        summary="Publish the draft (refused while the rule is invalid, or a case fails or none exists)",
        operation_id="policies_item_draft_publish",
    )
    def post(self, request, key):
        item = access.access_item(_membership(request), key, write=True)
        try:
            version = editor_services.publish_draft(_actor(request), item)
        except PolicyError as exc:
            return _error(exc)
        return Response({"item": item.key, **version_json(version)})
