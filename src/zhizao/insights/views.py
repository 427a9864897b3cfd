"""Dashboards (数据看板), the records behind a number, exports, the public summary and the
monthly report pages. Thin: parse, check through ``access``, read selectors, call services."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qsl

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.middleware import membership_optional
from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page
from zhizao.common.pagination import paginate
from zhizao.registry.models import Region
from zhizao_core.insights import month_label

from . import access, exporters, lists, rendering, selectors, services
from .errors import InsightsError
from .forms import (
    ActivityForm,
    FilterForm,
    JurisdictionForm,
    NewReportForm,
    NewsForm,
    ReportForm,
)
from .models import PublicFigure, ReportActivity, ReportNewsItem
from .providers import figure, figures
from .records import records_provider, records_rows
from .report_data import report_content
from .selectors import (
    Filters,
    by_region,
    dashboard,
    government_units,
    jurisdiction_of,
    jurisdiction_rows,
    last_refresh,
)


def _scope_region(membership) -> Region | None:
    """The region of the membership's scope (None: every region), for the region pickers."""
    scope = access.access_scope(membership)
    return Region.objects.filter(code=scope.code).first() if scope.code else None


def _filters(request) -> Filters:
    return FilterForm(request.GET).filters(request.membership)


def _region_path(request, filters: Filters) -> list[Region]:
    """The regions from the user's own scope down to the one shown (the breadcrumb)."""
    path = []
    region = (
        Region.objects.filter(code=filters.scope.code).select_related("parent").first()
        if filters.scope.code
        else None
    )
    own = access.scope_for(request.membership)
    while region is not None:
        path.insert(0, region)
        if own.code and region.code == own.code:
            break
        region = region.parent
    return path


def _dashboard_context(request, filters: Filters) -> dict:
    """The whole drawn dashboard (the PDF draws it all again; the page reads it cached)."""
    return {
        **rendering.figures_context(filters, request.GET.get("map")),
        "region_path": _region_path(request, filters),
        "refresh": last_refresh(),
    }


@login_required
def dashboard_view(request):
    filters = _filters(request)
    refresh = last_refresh()
    own = access.access_scope(request.membership)
    context = {
        "filters": filters,
        "body": rendering.dashboard_body(filters, request.GET.get("map"), refresh, own),
        "region_path": _region_path(request, filters),
        "refresh": refresh,
        "query": filters.query(),
        "can_refresh": access.can_edit_reports(request.membership),
    }
    return render(request, "insights/dashboard.html", context)


@login_required
def dashboard_pdf(request):
    filters = _filters(request)
    context = _dashboard_context(request, filters)
    context["now"] = timezone.localtime()
    context["filter_names"] = selectors.filter_names(filters)
    response = HttpResponse(exporters.dashboard_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''dashboard-{filters.scope.code or 'all'}.pdf"
    )
    return response


@login_required
@list_page(lists.RECORDS)
def records(request, name):
    fig = figure(name)
    if fig is None:
        raise Http404
    filters = _filters(request)
    key = request.GET.get("key", "")
    listing = lists.RECORDS.run(
        request, records_rows(fig, filters, key=key), provider=records_provider(fig)
    )
    if listing.response:
        return listing.response
    # the dashboard's filters (scope, period, groups) and the figure's item stay with the list
    listing.keep = parse_qsl(filters.query(key=key or None))
    return render(
        request,
        "insights/records.html",
        {
            **listing.context(),
            "figure": fig,
            "filters": filters,
            "rows": listing.page_obj.object_list,
            "key": key,
        },
    )


