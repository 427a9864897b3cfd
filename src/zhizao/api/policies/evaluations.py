"""Policies API: evaluations (the calculator's results with explanations), stored rule
versions with their test cases, and the editor's draft — save rule data and cases, run the
cases, publish. The same access rules and services as the pages."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from zhizao.accounts import roles
from zhizao.policies import access, engine, services
from zhizao.policies.calculator import evaluate_organization
from zhizao.policies.errors import PolicyError
from zhizao.policies.services import editor as editor_services
from zhizao.policies.services.editor import RuleInvalid
from zhizao.registry.models import Organization

from ..common import (
    ApiOperation,
    ErrorSerializer,
    OptionalDateField,
    TextInput,
    actor,
    domain_error_body,
    parse,
    respond,
)
from .serializers import ItemVersionSerializer

TAGS = ["policies"]
ERRORS = {400: ErrorSerializer}


# --- bodies ---------------------------------------------------------------------------------


class EvaluationInputSerializer(serializers.Serializer):
    enterprise = TextInput(
        max_length=18,
        help_text="Credit code (officers, operators); omitted: the caller's own enterprise",
    )
    items = serializers.ListField(
        child=serializers.CharField(max_length=80),
        required=False,
        allow_null=True,
        max_length=500,
        help_text="Item keys (default: every published item)",
    )
    as_of = OptionalDateField(help_text="Default: today")


class PolicyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    doc_number = serializers.CharField()
    issuing_unit = serializers.CharField()


class MissingFactSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField(allow_null=True)


class EvaluationResultSerializer(serializers.Serializer):
    item = serializers.CharField()
    version = serializers.IntegerField()
    enterprise = serializers.CharField()
    project = serializers.JSONField(allow_null=True, help_text="The project's id, or null")
    eligible = serializers.JSONField(help_text='true, false or "unknown"')
    amount_yuan = serializers.CharField(allow_null=True)
    binding_cap = serializers.JSONField(allow_null=True)
    missing = serializers.ListField(child=serializers.CharField())
    stages = serializers.ListField(child=serializers.JSONField())
    explanation = serializers.ListField(
        child=serializers.DictField(child=serializers.JSONField()),
        help_text="Every step in words: {step, text, …}",
    )
    item_name = serializers.CharField()
    project_name = serializers.CharField(allow_null=True)
    policy = PolicyRefSerializer()
    proactive = serializers.BooleanField()
    missing_facts = MissingFactSerializer(many=True)


class EvaluationSerializer(serializers.Serializer):
    enterprise = serializers.CharField()
    name = serializers.CharField()
    as_of = serializers.CharField()
    total_yuan = serializers.CharField()
    results = EvaluationResultSerializer(many=True)


class DraftInputSerializer(serializers.Serializer):
    rule = serializers.JSONField(help_text="The rule data (docs/policy-rules.md): an object")
    test_cases = serializers.JSONField(
        required=False, allow_null=True, help_text="Example cases: a list"
    )
    note = TextInput(allow_null=True)


class RuleProblemSerializer(serializers.Serializer):
    path = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class RuleErrorSerializer(ErrorSerializer):
    problems = RuleProblemSerializer(many=True, required=False)


class CaseRunSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    name = serializers.CharField()
    passed = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())
    error = serializers.SerializerMethodField()
    outcomes = serializers.JSONField()

    def get_error(self, run) -> str | None:
        return run.error or None


class CaseRunsSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    rule_problems = serializers.CharField(allow_null=True)
    passed = serializers.BooleanField()
    cases = CaseRunSerializer(many=True)


def result_json(result) -> dict:
    body = result.outcome.as_json()
    body.update(
        {
            "item_name": result.item.name,
            "project_name": result.project_name or None,
            "policy": result.policy,
            "proactive": result.item.proactive,
            "missing_facts": [
                {"key": m.key, "label": m.label, "url": m.url or None} for m in result.missing
            ],
        }
    )
    return body


# --- operations -----------------------------------------------------------------------------


class EvaluationsApi(ApiOperation):
    @extend_schema(
        request=EvaluationInputSerializer,
        responses={200: EvaluationSerializer, **ERRORS},
        summary=(
            "Evaluate published policy items for an enterprise: {enterprise: credit code "
            "(officers, operators) or omitted (your own), items: [keys] (default all), "
            "as_of: YYYY-MM-DD (default today)}"
        ),
        operation_id="policies_evaluations_create",
        tags=TAGS,
    )
    def post(self, request):
        membership = request.membership
        data = parse(EvaluationInputSerializer, request.data)
        uscc = data.get("enterprise", "").strip().upper()
        if not uscc:
            if roles.is_staff(membership):
                raise PolicyError(
                    "required", _("enterprise: the credit code is required."), field="enterprise"
                )
            organization = access.access_calculator_organization(membership)
        else:
            found = Organization.objects.filter(uscc=uscc).first()
            if found is None:
                raise Http404
            organization = access.access_calculator_organization(membership, found.pk)
        as_of = data.get("as_of") or timezone.localdate()
        calculation = evaluate_organization(
            organization,
            as_of=as_of,
            lang=engine.language(),
            items=data.get("items") or None,
            staff=roles.is_staff(membership),
        )
        body = {
            "enterprise": organization.uscc,
            "name": organization.name,
            "as_of": as_of.isoformat(),
            "total_yuan": f"{calculation.total_yuan:.2f}",
            "results": [result_json(r) for r in calculation.results],
        }
        return respond(EvaluationSerializer, body)


class ItemVersionApi(ApiOperation):
    @extend_schema(
        responses=ItemVersionSerializer,
        summary="One rule version of an item with its rule data and test cases",
        operation_id="policies_item_version_retrieve",
        tags=TAGS,
    )
    def get(self, request, key, number):
        item = access.access_item(request.membership, key)
        version = item.versions.filter(number=number).first()
        if version is None:
            raise Http404
        access.access_item_version(request.membership, version.pk)
        return respond(ItemVersionSerializer, version)


class DraftApi(ApiOperation):
    @extend_schema(
        responses=ItemVersionSerializer,
        summary="The item's draft version (officers, operators)",
        operation_id="policies_item_draft_retrieve",
        tags=TAGS,
    )
    def get(self, request, key):
        item = access.access_item(request.membership, key, write=True)
        draft = editor_services.draft_of(item)
        if draft is None:
            raise Http404
        return respond(ItemVersionSerializer, draft)

    @extend_schema(
        request=None,
        responses={200: ItemVersionSerializer, 201: ItemVersionSerializer, **ERRORS},
        summary="Start a draft from the latest version (returns the open draft if there is one)",
        operation_id="policies_item_draft_create",
        tags=TAGS,
    )
    def post(self, request, key):
        item = access.access_item(request.membership, key, write=True)
        existing = editor_services.draft_of(item)
        if existing is not None:
            return respond(ItemVersionSerializer, existing)
        draft = services.create_item_version(actor(request), item)
        return respond(ItemVersionSerializer, draft, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=DraftInputSerializer,
        responses={200: ItemVersionSerializer, 400: RuleErrorSerializer},
        summary=(
            "Save the draft's rule data and test cases: {rule: {...}, test_cases: [...], note}; "
            "problems name their place (conditions.all[1].op)"
        ),
        operation_id="policies_item_draft_update",
        tags=TAGS,
    )
    def put(self, request, key):
        item = access.access_item(request.membership, key, write=True)
        data = parse(DraftInputSerializer, request.data)
        try:
            draft = editor_services.save_draft(
                actor(request),
                item,
                rule=data.get("rule"),
                test_cases=data.get("test_cases"),
                note=data.get("note"),
            )
        except RuleInvalid as exc:
            body = {**domain_error_body(exc), "problems": exc.as_list()}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return respond(ItemVersionSerializer, draft)


class DraftRunCasesApi(ApiOperation):
    @extend_schema(
        request=None,
        responses=CaseRunsSerializer,
        summary="Run the draft's example cases: passed or not, the differences, the outcomes",
        operation_id="policies_item_draft_run_cases",
        tags=TAGS,
    )
    def post(self, request, key):
        item = access.access_item(request.membership, key, write=True)
        draft = editor_services.draft_of(item)
        if draft is None:
            raise Http404
        runs, problem = editor_services.run_cases(item, draft, lang=engine.language())
        body = {
            "version": draft.number,
            "rule_problems": problem or None,
            "passed": bool(runs) and all(run.passed for run in runs) and not problem,
            "cases": runs,
        }
        return respond(CaseRunsSerializer, body)


class DraftPublishApi(ApiOperation):
    @extend_schema(
        request=None,
        responses={200: ItemVersionSerializer, **ERRORS},
        summary="Publish the draft (refused while the rule is invalid, or a case fails or none exists)",
        operation_id="policies_item_draft_publish",
        tags=TAGS,
    )
    def post(self, request, key):
        item = access.access_item(request.membership, key, write=True)
        version = editor_services.publish_draft(actor(request), item)
        return respond(ItemVersionSerializer, version)
