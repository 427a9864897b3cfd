"""Diagnosis API: models, assessments, answers, reports and campaigns, with the same
permissions as the pages (``zhizao.diagnosis.access``)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from zhizao.accounts import roles
from zhizao.accounts.enums import Role
from zhizao.accounts.selectors import actor_for_request, membership_for_request
from zhizao.diagnosis import access, services, stats
from zhizao.diagnosis.errors import DiagnosisError
from zhizao.diagnosis.models import Assessment, MaturityModel
from zhizao.diagnosis.selectors import build_report, missing_requirements

from ..pagination import StandardPagination
from ..permissions import ActsInMembership


def _membership(request):
    return membership_for_request(request._request)


def _error(exc: DiagnosisError, code=status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"code": exc.code, "detail": exc.message, "field": exc.field}, status=code)


def assessment_json(a: Assessment, *, answers: bool = False) -> dict:
    out = {
        "id": a.pk,
        "model": a.model.key,
        "model_version": a.model.version,
        "organization": {"id": a.organization_id, "name": a.organization.name},
        "kind": a.kind,
        "enterprise_type": a.enterprise_type,
        "state": a.state,
        "provider": {"id": a.provider_id, "name": a.provider.name} if a.provider_id else None,
        "verifies": a.verifies_id,
        "asked": a.asked_count,
        "answered": a.answered_count,
        "score": str(a.score) if a.score is not None else None,
        "level": a.level,
        "target_level": a.target_level,
        "created_at": a.created_at.isoformat(),
        "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
    }
    if answers:
        out["answers"] = {
            x.requirement_id: {"value": x.value, "comment": x.comment} for x in a.answers.all()
        }
        out["evidence"] = [
            {
                "id": e.pk,
                "requirement": e.requirement_id,
                "name": e.original_name,
                "size": e.size_bytes,
            }
            for e in a.evidence.all()
        ]
    return out


class ModelListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Current maturity models",
        operation_id="diagnosis_models_list",
    )
    def get(self, request):
        rows = MaturityModel.objects.filter(is_current=True).order_by("-is_default", "key")
        return Response(
            [
                {
                    "key": m.key,
                    "version": m.version,
                    "name": {"zh": m.name_zh, "en": m.name_en},
                    "default": m.is_default,
                    "requirements": m.requirement_count,
                }
                for m in rows
            ]
        )


class ModelDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT, summary="A model file as loaded (current version)"
    )
    def get(self, request, key):
        row = MaturityModel.objects.filter(key=key, is_current=True).first()
        if row is None:
            raise Http404
        return Response(
            {"key": row.key, "version": row.version, "sha256": row.sha256, "data": row.data}
        )


class AssessmentListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Assessments the caller may see",
        operation_id="diagnosis_assessments_list",
    )
    def get(self, request):
        qs = access.assessments_for(_membership(request)).order_by("-id")
        kind = request.query_params.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([assessment_json(a) for a in page])

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Start a self-assessment: {model: key, enterprise_type: discrete|process}",
    )
    def post(self, request):
        membership = _membership(request)
        if not access.can_self_assess(membership):
            raise Http404
        key = (request.data or {}).get("model")
        model = (
            MaturityModel.objects.filter(key=key, is_current=True).first()
            if key
            else MaturityModel.objects.filter(is_current=True, is_default=True).first()
        )
        if model is None:
            return Response(
                {"code": "unknown_model", "detail": "unknown model", "field": "model"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            a = services.start_self_assessment(
                actor_for_request(request._request),
                membership.organization,
                model,
                (request.data or {}).get("enterprise_type", ""),
            )
        except DiagnosisError as exc:
            return _error(exc)
        return Response(assessment_json(a), status=status.HTTP_201_CREATED)


class AssessmentDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="An assessment with its answers")
    def get(self, request, pk):
        a = access.access_assessment(_membership(request), pk)
        return Response(assessment_json(a, answers=True))


class AnswersApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary='Save answers: {"answers": {"<id>": 1|0.8|0.5|0|"na"}, "comments": {"<id>": "…"}}',
    )
    def patch(self, request, pk):
        membership = _membership(request)
        a = access.access_assessment(membership, pk, write=True)
        data = request.data or {}
        answers = data.get("answers") or {}
        comments = data.get("comments") or {}
        if not isinstance(answers, dict) or not isinstance(comments, dict):
            return Response(
                {"code": "bad_request", "detail": "answers and comments must be objects"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        problems = services.save_answers(actor_for_request(request._request), a, answers, comments)
        if problems:
            errors = {
                rid: {"code": exc.code, "detail": exc.message} for rid, exc in problems.items()
            }
            return Response({"code": "invalid_answers", "errors": errors}, status=400)
        a.refresh_from_db()
        return Response(assessment_json(a, answers=True))


class SubmitApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=None, responses=OpenApiTypes.OBJECT, summary="Submit (score) an assessment"
    )
    def post(self, request, pk):
        a = access.access_assessment(_membership(request), pk, write=True)
        try:
            a = services.submit(actor_for_request(request._request), a)
        except DiagnosisError as exc:
            body = {
                "code": exc.code,
                "detail": exc.message,
                "missing": missing_requirements(a),
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(assessment_json(a))


class ReportApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="The report: scores, roadmap, benchmark, trend, comparison",
    )
    def get(self, request, pk):
        a = access.access_assessment(_membership(request), pk)
        target = request.query_params.get("target", "")
        report = build_report(a, target_level=int(target) if target.isdigit() else None)
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
        return Response(body)


class CampaignListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Diagnosis campaigns the caller may see",
        operation_id="diagnosis_campaigns_list",
    )
    def get(self, request):
        rows = access.campaigns_for(_membership(request)).select_related("model").order_by("-id")
        return Response([campaign_json(c) for c in rows])


def campaign_json(c) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "state": c.state,
        "model": c.model.key,
        "budget_yuan": str(c.budget_yuan),
        "price_yuan": str(c.price_yuan),
        "capacity": c.capacity,
        "deadline": c.deadline.isoformat() if c.deadline else None,
    }


class CampaignDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT, summary="A campaign: providers' progress and targets"
    )
    def get(self, request, pk):
        membership = _membership(request)
        c = access.access_campaign(membership, pk)
        targets = c.targets.select_related("enterprise", "assigned__provider")
        progress = stats.campaign_progress(c)
        if roles.role_of(membership) == Role.PROVIDER:
            targets = targets.filter(assigned__provider_id=membership.organization_id)
            progress = [p for p in progress if p.provider_id == membership.organization_id]
        body = campaign_json(c)
        body["providers"] = [
            {
                "id": p.pk,
                "provider": {"id": p.provider_id, "name": p.provider.name},
                "quota": p.quota,
                "regions": p.regions,
                "planned": p.planned,
                "visited": p.visited,
                "reported": p.reported,
            }
            for p in progress
        ]
        body["targets"] = [
            {
                "id": t.pk,
                "enterprise": {"id": t.enterprise_id, "name": t.enterprise.name},
                "provider": t.assigned.provider_id if t.assigned else None,
                "state": t.state,
                "distance": t.distance,
                "unassigned_reason": t.unassigned_reason,
                "assessment": t.assessment_id,
            }
            for t in targets
        ]
        return Response(body)


class CampaignAllocateApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=None, responses=OpenApiTypes.OBJECT, summary="Propose the allocation (operators)"
    )
    def post(self, request, pk):
        membership = _membership(request)
        if not roles.is_operator(membership):
            raise Http404
        c = access.access_campaign(membership, pk)
        try:
            summary = services.propose_allocation(actor_for_request(request._request), c)
        except DiagnosisError as exc:
            return _error(exc, status.HTTP_409_CONFLICT)
        return Response(summary)
