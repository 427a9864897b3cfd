"""Policies API for 免申即享: scans, name lists with their entries, announcement, the
enterprise's confirmation, payments and the sandbox. The same access rules
(``zhizao.policies.access``) and services as the pages."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from zhizao.policies import access
from zhizao.policies.errors import PolicyError
from zhizao.policies.models import NameList, NameListEntry, Payment, PolicyItemVersion, Scan
from zhizao.policies.services import namelists, payments, sandbox, scans
from zhizao.policies.services.namelists import region_label

from ..pagination import StandardPagination
from ..permissions import ActsInMembership
from .views import _actor, _error, _membership


def _money(value) -> str | None:
    return None if value is None else str(value)


def _day(data: dict, name: str, *, required: bool = True) -> dt.date | None:
    raw = data.get(name)
    if raw in (None, ""):
        if required:
            raise PolicyError("required", f"{name}: YYYY-MM-DD", field=name)
        return None
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise PolicyError("bad_date", f"{name}: YYYY-MM-DD", field=name) from None


def _staff(request):
    membership = _membership(request)
    if not access.can_scan(membership):
        raise Http404
    return membership


def _version(membership, data: dict) -> PolicyItemVersion:
    """``item`` (key) with optional ``version`` (number; default: the published one)."""
    item = access.access_item(membership, str(data.get("item") or ""), write=True)
    number = data.get("version")
    qs = item.versions.filter(state__in=scans.SCANNABLE_VERSION_STATES)
    version = qs.filter(number=number).first() if number else item.current_version
    if version is None:
        raise PolicyError("version_not_published", "no published version", field="version")
    return version


def scan_json(scan: Scan, *, summary: bool = False) -> dict:
    body = {
        "id": scan.pk,
        "item": scan.item_version.item.key,
        "version": scan.item_version.number,
        "as_of": scan.as_of.isoformat(),
        "state": scan.state,
        "progress": scan.progress,
        "evaluated": scan.evaluated,
        "eligible": scan.eligible_count,
        "unknown": scan.unknown_count,
        "excluded_by_credit": scan.excluded_count,
        "total_yuan": _money(scan.total_yuan),
        "sandbox": scan.is_sandbox,
    }
    if summary:
        body["summary"] = scan.summary
    return body


class ScanListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Proactive scans (officers, operators)",
        operation_id="policies_scans_list",
    )
    def get(self, request):
        qs = (
            access.scans_for(_staff(request))
            .filter(sandbox_rule__isnull=True)
            .order_by("-created_at", "-id")
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([scan_json(s) for s in page])

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Start a scan: {item, version?, as_of}; runs in the background",
        operation_id="policies_scans_create",
    )
    def post(self, request):
        membership = _staff(request)
        data = request.data or {}
        try:
            version = _version(membership, data)
            scan = scans.start_scan(_actor(request), version, as_of=_day(data, "as_of"))
        except PolicyError as exc:
            return _error(exc)
        return Response(scan_json(scan), status=status.HTTP_201_CREATED)


class ScanDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="A scan with its summary (by city, by industry, credit exclusions, reach)",
        operation_id="policies_scan_retrieve",
    )
    def get(self, request, pk):
        return Response(scan_json(access.access_scan(_staff(request), pk), summary=True))


def entry_json(entry: NameListEntry, *, announced: bool = False) -> dict:
    """An entry; on an announced (or final) list the enterprise, project and amount are the
    copies taken at announcement, as the public page shows them."""
    if announced:
        enterprise = {
            "id": entry.enterprise_id,
            "name": entry.announced_name,
            "uscc": entry.announced_uscc,
            "region": entry.announced_region,
        }
        project = (
            {"id": entry.project_id, "name": entry.announced_project} if entry.project_id else None
        )
        amount = entry.announced_amount_yuan
    else:
        enterprise = {
            "id": entry.enterprise_id,
            "name": entry.enterprise.name,
            "uscc": entry.enterprise.uscc,
            "region": region_label(entry.enterprise.region),
        }
        project = {"id": entry.project_id, "name": entry.project.name} if entry.project else None
        amount = entry.amount_yuan
    return {
        "id": entry.pk,
        "enterprise": enterprise,
        "project": project,
        "amount_yuan": _money(amount),
        "state": entry.state,
        "reason": entry.excluded_reason,
        "confirmed_at": entry.confirmed_at.isoformat() if entry.confirmed_at else None,
    }


def name_list_json(name_list: NameList, *, entries=None) -> dict:
    body = {
        "id": name_list.pk,
        "scan": name_list.scan_id,
        "item": name_list.item_version.item.key,
        "version": name_list.item_version.number,
        "title": name_list.title,
        "state": name_list.state,
        "announced_at": name_list.announced_at.isoformat() if name_list.announced_at else None,
        "objection_until": name_list.objection_until.isoformat()
        if name_list.objection_until
        else None,
    }
    if entries is not None:
        announced = name_list.announced_at is not None
        body["entries"] = [entry_json(e, announced=announced) for e in entries]
    return body


class NameListListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Name lists (officers, operators)",
        operation_id="policies_name_lists_list",
    )
    def get(self, request):
        qs = access.name_lists_for(_staff(request)).order_by("-created_at", "-id")
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([name_list_json(n) for n in page])

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Create a draft name list from a finished scan: {scan, title?}",
        operation_id="policies_name_lists_create",
    )
    def post(self, request):
        membership = _staff(request)
        data = request.data or {}
        scan = access.access_scan(membership, data.get("scan") or 0)
        try:
            name_list = namelists.create_name_list(
                _actor(request), scan, title=data.get("title", "")
            )
        except PolicyError as exc:
            return _error(exc)
        return Response(name_list_json(name_list), status=status.HTTP_201_CREATED)


def _entries(name_list):
    return name_list.entries.select_related(
        "enterprise__region__parent__parent", "project"
    ).order_by("id")


class NameListDetailApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="A name list with its entries (listed, confirmed, declined, excluded)",
        operation_id="policies_name_list_retrieve",
    )
    def get(self, request, pk):
        name_list = access.access_name_list(_staff(request), pk)
        return Response(name_list_json(name_list, entries=_entries(name_list)))


class NameListAnnounceApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Announce (公示) a draft list: {days?} (default 7); notifies the listed enterprises",
        operation_id="policies_name_list_announce",
    )
    def post(self, request, pk):
        name_list = access.access_name_list(_staff(request), pk)
        data = request.data or {}
        try:
            name_list = namelists.announce_name_list(
                _actor(request),
                name_list,
                days=data.get("days") or namelists.DEFAULT_OBJECTION_DAYS,
            )
        except PolicyError as exc:
            return _error(exc)
        return Response(name_list_json(name_list, entries=_entries(name_list)))


class EntryConfirmApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="The listed enterprise confirms its entry (one click; again changes nothing)",
        operation_id="policies_entry_confirm",
    )
    def post(self, request, pk):
        entry = access.access_own_entry(_membership(request), pk)
        try:
            entry, changed = namelists.confirm_entry(_actor(request), entry)
        except PolicyError as exc:
            return _error(exc)
        return Response({**entry_json(entry, announced=True), "changed": changed})


def payment_json(payment: Payment) -> dict:
    return {
        "id": payment.pk,
        "entry": payment.entry_id,
        "stage": payment.stage,
        "amount_yuan": _money(payment.amount_yuan),
        "paid_on": payment.paid_on.isoformat(),
        "reference": payment.reference,
    }


class PaymentListApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="Payments (officers, operators); ?entry= or ?name_list= to filter",
        operation_id="policies_payments_list",
    )
    def get(self, request):
        _staff(request)
        qs = Payment.objects.order_by("paid_on", "id")
        if request.query_params.get("entry"):
            qs = qs.filter(entry_id=request.query_params["entry"])
        if request.query_params.get("name_list"):
            qs = qs.filter(entry__name_list_id=request.query_params["name_list"])
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([payment_json(p) for p in page])

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="Record a payment: {entry, amount_yuan, stage, paid_on, reference?}; 400 with the "
        "reason when it would exceed the entry's amount or the budget",
        operation_id="policies_payments_create",
    )
    def post(self, request):
        membership = _staff(request)
        data = request.data or {}
        entry = access.access_entry(membership, data.get("entry") or 0)
        try:
            payment = payments.record_payment(
                _actor(request),
                entry,
                amount_yuan=data.get("amount_yuan"),
                stage=data.get("stage", ""),
                paid_on=_day(data, "paid_on"),
                reference=data.get("reference", ""),
            )
        except PolicyError as exc:
            return _error(exc)
        return Response(payment_json(payment), status=status.HTTP_201_CREATED)


class SandboxApi(APIView):
    permission_classes = [ActsInMembership]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
        summary="What-if (政策沙盘): {item, as_of, changes: {path: value}} → the comparison with "
        "the rule in force",
        operation_id="policies_sandbox_run",
    )
    def post(self, request):
        membership = _staff(request)
        data = request.data or {}
        try:
            version = _version(membership, data)
            changes = data.get("changes") or {}
            if not isinstance(changes, dict):
                raise PolicyError(
                    "bad_changes", "changes: an object {path: value}", field="changes"
                )
            run = sandbox.run_sandbox(
                _actor(request), version, changes=changes, as_of=_day(data, "as_of")
            )
        except PolicyError as exc:
            return _error(exc)
        return Response(scan_json(run, summary=True), status=status.HTTP_201_CREATED)
