"""Diagnosis API: models, assessments, answers, reports and campaigns, with the same
permissions as the pages (``zhizao.diagnosis.access``)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from zhizao.accounts import roles
from zhizao.accounts.enums import Role
from zhizao.diagnosis import access, services, stats
from zhizao.diagnosis.enums import AssessmentKind, EnterpriseType
from zhizao.diagnosis.errors import DiagnosisError
from zhizao.diagnosis.models import MaturityModel
from zhizao.diagnosis.selectors import build_report, missing_requirements

from ..common import (
    ApiOperation,
    ErrorSerializer,
    IsoDateTimeField,
    MoneyField,
    RefSerializer,
    TextInput,
    actor,
    paged,
    paginated,
    parse,
    respond,
)

TAGS = ["diagnosis"]
ERRORS = {400: ErrorSerializer}


# --- bodies ---------------------------------------------------------------------------------


class ModelNameSerializer(serializers.Serializer):
    zh = serializers.CharField(source="name_zh")
    en = serializers.CharField(source="name_en")


class ModelSerializer(serializers.Serializer):
    key = serializers.CharField()
    version = serializers.CharField()
    name = ModelNameSerializer(source="*")
    default = serializers.BooleanField(source="is_default")
    requirements = serializers.IntegerField(source="requirement_count")


class ModelFileSerializer(serializers.Serializer):
    key = serializers.CharField()
    version = serializers.CharField()
    sha256 = serializers.CharField()
    data = serializers.JSONField(help_text="The model file as loaded (levels, domains, …)")


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    model = serializers.CharField(source="model.key")
    model_version = serializers.CharField(source="model.version")
    organization = RefSerializer()
    kind = serializers.CharField()
    enterprise_type = serializers.CharField()
    state = serializers.CharField()
    provider = serializers.SerializerMethodField()
    verifies = serializers.IntegerField(source="verifies_id", allow_null=True)
    asked = serializers.IntegerField(source="asked_count")
    answered = serializers.IntegerField(source="answered_count")
    score = MoneyField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    target_level = serializers.IntegerField(allow_null=True)
    created_at = IsoDateTimeField()
    submitted_at = IsoDateTimeField(allow_null=True)

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_provider(self, a):
        return {"id": a.provider_id, "name": a.provider.name} if a.provider_id else None


class AnswerSerializer(serializers.Serializer):
    value = serializers.JSONField(help_text='1, 0.8, 0.5, 0 or "na"')
    comment = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    requirement = serializers.CharField(source="requirement_id")
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField(source="size_bytes")


class AssessmentDetailSerializer(AssessmentSerializer):
    answers = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, source="evidence.all")

    @extend_schema_field(serializers.DictField(child=AnswerSerializer()))
    def get_answers(self, a):
        return {x.requirement_id: {"value": x.value, "comment": x.comment} for x in a.answers.all()}


class StartInputSerializer(serializers.Serializer):
    model = TextInput(max_length=64, help_text="Model key (default: the default model)")
    enterprise_type = TextInput(help_text=" | ".join(EnterpriseType.values))


class AssessmentQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AssessmentKind.choices, required=False)


class AnswersInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        allow_null=True,
        help_text='{"<requirement id>": 1 | 0.8 | 0.5 | 0 | "na"}',
    )
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True, max_length=2000),
        required=False,
        allow_null=True,
        help_text='{"<requirement id>": "…"}',
    )


class AnswerErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


class AnswersErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    errors = serializers.DictField(child=AnswerErrorSerializer())


class SubmitRefusedSerializer(ErrorSerializer):
    missing = serializers.ListField(child=serializers.CharField())


class ReportQuery(serializers.Serializer):
    target = serializers.IntegerField(
        required=False, min_value=1, max_value=5, help_text="Target level of the roadmap"
    )


class ReportSerializer(serializers.Serializer):
    model = serializers.CharField()
    version = serializers.CharField()
    enterprise_type = serializers.CharField()
    score = serializers.CharField()
    level = serializers.IntegerField(allow_null=True)
    levels = serializers.DictField(child=serializers.CharField())
    elements = serializers.DictField(child=serializers.DictField(child=serializers.CharField()))
    domains = serializers.DictField(child=serializers.DictField(child=serializers.CharField()))
    subdomains = serializers.DictField(child=serializers.DictField(child=serializers.CharField()))
    explanation = serializers.JSONField()
    draft = serializers.BooleanField()
    rules = serializers.JSONField()
    roadmap = serializers.ListField(child=serializers.DictField(child=serializers.JSONField()))
    benchmark = serializers.ListField(child=serializers.DictField(child=serializers.JSONField()))
    trend = serializers.DictField(child=serializers.JSONField(), allow_null=True)
    comparison = serializers.DictField(child=serializers.JSONField(), allow_null=True)


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    state = serializers.CharField()
    model = serializers.CharField(source="model.key")
    budget_yuan = MoneyField()
    price_yuan = MoneyField()
    capacity = serializers.IntegerField()
    deadline = serializers.DateField(allow_null=True)


class ProviderProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    provider = serializers.SerializerMethodField()
    quota = serializers.IntegerField()
    regions = serializers.JSONField()
    planned = serializers.IntegerField()
    visited = serializers.IntegerField()
    reported = serializers.IntegerField()

    @extend_schema_field(RefSerializer())
    def get_provider(self, p):
        return {"id": p.provider_id, "name": p.provider.name}


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    enterprise = RefSerializer()
    provider = serializers.SerializerMethodField()
    state = serializers.CharField()
    distance = serializers.CharField()
    unassigned_reason = serializers.CharField()
    assessment = serializers.IntegerField(source="assessment_id", allow_null=True)

    def get_provider(self, t) -> int | None:
        return t.assigned.provider_id if t.assigned else None


class CampaignDetailSerializer(CampaignSerializer):
    providers = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()

    @extend_schema_field(ProviderProgressSerializer(many=True))
    def get_providers(self, c):
        return ProviderProgressSerializer(self.context["progress"], many=True).data

    @extend_schema_field(TargetSerializer(many=True))
    def get_targets(self, c):
        return TargetSerializer(self.context["targets"], many=True).data


# --- operations -----------------------------------------------------------------------------


class ModelListApi(ApiOperation):
    @extend_schema(
        responses=ModelSerializer(many=True),
        summary="Current maturity models",
        operation_id="diagnosis_models_list",
        tags=TAGS,
    )
    def get(self, request):
        rows = MaturityModel.objects.filter(is_current=True).order_by("-is_default", "key")
        return respond(ModelSerializer, rows, many=True)


class ModelDetailApi(ApiOperation):
    @extend_schema(
        responses=ModelFileSerializer,
        summary="A model file as loaded (current version)",
        tags=TAGS,
    )
    def get(self, request, key):
        row = MaturityModel.objects.filter(key=key, is_current=True).first()
        if row is None:
            raise Http404
        return respond(ModelFileSerializer, row)


class AssessmentListApi(ApiOperation):
    @extend_schema(
        parameters=[AssessmentQuery],
        responses={200: paginated(AssessmentSerializer), **ERRORS},
        summary="Assessments the caller may see",
        operation_id="diagnosis_assessments_list",
        tags=TAGS,
    )
    def get(self, request):
        query = parse(AssessmentQuery, request.query_params)
        qs = access.assessments_for(request.membership).order_by("-id")
        if query.get("kind"):
            qs = qs.filter(kind=query["kind"])
        return paged(request, self, qs, AssessmentSerializer)

    @extend_schema(
        request=StartInputSerializer,
        responses={201: AssessmentSerializer, **ERRORS},
        summary="Start a self-assessment: {model: key, enterprise_type: discrete|process}",
        tags=TAGS,
    )
    def post(self, request):
        membership = request.membership
        if not access.can_self_assess(membership):
            raise Http404
        data = parse(StartInputSerializer, request.data)
        key = data.get("model")
        model = (
            MaturityModel.objects.filter(key=key, is_current=True).first()
            if key
            else MaturityModel.objects.filter(is_current=True, is_default=True).first()
        )
        if model is None:
            raise DiagnosisError("unknown_model", _("Unknown maturity model."), field="model")
        a = services.start_self_assessment(
            actor(request), membership.organization, model, data.get("enterprise_type", "")
        )
        return respond(AssessmentSerializer, a, status_code=status.HTTP_201_CREATED)


class AssessmentDetailApi(ApiOperation):
    @extend_schema(
        responses=AssessmentDetailSerializer, summary="An assessment with its answers", tags=TAGS
    )
    def get(self, request, pk):
        a = access.access_assessment(request.membership, pk)
        return respond(AssessmentDetailSerializer, a)


class AnswersApi(ApiOperation):
    @extend_schema(
        request=AnswersInputSerializer,
        responses={200: AssessmentDetailSerializer, 400: AnswersErrorSerializer},
        summary='Save answers: {"answers": {"<id>": 1|0.8|0.5|0|"na"}, "comments": {"<id>": "…"}}',
        tags=TAGS,
    )
    def patch(self, request, pk):
        a = access.access_assessment(request.membership, pk, write=True)
        data = parse(AnswersInputSerializer, request.data)
        problems = services.save_answers(
            actor(request), a, data.get("answers") or {}, data.get("comments") or {}
        )
        if problems:
            errors = {
                rid: {"code": exc.code, "detail": exc.message} for rid, exc in problems.items()
            }
            return Response({"code": "invalid_answers", "errors": errors}, status=400)
        a.refresh_from_db()
        return respond(AssessmentDetailSerializer, a)


class SubmitApi(ApiOperation):
    @extend_schema(
        request=None,
        responses={200: AssessmentSerializer, 409: SubmitRefusedSerializer},
        summary="Submit (score) an assessment",
        tags=TAGS,
    )
    def post(self, request, pk):
        a = access.access_assessment(request.membership, pk, write=True)
        try:
            a = services.submit(actor(request), a)
        except DiagnosisError as exc:
            body = {
                "code": exc.code,
                "detail": exc.message,
                "missing": missing_requirements(a),
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        return respond(AssessmentSerializer, a)


def report_json(report) -> dict:
    body = report.result.as_json(report.model)
    body["draft"] = report.draft
    body["rules"] = report.rules
    body["roadmap"] = [
        {
            **{k: v for k, v in gap.items() if k != "items"},
            "items": [
                {
                    "requirement": i["id"],
                    "text": i["text"],
                    "current": i["current"],
                    "gain": i["gain"],
                    "closes": i["closes"],
                    "next_step": i["next_step"],
                    "providers": [{"id": p["id"], "name": p["name"]} for p in i["providers"]],
                }
                for i in gap["items"]
            ],
        }
        for gap in report.roadmap
    ]
    body["benchmark"] = [{k: v for k, v in g.items() if k != "bars"} for g in report.benchmark]
    body["trend"] = (
        {
            "level": report.trend["level"],
            "columns": [{**c, "date": c["date"].isoformat()} for c in report.trend["columns"]],
            "domains": [
                {"name": r["name"], "values": [v["value"] for v in r["values"]]}
                for r in report.trend["rows"]
            ],
        }
        if report.trend
        else None
    )
    body["comparison"] = (
        {
            "other": report.comparison["other"].pk,
            "self_score": report.comparison["self_score"],
            "verified_score": report.comparison["verified_score"],
            "levels": report.comparison["levels"],
            "differences": report.comparison["differences"],
        }
        if report.comparison
        else None
    )
    return body


class ReportApi(ApiOperation):
    @extend_schema(
        parameters=[ReportQuery],
        responses={200: ReportSerializer, **ERRORS},
        summary="The report: scores, roadmap, benchmark, trend, comparison",
        tags=TAGS,
    )
    def get(self, request, pk):
        a = access.access_assessment(request.membership, pk)
        query = parse(ReportQuery, request.query_params)
        report = build_report(a, target_level=query.get("target"))
        return Response(report_json(report))


class CampaignListApi(ApiOperation):
    @extend_schema(
        responses=CampaignSerializer(many=True),
        summary="Diagnosis campaigns the caller may see",
        operation_id="diagnosis_campaigns_list",
        tags=TAGS,
    )
    def get(self, request):
        rows = access.campaigns_for(request.membership).select_related("model").order_by("-id")
        return respond(CampaignSerializer, rows, many=True)


class CampaignDetailApi(ApiOperation):
    @extend_schema(
        responses=CampaignDetailSerializer,
        summary="A campaign: providers' progress and targets",
        tags=TAGS,
    )
    def get(self, request, pk):
        membership = request.membership
        c = access.access_campaign(membership, pk)
        targets = c.targets.select_related("enterprise", "assigned__provider")
        progress = stats.campaign_progress(c)
        if roles.role_of(membership) == Role.PROVIDER:
            targets = targets.filter(assigned__provider_id=membership.organization_id)
            progress = [p for p in progress if p.provider_id == membership.organization_id]
        return respond(CampaignDetailSerializer, c, progress=progress, targets=targets)


class AllocationSerializer(serializers.Serializer):
    """What ``propose_allocation`` reports."""

    assigned = serializers.IntegerField()
    unassigned = serializers.IntegerField()
    manual = serializers.IntegerField()
    capacity = serializers.IntegerField()


class CampaignAllocateApi(ApiOperation):
    domain_error_status = status.HTTP_409_CONFLICT

    @extend_schema(
        request=None,
        responses={
            200: AllocationSerializer,
            409: ErrorSerializer,
        },
        summary="Propose the allocation (operators)",
        tags=TAGS,
    )
    def post(self, request, pk):
        membership = request.membership
        if not roles.is_operator(membership):
            raise Http404
        c = access.access_campaign(membership, pk)
        return respond(AllocationSerializer, services.propose_allocation(actor(request), c))
