"""Registry API: one class per operation, each calling the same selectors and services as the
pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from zhizao.registry import access, field_rules, selectors
from zhizao.registry.enums import ImportState
from zhizao.registry.errors import RegistryError
from zhizao.registry.forms import OrganizationFilterForm
from zhizao.registry.import_messages import render_error
from zhizao.registry.models import Organization
from zhizao.registry.services import imports as import_services
from zhizao.registry.services import organizations as org_services
from zhizao_core.registry.uscc import normalize_uscc

from ..common import ApiOperation, ErrorSerializer, actor, paginated
from ..pagination import StandardPagination
from ..permissions import require
from .serializers import (
    ChainDetailSerializer,
    ChainSerializer,
    ContactSerializer,
    HistoryEntrySerializer,
    ImportBatchSerializer,
    ImportCommitSerializer,
    MaskedContactSerializer,
    OrganizationDetailSerializer,
    OrganizationSerializer,
    OrganizationWriteSerializer,
)

FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        str,
        description="Free text: Chinese words in the name, products or "
        "capabilities (substring match, all words must occur).",
    ),
    OpenApiParameter(
        "kind",
        str,
        enum=["manufacturer", "provider", "bank", "university", "society", "government"],
    ),
    OpenApiParameter(
        "region",
        str,
        description="GB/T 2260 code of a province (320000), city (320200) or district (320214).",
    ),
    OpenApiParameter(
        "industry",
        str,
        description="GB/T 4754 section letter, division (34), group (342) or class (3421).",
    ),
    OpenApiParameter("size", str, enum=["large", "medium", "small", "micro"]),
    OpenApiParameter("cluster", str, description="Cluster code."),
    OpenApiParameter("chain", str, description="Industrial chain code."),
    OpenApiParameter(
        "sort",
        str,
        enum=[
            "name",
            "-name",
            "created",
            "-created",
            "employees",
            "-employees",
            "revenue",
            "-revenue",
            "founded",
            "-founded",
            "region",
            "-region",
        ],
    ),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description="At most 500."),
]


def _write_data(validated: dict) -> dict:
    data = dict(validated)
    if "region" in data:
        data["region_id"] = data.pop("region")
    if "industry" in data:
        data["industry_id"] = data.pop("industry") or None
    if "uscc" in data:
        data["uscc"] = normalize_uscc(data["uscc"])
    if "name" in data:
        data["name"] = org_services.clean_organization_name(data["name"])
    for key in ("size", "address", "website", "description"):
        if key in data and data[key] is None:
            data[key] = ""
    return data


def _check_across(data: dict, org=None) -> dict[str, list[str]]:
    """The import's rules across columns, on the values after the write (a manufacturer needs
    an industry). Each field's own rules ran in the serializer (``field_rules``)."""
    values = {
        "kind": data.get("kind", org.kind if org else None),
        "industry": data.get("industry_id", org.industry_id if org else None),
    }
    return {
        key: [str(message) for message in error.messages]
        for key, error in field_rules.cross_cell_errors(values).items()
    }


class OrganizationListApi(ApiOperation):
    @extend_schema(
        operation_id="organizations_list",
        parameters=FILTER_PARAMETERS,
        responses=paginated(OrganizationSerializer),
        tags=["registry"],
    )
    def get(self, request):
        require(access.can_browse(request.membership))
        form = OrganizationFilterForm(request.query_params or None)
        if not form.is_valid() and "q" in form.errors:
            # a search too long for the list is refused with its reason, never half-applied
            raise serializers.ValidationError({"q": form.errors["q"]})
        filters = form.to_filter() if request.query_params else selectors.OrganizationFilter()
        queryset = selectors.organizations_for_listing(filters)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(OrganizationSerializer(page, many=True).data)

    @extend_schema(
        operation_id="organizations_create",
        request=OrganizationWriteSerializer,
        responses={201: OrganizationSerializer},
        tags=["registry"],
    )
    def post(self, request):
        require(access.can_add_organization(request.membership))
        serializer = OrganizationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = _write_data(serializer.validated_data)
        missing = [
            f for f in ("name", "uscc", "kind", "region") if f not in serializer.validated_data
        ]
        errors = {f: [str(serializers.Field.default_error_messages["required"])] for f in missing}
        errors.update(_check_across(data))
        if Organization.objects.filter(uscc=data.get("uscc")).exists():
            errors["uscc"] = [render_error("uscc_exists", {"value": data["uscc"]})]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        try:
            org = org_services.create_organization(actor(request), data=data)
        except DjangoValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response(OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)


