"""Policies API for 免申即享: scans, name lists with their entries, announcement, the
enterprise's confirmation, payments and the sandbox. The same access rules
(``zhizao.policies.access``) and services as the pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status

from zhizao.policies import access
from zhizao.policies.errors import PolicyError
from zhizao.policies.models import Payment, PolicyItemVersion
from zhizao.policies.services import namelists, payments, sandbox, scans
from zhizao.policies.services.namelists import region_label

from ..common import (
    AmountInput,
    ApiOperation,
    ErrorSerializer,
    IdField,
    IsoDateTimeField,
    MoneyField,
    OptionalDateField,
    RefSerializer,
    TextInput,
    actor,
    paged,
    paginated,
    parse,
    respond,
)

TAGS = ["policies"]
ERRORS = {400: ErrorSerializer}


def _required(values: dict, name: str):
    if values.get(name) is None:
        raise PolicyError(
            "required", _("%(field)s is required (YYYY-MM-DD).") % {"field": name}, field=name
        )
    return values[name]


def _staff(request):
    membership = request.membership
    if not access.can_scan(membership):
        raise Http404
    return membership


class VersionChoice(serializers.Serializer):
    item = TextInput(max_length=80, help_text="The item's key")
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Version number (default: the published one)",
    )


def _version(membership, values: dict) -> PolicyItemVersion:
    """``item`` (key) with optional ``version`` (number; default: the published one)."""
    item = access.access_item(membership, values.get("item") or "", write=True)
    number = values.get("version")
    qs = item.versions.filter(state__in=scans.SCANNABLE_VERSION_STATES)
    version = qs.filter(number=number).first() if number else item.current_version
    if version is None:
        raise PolicyError(
            "version_not_published", _("This item has no published version."), field="version"
        )
    return version


# --- bodies ---------------------------------------------------------------------------------


class ScanInputSerializer(VersionChoice):
    as_of = OptionalDateField(help_text="The day the rule is evaluated on (required)")


class ScanSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    item = serializers.CharField(source="item_version.item.key")
    version = serializers.IntegerField(source="item_version.number")
    as_of = serializers.DateField()
    state = serializers.CharField()
    progress = serializers.IntegerField()
    evaluated = serializers.IntegerField()
    eligible = serializers.IntegerField(source="eligible_count")
    unknown = serializers.IntegerField(source="unknown_count")
    excluded_by_credit = serializers.IntegerField(source="excluded_count")
    total_yuan = MoneyField(allow_null=True)
    sandbox = serializers.BooleanField(source="is_sandbox")


class ScanDetailSerializer(ScanSerializer):
    summary = serializers.JSONField(
        help_text="By city, by industry, credit exclusions, reach (sandbox: base, sandbox, diff)"
    )


class EntryEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    region = serializers.CharField()


class EntrySerializer(serializers.Serializer):
    """An entry; on an announced (or final) list the enterprise, project and amount are the
    copies taken at announcement, as the public page shows them."""

    id = serializers.IntegerField(source="pk")
    enterprise = serializers.SerializerMethodField()
    project = serializers.SerializerMethodField()
    amount_yuan = serializers.SerializerMethodField()
    state = serializers.CharField()
    reason = serializers.CharField(source="excluded_reason")
    confirmed_at = IsoDateTimeField(allow_null=True)

    @staticmethod
    def _announced(entry) -> bool:
        return entry.name_list.announced_at is not None

    @extend_schema_field(EntryEnterpriseSerializer)
    def get_enterprise(self, entry):
        if self._announced(entry):
            return {
                "id": entry.enterprise_id,
                "name": entry.announced_name,
                "uscc": entry.announced_uscc,
                "region": entry.announced_region,
            }
        return {
            "id": entry.enterprise_id,
            "name": entry.enterprise.name,
            "uscc": entry.enterprise.uscc,
            "region": region_label(entry.enterprise.region),
        }

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_project(self, entry):
        if not entry.project_id:
            return None
        if self._announced(entry):
            return {"id": entry.project_id, "name": entry.announced_project}
        return {"id": entry.project_id, "name": entry.project.name}

    @extend_schema_field(MoneyField(allow_null=True))
    def get_amount_yuan(self, entry):
        amount = entry.announced_amount_yuan if self._announced(entry) else entry.amount_yuan
        return MoneyField().to_representation(amount)


class ConfirmedEntrySerializer(EntrySerializer):
    changed = serializers.SerializerMethodField()

    def get_changed(self, entry) -> bool:
        return self.context["changed"]


class NameListSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    scan = serializers.IntegerField(source="scan_id")
    item = serializers.CharField(source="item_version.item.key")
    version = serializers.IntegerField(source="item_version.number")
    title = serializers.CharField()
    state = serializers.CharField()
    announced_at = IsoDateTimeField(allow_null=True)
    objection_until = serializers.DateField(allow_null=True)


class NameListDetailSerializer(NameListSerializer):
    entries = serializers.SerializerMethodField()

    @extend_schema_field(EntrySerializer(many=True))
    def get_entries(self, name_list):
        entries = name_list.entries.select_related(
            "name_list", "enterprise__region__parent__parent", "project"
        ).order_by("id")
        return EntrySerializer(entries, many=True).data


class NameListInputSerializer(serializers.Serializer):
    scan = IdField(help_text="A finished scan")
    title = TextInput(max_length=300)


class AnnounceInputSerializer(serializers.Serializer):
    days = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=namelists.MAX_OBJECTION_DAYS,
        help_text=f"Objection period in days (default {namelists.DEFAULT_OBJECTION_DAYS})",
    )


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    entry = serializers.IntegerField(source="entry_id")
    stage = serializers.CharField()
    amount_yuan = MoneyField()
    paid_on = serializers.DateField()
    reference = serializers.CharField()


class PaymentQuery(serializers.Serializer):
    entry = IdField()
    name_list = IdField()


class PaymentInputSerializer(serializers.Serializer):
    entry = IdField(help_text="A confirmed name-list entry")
    amount_yuan = AmountInput()
    stage = TextInput(max_length=100)
    paid_on = OptionalDateField(help_text="Required")
    reference = TextInput(max_length=100)


class SandboxInputSerializer(VersionChoice):
    as_of = OptionalDateField(help_text="Required")
    changes = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        allow_null=True,
        help_text='{path: value}, e.g. {"parameters.equipment_rate": "0.10"}',
    )


# --- operations -----------------------------------------------------------------------------


class ScanListApi(ApiOperation):
    @extend_schema(
        responses={200: paginated(ScanSerializer)},
        summary="Proactive scans (officers, operators)",
        operation_id="policies_scans_list",
        tags=TAGS,
    )
    def get(self, request):
        qs = (
            access.scans_for(_staff(request))
            .filter(sandbox_rule__isnull=True)
            .order_by("-created_at", "-id")
        )
        return paged(request, self, qs, ScanSerializer)

    @extend_schema(
        request=ScanInputSerializer,
        responses={201: ScanSerializer, **ERRORS},
        summary="Start a scan: {item, version?, as_of}; runs in the background",
        operation_id="policies_scans_create",
        tags=TAGS,
    )
    def post(self, request):
        membership = _staff(request)
        data = parse(ScanInputSerializer, request.data)
        version = _version(membership, data)
        scan = scans.start_scan(actor(request), version, as_of=_required(data, "as_of"))
        return respond(ScanSerializer, scan, status_code=status.HTTP_201_CREATED)


class ScanDetailApi(ApiOperation):
    @extend_schema(
        responses=ScanDetailSerializer,
        summary="A scan with its summary (by city, by industry, credit exclusions, reach)",
        operation_id="policies_scan_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        return respond(ScanDetailSerializer, access.access_scan(_staff(request), pk))


class NameListListApi(ApiOperation):
    @extend_schema(
        responses={200: paginated(NameListSerializer)},
        summary="Name lists (officers, operators)",
        operation_id="policies_name_lists_list",
        tags=TAGS,
    )
    def get(self, request):
        qs = access.name_lists_for(_staff(request)).order_by("-created_at", "-id")
        return paged(request, self, qs, NameListSerializer)

    @extend_schema(
        request=NameListInputSerializer,
        responses={201: NameListSerializer, **ERRORS},
        summary="Create a draft name list from a finished scan: {scan, title?}",
        operation_id="policies_name_lists_create",
        tags=TAGS,
    )
    def post(self, request):
        membership = _staff(request)
        data = parse(NameListInputSerializer, request.data)
        scan = access.access_scan(membership, data.get("scan") or 0)
        name_list = namelists.create_name_list(actor(request), scan, title=data.get("title", ""))
        return respond(NameListSerializer, name_list, status_code=status.HTTP_201_CREATED)


class NameListDetailApi(ApiOperation):
    @extend_schema(
        responses=NameListDetailSerializer,
        summary="A name list with its entries (listed, confirmed, declined, excluded)",
        operation_id="policies_name_list_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        return respond(NameListDetailSerializer, access.access_name_list(_staff(request), pk))


class NameListAnnounceApi(ApiOperation):
    @extend_schema(
        request=AnnounceInputSerializer,
        responses={200: NameListDetailSerializer, **ERRORS},
        summary="Announce (公示) a draft list: {days?} (default 7); notifies the listed enterprises",
        operation_id="policies_name_list_announce",
        tags=TAGS,
    )
    def post(self, request, pk):
        name_list = access.access_name_list(_staff(request), pk)
        data = parse(AnnounceInputSerializer, request.data)
        name_list = namelists.announce_name_list(
            actor(request),
            name_list,
            days=data.get("days") or namelists.DEFAULT_OBJECTION_DAYS,
        )
        return respond(NameListDetailSerializer, name_list)


class EntryConfirmApi(ApiOperation):
    @extend_schema(
        request=None,
        responses={200: ConfirmedEntrySerializer, **ERRORS},
        summary="The listed enterprise confirms its entry (one click; again changes nothing)",
        operation_id="policies_entry_confirm",
        tags=TAGS,
    )
    def post(self, request, pk):
        entry = access.access_own_entry(request.membership, pk)
        entry, changed = namelists.confirm_entry(actor(request), entry)
        return respond(ConfirmedEntrySerializer, entry, changed=changed)


class PaymentListApi(ApiOperation):
    @extend_schema(
        parameters=[PaymentQuery],
        responses={200: paginated(PaymentSerializer), **ERRORS},
        summary="Payments (officers, operators); ?entry= or ?name_list= to filter",
        operation_id="policies_payments_list",
        tags=TAGS,
    )
    def get(self, request):
        _staff(request)
        query = parse(PaymentQuery, request.query_params)
        qs = Payment.objects.order_by("paid_on", "id")
        if query.get("entry"):
            qs = qs.filter(entry_id=query["entry"])
        if query.get("name_list"):
            qs = qs.filter(entry__name_list_id=query["name_list"])
        return paged(request, self, qs, PaymentSerializer)

    @extend_schema(
        request=PaymentInputSerializer,
        responses={201: PaymentSerializer, **ERRORS},
        summary="Record a payment: {entry, amount_yuan, stage, paid_on, reference?}; 400 with the "
        "reason when it would exceed the entry's amount or the budget",
        operation_id="policies_payments_create",
        tags=TAGS,
    )
    def post(self, request):
        membership = _staff(request)
        data = parse(PaymentInputSerializer, request.data)
        entry = access.access_entry(membership, data.get("entry") or 0)
        payment = payments.record_payment(
            actor(request),
            entry,
            amount_yuan=data.get("amount_yuan"),
            stage=data.get("stage", ""),
            paid_on=_required(data, "paid_on"),
            reference=data.get("reference", ""),
        )
        return respond(PaymentSerializer, payment, status_code=status.HTTP_201_CREATED)


class SandboxApi(ApiOperation):
    @extend_schema(
        request=SandboxInputSerializer,
        responses={201: ScanDetailSerializer, **ERRORS},
        summary="What-if (政策沙盘): {item, as_of, changes: {path: value}} → the comparison with "
        "the rule in force",
        operation_id="policies_sandbox_run",
        tags=TAGS,
    )
    def post(self, request):
        membership = _staff(request)
        data = parse(SandboxInputSerializer, request.data)
        version = _version(membership, data)
        run = sandbox.run_sandbox(
            actor(request),
            version,
            changes=data.get("changes") or {},
            as_of=_required(data, "as_of"),
        )
        return respond(ScanDetailSerializer, run, status_code=status.HTTP_201_CREATED)
