"""The monthly report (进展情况月报): drafting from the month's records, editing, publishing
(the figures are frozen with their time), all by operators and audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.accounts.roles import Role
from zhizao.common.audit import Actor
from zhizao.common.services import update_fields
from zhizao_core.insights import add_months
from zhizao_core.insights.sections import ACTIVITY_SECTIONS

from ..access import scope_of_region
from ..enums import ActivitySource, ReportState
from ..errors import InsightsError
from ..models import MonthlyReport, ReportActivity, ReportNewsItem
from ..providers import activity_sources
from ..report_data import month_figures
from .base import audit


def _require_operator(actor: Actor) -> None:
    if actor.role != Role.OPERATOR:
        raise InsightsError("not_operator", _("Only operators edit the monthly report."))


def _require_draft(report: MonthlyReport) -> None:
    if report.state != ReportState.DRAFT:
        raise InsightsError(
            "published", _("This report is published; its figures and text are frozen.")
        )


def _user(actor: Actor):
    return actor.user if getattr(actor, "user_id", None) else None


def default_title(month: dt.date, scope_name: str = "") -> str:
    where = f"{scope_name}" if scope_name else ""
    return f"{where}智能制造推进进展情况月报（{month.year}年{month.month}月）"


def _activities_from_records(report: MonthlyReport) -> list[ReportActivity]:
    first = report.month
    last = add_months(first, 1) - dt.timedelta(days=1)
    prefix = scope_of_region(report.scope).prefix
    out = []
    for source in activity_sources():
        for activity in source.fetch(first, last, prefix):
            out.append(
                ReportActivity(
                    report=report,
                    section=activity.section if activity.section in ACTIVITY_SECTIONS else "self",
                    date=activity.date,
                    title=activity.title[:300],
                    detail=activity.detail,
                    source=ActivitySource.RECORDS,
                    provider=source.name,
                    link=activity.link[:300],
                )
            )
    return out


def draft_report(actor: Actor, *, month: dt.date, scope=None) -> MonthlyReport:
    """The draft for ``month`` (and ``scope``, a Region or None for all regions): created with
    the month's activities from the records, or — when a draft exists — its activities from
    the records taken again (those added by hand stay)."""
    _require_operator(actor)
    month = dt.date(month.year, month.month, 1)
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().filter(month=month, scope=scope).first()
        created = report is None
        if created:
            report = MonthlyReport.objects.create(
                month=month,
                scope=scope,
                title=default_title(month, scope.name_zh if scope else ""),
                created_by=_user(actor),
            )
        else:
            _require_draft(report)
            report.activities.filter(source=ActivitySource.RECORDS).delete()
        activities = _activities_from_records(report)
        ReportActivity.objects.bulk_create(activities)
        audit(
            actor,
            "report_drafted",
            report,
            context={"month": month.isoformat(), "activities": len(activities), "new": created},
        )
    return report


REPORT_FIELDS = ("title", "summary", "plan", "section_texts")


def update_report(actor: Actor, report: MonthlyReport, **values) -> MonthlyReport:
    _require_operator(actor)
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        raise InsightsError("unknown_field", _("Unknown field: %s") % ", ".join(sorted(unknown)))
    if "section_texts" in values:
        values["section_texts"] = {
            k: str(v) for k, v in values["section_texts"].items() if k in ACTIVITY_SECTIONS
        }
    with transaction.atomic():
        locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        _require_draft(locked)
        update_fields(actor, locked, values, fields=REPORT_FIELDS, event="insights.report_updated")
    return locked


def add_activity(
    actor: Actor,
    report: MonthlyReport,
    *,
    section: str,
    date: dt.date,
    title: str,
    detail: str = "",
) -> ReportActivity:
    _require_operator(actor)
    if section not in ACTIVITY_SECTIONS:
        raise InsightsError("section", _("Choose one of the report's sections."), field="section")
    if not title.strip():
        raise InsightsError("title", _("Give the activity a title."), field="title")
    with transaction.atomic():
        locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        _require_draft(locked)
        activity = ReportActivity.objects.create(
            report=locked,
            section=section,
            date=date,
            title=title.strip(),
            detail=detail,
            source=ActivitySource.MANUAL,
        )
        audit(actor, "activity_added", activity, context={"report": locked.pk, "section": section})
    return activity


def remove_activity(actor: Actor, activity: ReportActivity) -> None:
    _require_operator(actor)
    with transaction.atomic():
        locked = MonthlyReport.objects.select_for_update().get(pk=activity.report_id)
        _require_draft(locked)
        audit(actor, "activity_removed", activity, context={"report": locked.pk})
        activity.delete()


def add_news_item(actor: Actor, report: MonthlyReport, *, title: str, body: str = "", photo=None):
    _require_operator(actor)
    if not title.strip():
        raise InsightsError("title", _("Give the news item a title."), field="title")
    with transaction.atomic():
        locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        _require_draft(locked)
        item = ReportNewsItem(
            report=locked, title=title.strip(), body=body, position=locked.news.count()
        )
        if photo is not None:
            item.photo.save(photo.name, photo, save=False)
        item.save()
        audit(actor, "news_added", item, context={"report": locked.pk})
    return item


def remove_news_item(actor: Actor, item: ReportNewsItem) -> None:
    _require_operator(actor)
    with transaction.atomic():
        locked = MonthlyReport.objects.select_for_update().get(pk=item.report_id)
        _require_draft(locked)
        audit(actor, "news_removed", item, context={"report": locked.pk})
        item.delete()


def publish_report(actor: Actor, report: MonthlyReport) -> MonthlyReport:
    """Freeze the figures as they are now (``as_of``) and publish."""
    _require_operator(actor)
    with transaction.atomic():
        locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        _require_draft(locked)
        figures, as_of = month_figures(locked.month, scope_of_region(locked.scope))
        locked.figures = figures
        locked.as_of = as_of or timezone.now()
        locked.state = ReportState.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["figures", "as_of", "state", "published_at", "updated_at"])
        audit(
            actor,
            "report_published",
            locked,
            changes={"state": [ReportState.DRAFT, ReportState.PUBLISHED]},
        )
    return locked