class OrganizationDetailApi(ApiOperation):
    @staticmethod
    def _body(request, org) -> dict:
        pending = (
            selectors.pending_name_change(org)
            if access.can_view_history(request.membership, org)
            else None
        )
        return OrganizationDetailSerializer(org, context={"pending_name_change": pending}).data

    @extend_schema(
        operation_id="organizations_retrieve",
        responses=OrganizationDetailSerializer,
        tags=["registry"],
    )
    def get(self, request, pk: int):
        org = access.access_organization(request.membership, pk)
        return Response(self._body(request, org))

    @extend_schema(
        operation_id="organizations_partial_update",
        request=OrganizationWriteSerializer,
        responses=OrganizationDetailSerializer,
        tags=["registry"],
        description="A member's new ``name`` (with ``name_change_reason``) is not applied: it "
        "becomes a name-change request for an operator to review (``pending_name_change``). "
        "An operator's new name is applied directly.",
    )
    def patch(self, request, pk: int):
        org = access.access_organization(request.membership, pk, can=access.can_change_organization)
        serializer = OrganizationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = _write_data(serializer.validated_data)
        reason = data.pop("name_change_reason", "")
        if not access.can_add_organization(request.membership):
            for field in ("uscc", "kind"):
                if field in data and data[field] != getattr(org, field):
                    return Response(
                        {field: [render_error("field_read_only", {})]},
                        status=status.HTTP_400_BAD_REQUEST,
                    )
        errors = _check_across(data, org)
        if (
            "uscc" in data
            and Organization.objects.filter(uscc=data["uscc"]).exclude(pk=org.pk).exists()
        ):
            errors["uscc"] = [render_error("uscc_exists", {"value": data["uscc"]})]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        try:
            org_services.update_organization(
                actor(request),
                org,
                data=data,
                rename_directly=access.can_rename_organization(request.membership, org),
                name_change_reason=reason,
            )
        except DjangoValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        org = access.access_organization(request.membership, pk)
        return Response(self._body(request, org))


class OrganizationContactsApi(ApiOperation):
    @extend_schema(
        operation_id="organizations_contacts",
        responses=ContactSerializer(many=True),
        tags=["registry"],
        description="Contacts are personal data: masked unless the caller may see them.",
    )
    def get(self, request, pk: int):
        org = access.access_organization(request.membership, pk)
        contacts = selectors.contacts_for_organization(org)
        if access.can_view_contacts(request.membership, org):
            return Response(ContactSerializer(contacts, many=True).data)
        return Response(MaskedContactSerializer(contacts, many=True).data)


class OrganizationHistoryApi(ApiOperation):
    @extend_schema(
        operation_id="organizations_history",
        tags=["registry"],
        responses=HistoryEntrySerializer(many=True),
    )
    def get(self, request, pk: int):
        org = access.access_organization(request.membership, pk, can=access.can_view_history)
        entries = selectors.history_for_object(org)
        return Response(HistoryEntrySerializer(entries, many=True).data)


class ChainListApi(ApiOperation):
    @extend_schema(
        operation_id="chains_list", responses=ChainSerializer(many=True), tags=["registry"]
    )
    def get(self, request):
        require(access.can_view_chains(request.membership))
        return Response(ChainSerializer(selectors.chains_for_listing(), many=True).data)


class ChainDetailApi(ApiOperation):
    @extend_schema(
        operation_id="chains_retrieve",
        tags=["registry"],
        parameters=[OpenApiParameter("region", str)],
        responses=ChainDetailSerializer,
        description="The chain, its nodes with local enterprise counts and the "
        "weak-link assessment with its reasons.",
    )
    def get(self, request, code: str):
        chain = access.access_chain(request.membership, code)
        view = selectors.chain_view(chain, region=request.query_params.get("region", ""))
        return Response(ChainDetailSerializer(chain, context={"view": view}).data)


class ImportCreateApi(ApiOperation):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="imports_create",
        tags=["registry"],
        request={
            "multipart/form-data": inline_serializer(
                "ImportUpload", fields={"file": serializers.FileField()}
            )
        },
        responses={201: ImportBatchSerializer},
        description="Upload an .xlsx or .csv file of organisations. It is checked (small files "
        "at once, large ones by a worker); nothing is written until `commit`.",
    )
    def post(self, request):
        require(access.can_import_organizations(request.membership))
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {"file": [str(serializers.Field.default_error_messages["required"])]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            batch = import_services.start_import(actor(request), file=upload)
        except RegistryError as error:
            return Response({"file": [error.message]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class ImportDetailApi(ApiOperation):
    @extend_schema(
        operation_id="imports_retrieve", responses=ImportBatchSerializer, tags=["registry"]
    )
    def get(self, request, pk):
        return Response(ImportBatchSerializer(access.access_import(request.membership, pk)).data)


class ImportCommitApi(ApiOperation):
    @extend_schema(
        operation_id="imports_commit",
        tags=["registry"],
        request=ImportCommitSerializer,
        responses={
            200: ImportBatchSerializer,
            202: ImportBatchSerializer,
            400: ImportCommitSerializer,
            409: ErrorSerializer,
        },
    )
    def post(self, request, pk):
        batch = access.access_import(request.membership, pk)
        options = ImportCommitSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        skip = options.validated_data["skip_invalid"]
        try:
            batch = import_services.commit_import(actor(request), batch, skip_invalid=skip)
        except RegistryError as error:
            return Response(
                {"code": error.code, "detail": error.message}, status=status.HTTP_409_CONFLICT
            )
        code = (
            status.HTTP_200_OK if batch.state == ImportState.COMMITTED else status.HTTP_202_ACCEPTED
        )
        return Response(ImportBatchSerializer(batch).data, status=code)
