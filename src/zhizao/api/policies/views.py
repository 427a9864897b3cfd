"""Policies API: policies, items with their versions, enterprises' projects with loans. The
same access rules (``zhizao.policies.access``) and services as the pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from zhizao.policies import access, services
from zhizao.policies.enums import PolicyLevel, VersionState
from zhizao.policies.models import Loan

from ..common import ApiOperation, ErrorSerializer, actor, paged, paginated, parse, respond
from .serializers import (
    ItemDetailSerializer,
    ItemSerializer,
    LoanInputSerializer,
    LoanSerializer,
    PolicyDetailSerializer,
    PolicyInputSerializer,
    PolicyPatchSerializer,
    PolicySerializer,
    ProjectDetailSerializer,
    ProjectInputSerializer,
    ProjectSerializer,
)

TAGS = ["policies"]
ERRORS = {400: ErrorSerializer}


class PolicyListQuery(serializers.Serializer):
    level = serializers.ChoiceField(choices=PolicyLevel.choices, required=False)


# --- policies -------------------------------------------------------------------------------


class PolicyListApi(ApiOperation):
    @extend_schema(
        parameters=[PolicyListQuery],
        responses={200: paginated(PolicySerializer), **ERRORS},
        summary="Policies the caller may see (published; officers and operators: all)",
        operation_id="policies_policies_list",
        tags=TAGS,
    )
    def get(self, request):
        query = parse(PolicyListQuery, request.query_params)
        qs = access.policies_for(request.membership).order_by("-valid_from", "-id")
        if query.get("level"):
            qs = qs.filter(level=query["level"])
        return paged(request, self, qs, PolicySerializer)

    @extend_schema(
        request=PolicyInputSerializer,
        responses={201: PolicySerializer, **ERRORS},
        summary="Create a draft policy (officers, operators); region is a GB/T 2260 code",
        operation_id="policies_policies_create",
        tags=TAGS,
    )
    def post(self, request):
        if not access.can_manage_policies(request.membership):
            raise Http404
        values = dict(parse(PolicyInputSerializer, request.data))
        policy = services.create_policy(
            actor(request),
            title=values.pop("title", ""),
            issuing_unit=values.pop("issuing_unit", ""),
            level=values.pop("level", ""),
            valid_from=values.pop("valid_from", None),
            **values,
        )
        return respond(PolicySerializer, policy, status_code=status.HTTP_201_CREATED)


class PolicyDetailApi(ApiOperation):
    def _detail(self, request, policy):
        items = access.items_for(request.membership).filter(policy=policy).order_by("id")
        return respond(PolicyDetailSerializer, policy, items=items)

    @extend_schema(
        responses=PolicyDetailSerializer,
        summary="A policy with its items",
        operation_id="policies_policy_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        return self._detail(request, access.access_policy(request.membership, pk))

    @extend_schema(
        request=PolicyPatchSerializer,
        responses={200: PolicySerializer, **ERRORS},
        summary="Change a policy (officers, operators); state: published|archived",
        operation_id="policies_policy_update",
        tags=TAGS,
    )
    def patch(self, request, pk):
        policy = access.access_policy(request.membership, pk, write=True)
        values = dict(parse(PolicyPatchSerializer, request.data, partial=True))
        state = values.pop("state", None)
        if values:
            policy = services.update_policy(actor(request), policy, **values)
        if state and state != policy.state:
            policy = services.set_policy_state(actor(request), policy, state)
        return respond(PolicySerializer, policy)


# --- items ----------------------------------------------------------------------------------


class ItemListApi(ApiOperation):
    @extend_schema(
        responses={200: paginated(ItemSerializer)},
        summary="Policy items the caller may see",
        operation_id="policies_items_list",
        tags=TAGS,
    )
    def get(self, request):
        qs = access.items_for(request.membership).order_by("policy_id", "id")
        return paged(request, self, qs, ItemSerializer)


class ItemDetailApi(ApiOperation):
    @extend_schema(
        responses=ItemDetailSerializer,
        summary="An item with its rule versions (drafts for officers and operators)",
        operation_id="policies_item_retrieve",
        tags=TAGS,
    )
    def get(self, request, key):
        item = access.access_item(request.membership, key)
        versions = item.versions.order_by("-number")
        if not access.can_manage_policies(request.membership):
            versions = versions.exclude(state=VersionState.DRAFT)
        return respond(ItemDetailSerializer, item, versions=versions)


# --- projects -------------------------------------------------------------------------------


class ProjectListApi(ApiOperation):
    @extend_schema(
        responses={200: paginated(ProjectSerializer)},
        summary="Projects: an enterprise's own; officers and operators: all",
        operation_id="policies_projects_list",
        tags=TAGS,
    )
    def get(self, request):
        qs = access.projects_for(request.membership).order_by("-created_at", "-id")
        return paged(request, self, qs, ProjectSerializer)

    @extend_schema(
        request=ProjectInputSerializer,
        responses={201: ProjectDetailSerializer, **ERRORS},
        summary="Record a project of the acting enterprise; amounts in yuan, null = unknown",
        operation_id="policies_projects_create",
        tags=TAGS,
    )
    def post(self, request):
        membership = request.membership
        if not access.has_projects(membership):
            raise Http404
        values = dict(parse(ProjectInputSerializer, request.data))
        project = services.create_project(
            actor(request),
            membership.organization,
            name=values.pop("name", ""),
            kind=values.pop("kind", ""),
            **values,
        )
        return respond(ProjectDetailSerializer, project, status_code=status.HTTP_201_CREATED)


class ProjectDetailApi(ApiOperation):
    @extend_schema(
        responses=ProjectDetailSerializer,
        summary="A project with its loans",
        operation_id="policies_project_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        return respond(ProjectDetailSerializer, access.access_project(request.membership, pk))

    @extend_schema(
        request=ProjectInputSerializer,
        responses={200: ProjectDetailSerializer, **ERRORS},
        summary="Change a project (its enterprise only)",
        operation_id="policies_project_update",
        tags=TAGS,
    )
    def patch(self, request, pk):
        project = access.access_project(request.membership, pk, write=True)
        values = parse(ProjectInputSerializer, request.data, partial=True)
        services.update_project(actor(request), project, **values)
        return respond(ProjectDetailSerializer, access.access_project(request.membership, pk))


class ProjectLoansApi(ApiOperation):
    @extend_schema(
        responses=LoanSerializer(many=True),
        summary="A project's loans",
        operation_id="policies_project_loans_list",
        tags=TAGS,
    )
    def get(self, request, pk):
        project = access.access_project(request.membership, pk)
        return respond(LoanSerializer, project.loans.order_by("start_date", "id"), many=True)

    @extend_schema(
        request=LoanInputSerializer,
        responses={201: LoanSerializer, **ERRORS},
        summary="Add a loan: {lender_name|lender, amount_yuan, annual_rate (0.0345), "
        "start_date, end_date, interest_paid_yuan}",
        operation_id="policies_project_loans_create",
        tags=TAGS,
    )
    def post(self, request, pk):
        project = access.access_project(request.membership, pk, write=True)
        values = dict(parse(LoanInputSerializer, request.data))
        loan = services.add_loan(
            actor(request),
            project,
            amount_yuan=values.pop("amount_yuan", None),
            annual_rate=values.pop("annual_rate", None),
            start_date=values.pop("start_date", None),
            end_date=values.pop("end_date", None),
            **values,
        )
        return respond(LoanSerializer, loan, status_code=status.HTTP_201_CREATED)


class ProjectLoanDetailApi(ApiOperation):
    def _loan(self, request, pk, loan_id) -> Loan:
        loan = access.access_loan(request.membership, loan_id, write=True)
        if loan.project_id != pk:
            raise Http404
        return loan

    @extend_schema(
        request=LoanInputSerializer,
        responses={200: LoanSerializer, **ERRORS},
        summary="Change a loan",
        operation_id="policies_project_loan_update",
        tags=TAGS,
    )
    def patch(self, request, pk, loan_id):
        loan = self._loan(request, pk, loan_id)
        values = parse(LoanInputSerializer, request.data, partial=True)
        return respond(LoanSerializer, services.update_loan(actor(request), loan, **values))

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Remove a loan",
        operation_id="policies_project_loan_destroy",
        tags=TAGS,
    )
    def delete(self, request, pk, loan_id):
        services.remove_loan(actor(request), self._loan(request, pk, loan_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
