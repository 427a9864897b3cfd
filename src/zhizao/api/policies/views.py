"""Policies API: policies, items with their versions, enterprises' projects with loans. The
same access rules (``zhizao.policies.access``) and services as the pages."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from zhizao.accounts.selectors import actor_for_request, membership_for_request
from zhizao.policies import access, services
from zhizao.policies.enums import VersionState
from zhizao.policies.errors import PolicyError
from zhizao.policies.models import Loan, Policy, PolicyItem, Project
from zhizao.registry.models import Organization, Region

from ..pagination import StandardPagination
from ..permissions import ActsInMembership


def _membership(request):
    return membership_for_request(request._request)


def _actor(request):
    return actor_for_request(request._request)


def _error(exc: PolicyError, code=status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"code": exc.code, "detail": exc.message, "field": exc.field}, status=code)


def _money(value) -> str | None:
    return None if value is None else str(value)


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _parse_date(data: dict, name: str) -> dt.date | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise PolicyError("bad_date", f"{name}: YYYY-MM-DD", field=name) from None


def _parse_region(data: dict, name: str = "region"):
    code = data.get(name)
    if code in (None, ""):
        return None
    region = Region.objects.filter(code=str(code)).first()
    if region is None:
        raise PolicyError("unknown_region", f"{name}: unknown region code", field=name)
    return region


def _pick(data: dict, fields, *, dates=(), regions=()) -> dict:
    """The given keys of a request body, dates and region codes parsed."""
    out = {}
    for name in fields:
        if name not in data:
            continue
        if name in dates:
            out[name] = _parse_date(data, name)
        elif name in regions:
            out[name] = _parse_region(data, name)
        else:
            out[name] = data[name]
    return out


# --- policies -------------------------------------------------------------------------------

POLICY_INPUT = (
    "title",
    "doc_number",
    "issuing_unit",
    "level",
    "region",
    "valid_from",
    "valid_to",
    "window_start",
    "window_end",
    "budget_yuan",
    "first_come",
    "summary",
)
POLICY_DATES = ("valid_from", "valid_to", "window_start", "window_end")


def policy_json(p: Policy) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "doc_number": p.doc_number,
        "issuing_unit": p.issuing_unit,
        "level": p.level,
        "region": p.region_id,
        "valid_from": _date(p.valid_from),
        "valid_to": _date(p.valid_to),
        "window_start": _date(p.window_start),
        "window_end": _date(p.window_end),
        "budget_yuan": _money(p.budget_yuan),
        "first_come": p.first_come,
        "summary": p.summary,
        "attachment": {"name": p.attachment_name, "sha256": p.attachment_sha256}
        if p.attachment
        else None,
        "state": p.state,
    }


class PolicyListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Policies the caller may see (published; officers and operators: all)",
        operation_id="policies_policies_list",
    )
    def get(self, request):
        qs = access.policies_for(_membership(request)).order_by("-valid_from", "-id")
        level = request.query_params.get("level")
        if level:
            qs = qs.filter(level=level)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([policy_json(p) for p in page])

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Create a draft policy (officers, operators); region is a GB/T 2260 code",
        operation_id="policies_policies_create",
    )
    def post(self, request):
        if not access.can_manage_policies(_membership(request)):
            raise Http404
        data = request.data or {}
        try:
            values = _pick(data, POLICY_INPUT, dates=POLICY_DATES, regions=("region",))
            policy = services.create_policy(
                _actor(request),
                title=values.pop("title", ""),
                issuing_unit=values.pop("issuing_unit", ""),
                level=values.pop("level", ""),
                valid_from=values.pop("valid_from", None),
                **values,
            )
        except PolicyError as exc:
            return _error(exc)
        return Response(policy_json(policy), status=status.HTTP_201_CREATED)


class PolicyDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="A policy with its items",
        operation_id="policies_policy_retrieve",
    )
    def get(self, request, pk):
        membership = _membership(request)
        policy = access.access_policy(membership, pk)
        body = policy_json(policy)
        body["items"] = [
            item_json(i) for i in access.items_for(membership).filter(policy=policy).order_by("id")
        ]
        return Response(body)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Change a policy (officers, operators); state: published|archived",
        operation_id="policies_policy_update",
    )
    def patch(self, request, pk):
        policy = access.access_policy(_membership(request), pk, write=True)
        data = request.data or {}
        try:
            values = _pick(data, POLICY_INPUT, dates=POLICY_DATES, regions=("region",))
            if values:
                policy = services.update_policy(_actor(request), policy, **values)
            if data.get("state") and data["state"] != policy.state:
                policy = services.set_policy_state(_actor(request), policy, data["state"])
        except PolicyError as exc:
            return _error(exc)
        return Response(policy_json(policy))


# --- items ----------------------------------------------------------------------------------


def item_json(i: PolicyItem) -> dict:
    return {
        "key": i.key,
        "policy": i.policy_id,
        "name": i.name,
        "category": i.category,
        "subject": i.subject,
        "proactive": i.proactive,
        "budget_yuan": _money(i.budget_yuan),
        "state": i.state,
    }


def version_json(v) -> dict:
    return {
        "id": v.pk,
        "number": v.number,
        "state": v.state,
        "valid_from": _date(v.valid_from),
        "valid_to": _date(v.valid_to),
        "rule": v.rule,
        "test_cases": v.test_cases,
        "note": v.note,
        "published_at": v.published_at.isoformat() if v.published_at else None,
    }


class ItemListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Policy items the caller may see",
        operation_id="policies_items_list",
    )
    def get(self, request):
        qs = access.items_for(_membership(request)).order_by("policy_id", "id")
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([item_json(i) for i in page])


class ItemDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="An item with its rule versions (drafts for officers and operators)",
        operation_id="policies_item_retrieve",
    )
    def get(self, request, key):
        membership = _membership(request)
        item = access.access_item(membership, key)
        versions = item.versions.order_by("-number")
        if not access.can_manage_policies(membership):
            versions = versions.exclude(state=VersionState.DRAFT)
        return Response({**item_json(item), "versions": [version_json(v) for v in versions]})


# --- projects -------------------------------------------------------------------------------

PROJECT_INPUT = (
    "name",
    "kind",
    "region",
    "start_date",
    "completion_date",
    "status",
    "equipment_yuan",
    "intelligent_equipment_yuan",
    "software_yuan",
    "services_yuan",
    "other_yuan",
    "description",
)
PROJECT_DATES = ("start_date", "completion_date")
LOAN_INPUT = (
    "lender",
    "lender_name",
    "amount_yuan",
    "annual_rate",
    "start_date",
    "end_date",
    "interest_paid_yuan",
)


def loan_json(loan: Loan) -> dict:
    return {
        "id": loan.pk,
        "lender": loan.lender_id,
        "lender_name": loan.lender_name,
        "amount_yuan": _money(loan.amount_yuan),
        "annual_rate": str(loan.annual_rate),
        "start_date": _date(loan.start_date),
        "end_date": _date(loan.end_date),
        "interest_paid_yuan": _money(loan.interest_paid_yuan),
    }


def project_json(p: Project, *, loans=None) -> dict:
    total = p.total_investment_yuan
    out = {
        "id": p.pk,
        "enterprise": {"id": p.enterprise_id, "name": p.enterprise.name},
        "name": p.name,
        "kind": p.kind,
        "status": p.status,
        "region": p.region_id,
        "start_date": _date(p.start_date),
        "completion_date": _date(p.completion_date),
        "equipment_yuan": _money(p.equipment_yuan),
        "intelligent_equipment_yuan": _money(p.intelligent_equipment_yuan),
        "software_yuan": _money(p.software_yuan),
        "services_yuan": _money(p.services_yuan),
        "other_yuan": _money(p.other_yuan),
        "total_investment_yuan": _money(total),
        "description": p.description,
    }
    if loans is not None:
        out["loans"] = [loan_json(loan) for loan in loans]
    return out


class ProjectListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Projects: an enterprise's own; officers and operators: all",
        operation_id="policies_projects_list",
    )
    def get(self, request):
        qs = access.projects_for(_membership(request)).order_by("-created_at", "-id")
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([project_json(p) for p in page])

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Record a project of the acting enterprise; amounts in yuan, null = unknown",
        operation_id="policies_projects_create",
    )
    def post(self, request):
        membership = _membership(request)
        if not access.has_projects(membership):
            raise Http404
        data = request.data or {}
        try:
            values = _pick(data, PROJECT_INPUT, dates=PROJECT_DATES, regions=("region",))
            project = services.create_project(
                _actor(request),
                membership.organization,
                name=values.pop("name", ""),
                kind=values.pop("kind", ""),
                **values,
            )
        except PolicyError as exc:
            return _error(exc)
        return Response(project_json(project, loans=[]), status=status.HTTP_201_CREATED)


class ProjectDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="A project with its loans",
        operation_id="policies_project_retrieve",
    )
    def get(self, request, pk):
        project = access.access_project(_membership(request), pk)
        return Response(project_json(project, loans=project.loans.order_by("start_date", "id")))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Change a project (its enterprise only)",
        operation_id="policies_project_update",
    )
    def patch(self, request, pk):
        project = access.access_project(_membership(request), pk, write=True)
        try:
            values = _pick(
                request.data or {}, PROJECT_INPUT, dates=PROJECT_DATES, regions=("region",)
            )
            project = services.update_project(_actor(request), project, **values)
        except PolicyError as exc:
            return _error(exc)
        project = access.access_project(_membership(request), pk)
        return Response(project_json(project, loans=project.loans.order_by("start_date", "id")))


def _loan_values(data: dict) -> dict:
    values = _pick(data, LOAN_INPUT, dates=("start_date", "end_date"))
    if "lender" in values:
        lender_id = values["lender"]
        lender = None
        if lender_id not in (None, ""):
            lender = Organization.objects.filter(pk=lender_id, kind="bank").first()
            if lender is None:
                raise PolicyError("unknown_lender", "lender: no such bank", field="lender")
        values["lender"] = lender
    return values


class ProjectLoansApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="A project's loans",
        operation_id="policies_project_loans_list",
    )
    def get(self, request, pk):
        project = access.access_project(_membership(request), pk)
        return Response([loan_json(x) for x in project.loans.order_by("start_date", "id")])

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Add a loan: {lender_name|lender, amount_yuan, annual_rate (0.0345), "
        "start_date, end_date, interest_paid_yuan}",
        operation_id="policies_project_loans_create",
    )
    def post(self, request, pk):
        project = access.access_project(_membership(request), pk, write=True)
        try:
            values = _loan_values(request.data or {})
            loan = services.add_loan(
                _actor(request),
                project,
                amount_yuan=values.pop("amount_yuan", None),
                annual_rate=values.pop("annual_rate", None),
                start_date=values.pop("start_date", None),
                end_date=values.pop("end_date", None),
                **values,
            )
        except PolicyError as exc:
            return _error(exc)
        return Response(loan_json(loan), status=status.HTTP_201_CREATED)


class ProjectLoanDetailApi(APIView):
    permission_classes = [ActsInMembership]

    def _loan(self, request, pk, loan_id, *, write=False) -> Loan:
        loan = access.access_loan(_membership(request), loan_id, write=write)
        if loan.project_id != pk:
            raise Http404
        return loan

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Change a loan",
        operation_id="policies_project_loan_update",
    )
    def patch(self, request, pk, loan_id):
        loan = self._loan(request, pk, loan_id, write=True)
        try:
            loan = services.update_loan(_actor(request), loan, **_loan_values(request.data or {}))
        except PolicyError as exc:
            return _error(exc)
        return Response(loan_json(loan))

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Remove a loan",
        operation_id="policies_project_loan_destroy",
    )
    def delete(self, request, pk, loan_id):
        loan = self._loan(request, pk, loan_id, write=True)
        services.remove_loan(_actor(request), loan)
        return Response(status=status.HTTP_204_NO_CONTENT)