@login_required
def export(request, name, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    fig = figure(name)
    if fig is None:
        raise Http404
    filters = _filters(request)
    unit = "元" if fig.unit == "yuan" else "个"

    def exact(value):
        return value.quantize(Decimal("0.01")) if fig.unit == "yuan" else int(value)

    if request.GET.get("by") == "region":
        rows = [
            (str(fig.label), r["name"], exact(r["value"]), unit, r["code"])
            for r in by_region(filters, name)
        ]
        header = exporters.REGION_HEADER
    else:
        data = dashboard(filters)
        value = data["values"][name]
        if value.keys:
            rows = [
                (
                    str(fig.label),
                    k["label"],
                    f"{month_label(filters.start)}—{month_label(filters.end)}",
                    exact(k["value"]),
                    unit,
                )
                for k in value.keys
            ]
        else:
            rows = [
                (str(fig.label), "", p["label"], exact(p["value"]), unit)
                for p in data["monthly"][name]
            ]
        header = exporters.SERIES_HEADER
    body, content_type = exporters.table_bytes(fmt, header, rows)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{name}-{filters.scope.code or 'all'}.{fmt}"
    )
    return response


@login_required
@require_POST
def refresh(request):
    if not access.can_edit_reports(request.membership):
        raise Http404
    services.request_refresh(actor_for_request(request))
    messages.success(request, _("The figures will be refreshed in the background."))
    return redirect("insights:dashboard")


# --- public summary ------------------------------------------------------------------------


@membership_optional
def public_summary(request):
    names = list(PublicFigure.objects.values_list("figure", flat=True))
    data = (
        dashboard(Filters(scope=access.EVERYWHERE, start=None, end=None))
        if names
        else {"values": {}}
    )
    shown = [data["values"][n] for n in names if n in data["values"]]
    return render(request, "insights/public.html", {"figures": shown, "refresh": last_refresh()})


@login_required
def public_settings(request):
    if not access.can_manage_public_figures(request.membership):
        raise Http404
    if request.method == "POST":
        try:
            services.set_public_figures(actor_for_request(request), request.POST.getlist("figures"))
        except InsightsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("insights:public_settings")
    chosen = set(PublicFigure.objects.values_list("figure", flat=True))
    return render(
        request, "insights/public_settings.html", {"figures": figures(), "chosen": chosen}
    )


# --- jurisdictions ------------------------------------------------------------------------


def _operator_only(request) -> None:
    if not access.can_manage_jurisdictions(request.membership):
        raise Http404


@login_required
def jurisdiction_list(request):
    _operator_only(request)
    page = paginate(request, government_units(), 25)
    return render(
        request,
        "insights/jurisdictions.html",
        {"page_obj": page, "rows": jurisdiction_rows(page.object_list)},
    )


