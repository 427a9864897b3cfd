"""Insights API: the dashboards' figures and the monthly reports, in the caller's scope (the
same ``zhizao.insights.access`` as the pages: an officer's region limits every answer)."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from zhizao.insights import access
from zhizao.insights.forms import FilterForm
from zhizao.insights.providers import figure
from zhizao.insights.report_data import report_content
from zhizao.insights.selectors import by_region, dashboard, last_refresh

from ..common import ApiOperation, ErrorSerializer, parse, respond

TAGS = ["insights"]


def exact(fig, value) -> str:
    """A figure's value as the API gives it, the same on every database: counts as whole
    numbers ("3"), amounts in 元 with two places ("20000000.00") — PostgreSQL sums a
    two-place column as 3.00 where SQLite gives 3."""
    value = Decimal(value)
    return str(value.quantize(Decimal("0.01"))) if fig.unit == "yuan" else str(int(value))


class FiguresQuery(serializers.Serializer):
    region = serializers.RegexField(
        r"^\d{6}$", required=False, help_text="GB/T 2260 code inside your scope"
    )
    cluster = serializers.SlugField(required=False)
    chain = serializers.SlugField(required=False)
    division = serializers.RegexField(r"^\d{2}$", required=False)
    size = serializers.CharField(required=False)
    start = serializers.RegexField(r"^\d{4}-\d{2}$", required=False, help_text="YYYY-MM")
    end = serializers.RegexField(r"^\d{4}-\d{2}$", required=False, help_text="YYYY-MM")


class KeyValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()


class MonthValueSerializer(serializers.Serializer):
    month = serializers.CharField()
    value = serializers.CharField()


class FigureSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    stock = serializers.BooleanField()
    value = serializers.CharField(help_text="exact decimal")
    keys = KeyValueSerializer(many=True)
    monthly = MonthValueSerializer(many=True)


class RegionValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    scope = serializers.CharField(allow_null=True)
    start = serializers.CharField()
    end = serializers.CharField()
    as_of = serializers.CharField(allow_null=True)
    figures = FigureSerializer(many=True)


class MonthlyReportSerializer(serializers.Serializer):
    title = serializers.CharField()
    month = serializers.CharField()
    scope = serializers.CharField(allow_null=True)
    state = serializers.CharField()
    as_of = serializers.CharField(allow_null=True)
    sections = serializers.ListField(child=serializers.DictField())
    figures = serializers.DictField()


def _filters(request):
    parse(FiguresQuery, request.query_params)
    form = FilterForm(request.query_params)
    return form.filters(request.membership)


class FiguresApi(ApiOperation):
    @extend_schema(
        parameters=[FiguresQuery],
        responses={200: FiguresSerializer, 400: ErrorSerializer},
        summary="Every dashboard figure in your scope (officers: their region), with its split and monthly series",
        operation_id="insights_figures",
        tags=TAGS,
    )
    def get(self, request):
        access.access_scope(request.membership)
        filters = _filters(request)
        data = dashboard(filters)
        refresh = last_refresh()
        figures = [
            {
                "name": v.figure.name,
                "label": str(v.figure.label),
                "unit": v.figure.unit,
                "stock": v.figure.stock,
                "value": exact(v.figure, v.value),
                "keys": [
                    {
                        "key": k["key"],
                        "label": str(k["label"]),
                        "value": exact(v.figure, k["value"]),
                    }
                    for k in v.keys
                ],
                "monthly": [
                    {"month": p["label"], "value": exact(v.figure, p["value"])}
                    for p in data["monthly"][name]
                ],
            }
            for name, v in data["values"].items()
        ]
        return respond(
            FiguresSerializer,
            {
                "scope": filters.scope.code or None,
                "start": filters.start.strftime("%Y-%m"),
                "end": filters.end.strftime("%Y-%m"),
                "as_of": refresh.finished_at.isoformat() if refresh else None,
                "figures": figures,
            },
        )


class FigureRegionsApi(ApiOperation):
    @extend_schema(
        parameters=[FiguresQuery],
        responses={200: RegionValueSerializer(many=True), 400: ErrorSerializer},
        summary="One figure split by the next region level inside the scope (the map's table)",
        operation_id="insights_figure_regions",
        tags=TAGS,
    )
    def get(self, request, name):
        access.access_scope(request.membership)
        filters = _filters(request)
        fig = figure(name)
        if fig is None:
            raise Http404
        rows = [
            {"code": r["code"], "name": r["name"], "value": exact(fig, r["value"])}
            for r in by_region(filters, name)
        ]
        return respond(RegionValueSerializer, rows, many=True)


class ReportApi(ApiOperation):
    @extend_schema(
        responses={200: MonthlyReportSerializer},
        summary="A monthly report as data (operators: any; officers: published ones of their region)",
        operation_id="insights_report",
        tags=TAGS,
    )
    def get(self, request, pk):
        report = access.access_report(request.membership, pk)
        return respond(MonthlyReportSerializer, report_content(report))
