"""What a monthly report shows: its figures (from the summary tables, or frozen in a published
report) and its sections with their activities, news and plan. Shared by the page, the Word
file, the PDF, the API and the command."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from zhizao_core.insights import Activity as CoreActivity
from zhizao_core.insights import add_months, month_label, sort_activities
from zhizao_core.insights.sections import SECTIONS

from .access import Scope, scope_of_region
from .enums import ReportState
from .models import Fact, MonthlyReport, Refresh
from .providers import activity_sources, figures


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def month_figures(month: dt.date, scope: Scope) -> tuple[dict, dt.datetime | None]:
    """Each report figure for ``month`` within ``scope``: the month's value, the year to
    date and (for a registry) the total at the end of the month; and the time of the summary
    tables they come from. Two queries."""
    end = month
    year_start = dt.date(month.year, 1, 1)
    qs = Fact.objects.filter(
        group="", industry_division="*", size="*", month__lte=end, **scope.filter_kwargs()
    )
    values: dict[tuple[str, dt.date], Decimal] = {}
    for row in qs.values("figure", "month").annotate(v=Sum("value")).order_by():
        values[(row["figure"], row["month"])] = row["v"]
    out = {}
    for fig in figures():
        if not fig.in_report:
            continue
        mine = {m: v for (name, m), v in values.items() if name == fig.name}
        in_month = mine.get(month, Decimal("0"))
        ytd = sum((v for m, v in mine.items() if m >= year_start), Decimal("0"))
        total = sum(mine.values(), Decimal("0"))
        entry = {
            "label": str(fig.label),
            "unit": fig.unit,
            "month": _money(in_month) if fig.unit == "yuan" else int(in_month),
            "year_to_date": _money(ytd) if fig.unit == "yuan" else int(ytd),
        }
        if fig.stock:
            entry["total"] = int(total) if fig.unit == "count" else _money(total)
        out[fig.name] = entry
    refresh = Refresh.objects.order_by("-finished_at", "-id").first()
    return out, refresh.finished_at if refresh else None


def records_activities(month: dt.date, scope: Scope) -> list[CoreActivity]:
    """The month's activities from every registered source, within the scope."""
    last = add_months(month, 1) - dt.timedelta(days=1)
    return [a for source in activity_sources() for a in source.fetch(month, last, scope.prefix)]


def report_content(report: MonthlyReport) -> dict:
    """The report as data (the JSON of the command and the API; the context of the files).
    An unsaved report (the command's preview) takes its activities from the records."""
    scope = scope_of_region(report.scope)
    if report.state == ReportState.PUBLISHED:
        figs, as_of = report.figures, report.as_of
    else:
        figs, as_of = month_figures(report.month, scope)
    if report.pk is None:
        activities = records_activities(report.month, scope)
    else:
        activities = [
            CoreActivity(
                section=a.section,
                date=a.date,
                title=a.title,
                detail=a.detail,
                source=a.source,
                link=a.link,
            )
            for a in report.activities.all()
        ]
    by_section = sort_activities(activities)
    texts = report.section_texts or {}
    sections = []
    for key, zh, en in SECTIONS:
        section = {"key": key, "title": zh, "title_en": en, "text": texts.get(key, ""), "items": []}
        if key in by_section:
            section["items"] = [
                {
                    "date": a.date.isoformat(),
                    "title": a.title,
                    "detail": a.detail,
                    "source": a.source,
                }
                for a in by_section[key]
            ]
        elif key == "highlights":
            section["items"] = [
                {"title": n.title, "detail": n.body, "photo": n.photo.name if n.photo else ""}
                for n in (report.news.all() if report.pk else [])
            ]
        elif key == "plan":
            section["text"] = report.plan
        sections.append(section)
    return {
        "title": report.title,
        "month": month_label(report.month),
        "scope": scope.code or None,
        "scope_name": scope.name or "",
        "state": report.state,
        "as_of": as_of.isoformat() if as_of else None,
        "summary": report.summary,
        "sections": sections,
        "figures": figs,
        "next_month": month_label(add_months(report.month, 1)),
    }