@login_required
def jurisdiction_edit(request, pk):
    _operator_only(request)
    unit = government_units().filter(pk=pk).first()
    if unit is None:
        raise Http404
    current = jurisdiction_of(unit)
    form = JurisdictionForm(
        request.POST or None, initial={"region": current.pk if current else unit.region_id}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_jurisdiction(
                    actor_for_request(request), unit, form.cleaned_data["region"]
                )
            except InsightsError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Jurisdiction saved."))
                return redirect("insights:jurisdiction_list")
        status = 400
    return render(
        request,
        "insights/jurisdiction_edit.html",
        {"unit": unit, "form": form, "is_set": current is not None},
        status=status,
    )


# --- monthly reports ------------------------------------------------------------------------


@login_required
@list_page(lists.REPORTS)
def report_list(request):
    access.access_scope(request.membership)
    listing = lists.REPORTS.run(request, access.reports_for(request.membership))
    if listing.response:
        return listing.response
    return render(
        request,
        "insights/report_list.html",
        {
            **listing.context(),
            "reports": listing.page_obj.object_list,
            "can_edit": access.can_edit_reports(request.membership),
            "form": NewReportForm(within=_scope_region(request.membership)),
        },
    )


@login_required
@require_POST
@list_page(lists.REPORTS)
def report_new(request):
    if not access.can_edit_reports(request.membership):
        raise Http404
    form = NewReportForm(request.POST, within=_scope_region(request.membership))
    if form.is_valid():
        try:
            report = services.draft_report(
                actor_for_request(request),
                month=form.cleaned_data["month"],
                scope=form.cleaned_data.get("scope"),
            )
        except InsightsError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("insights:report_detail", pk=report.pk)
    # the list's first page under the form (a POST has no list parameters)
    listing = lists.REPORTS.run(request, access.reports_for(request.membership))
    return render(
        request,
        "insights/report_list.html",
        {
            **listing.context(),
            "reports": listing.page_obj.object_list,
            "can_edit": True,
            "form": form,
        },
        status=400,
    )


def _report_page(request, report, *, form=None, activity_form=None, news_form=None, status=200):
    content = report_content(report)
    titles = {section["key"]: section["title"] for section in content["sections"]}
    can_edit = access.can_edit_reports(request.membership) and report.state == "draft"
    return render(
        request,
        "insights/report_detail.html",
        {
            "report": report,
            "content": content,
            "figure_rows": exporters.figure_rows(content),
            "as_of_text": exporters.as_of_text(content),
            "can_edit": can_edit,
            "form": form
            or ReportForm(
                initial={
                    "title": report.title,
                    "summary": report.summary,
                    "plan": report.plan,
                    **{f"section_{k}": v for k, v in (report.section_texts or {}).items()},
                }
            ),
            "activity_form": activity_form or ActivityForm(initial={"date": report.month}),
            "news_form": news_form or NewsForm(),
            # each activity with its section's title (an unknown key sorts into 自身建设)
            "activities": [
                (a, titles.get(a.section, titles["self"])) for a in report.activities.all()
            ],
            "news": report.news.all(),
        },
        status=status,
    )


@login_required
def report_detail(request, pk):
    report = access.access_report(request.membership, pk)
    if request.method == "POST":
        report = access.access_report(request.membership, pk, write=True)
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.update_report(
                    actor_for_request(request),
                    report,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    plan=form.cleaned_data["plan"],
                    section_texts=form.section_texts(),
                )
            except InsightsError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Report saved."))
                return redirect("insights:report_detail", pk=report.pk)
        return _report_page(request, report, form=form, status=400)
    return _report_page(request, report)


@login_required
@require_POST
def report_redraft(request, pk):
    report = access.access_report(request.membership, pk, write=True)
    try:
        services.draft_report(actor_for_request(request), month=report.month, scope=report.scope)
    except InsightsError as error:
        messages.error(request, error.message)
    return redirect("insights:report_detail", pk=report.pk)


@login_required
@require_POST
def activity_add(request, pk):
    report = access.access_report(request.membership, pk, write=True)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.add_activity(actor_for_request(request), report, **form.cleaned_data)
        except InsightsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Activity added."))
            return redirect("insights:report_detail", pk=report.pk)
    return _report_page(request, report, activity_form=form, status=400)


@login_required
@require_POST
def activity_remove(request, pk):
    activity = ReportActivity.objects.filter(pk=pk).first()
    if activity is None:
        raise Http404
    report = access.access_report(request.membership, activity.report_id, write=True)
    try:
        services.remove_activity(actor_for_request(request), activity)
    except InsightsError as error:
        messages.error(request, error.message)
    return redirect("insights:report_detail", pk=report.pk)


@login_required
@require_POST
def news_add(request, pk):
    report = access.access_report(request.membership, pk, write=True)
    form = NewsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_news_item(
                actor_for_request(request),
                report,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                photo=form.cleaned_data.get("photo"),
            )
        except InsightsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("News item added."))
            return redirect("insights:report_detail", pk=report.pk)
    return _report_page(request, report, news_form=form, status=400)


@login_required
@require_POST
def news_remove(request, pk):
    item = ReportNewsItem.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    report = access.access_report(request.membership, item.report_id, write=True)
    try:
        services.remove_news_item(actor_for_request(request), item)
    except InsightsError as error:
        messages.error(request, error.message)
    return redirect("insights:report_detail", pk=report.pk)


@login_required
@require_POST
def report_publish(request, pk):
    report = access.access_report(request.membership, pk, write=True)
    try:
        services.publish_report(actor_for_request(request), report)
    except InsightsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Report published; its figures are frozen."))
    return redirect("insights:report_detail", pk=report.pk)


@login_required
def report_download(request, pk, fmt):
    if fmt not in ("docx", "pdf"):
        raise Http404
    report = access.access_report(request.membership, pk)
    body, content_type = exporters.report_file_bytes(report, fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''monthly-report-{month_label(report.month)}.{fmt}"
    )
    return response
