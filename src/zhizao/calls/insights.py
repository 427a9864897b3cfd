"""Calls' figures for the dashboards and the monthly report: applications submitted (by the
kind of call) and recognitions granted through published catalogues (by kind); the calls'
milestones (application opens, public notice, catalogue published) as report activities."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhizao.insights.providers import ActivitySource, Figure, register_activities, register_figure
from zhizao_core.insights import Activity

from .enums import CallKind, StageKind
from .models import Application, CallStage, Catalogue, CatalogueEntry, Publicity


def _kind_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in CallKind.choices}


register_figure(
    Figure(
        name="calls.applications",
        label=_("Applications submitted to calls"),
        area="calls",
        queryset=lambda: Application.objects.filter(submitted_at__isnull=False),
        date="submitted_at",
        organization="applicant",
        key="call__kind",
        order=70,
        key_labels=_kind_labels,
    )
)
register_figure(
    Figure(
        name="calls.recognitions",
        label=_("Recognitions granted from catalogues"),
        area="recognitions",
        queryset=lambda: CatalogueEntry.objects.all(),
        date="catalogue__published_on",
        organization="organization",
        key="catalogue__kind",
        order=66,
        key_labels=_kind_labels,
    )
)


def _in_scope(qs, path: str, scope: str):
    return qs.filter(**{f"{path}__startswith": scope}) if scope else qs


def _call_milestones(first: dt.date, last: dt.date, scope: str) -> list[Activity]:
    """A call opening for applications, its public notice and its catalogue, each in the
    month it happened (calls hosted within the scope)."""
    out = []
    stages = CallStage.objects.filter(
        kind=StageKind.APPLY, opens__date__gte=first, opens__date__lte=last
    ).select_related("call")
    for stage in _in_scope(stages, "call__host__region__code", scope).order_by("opens", "id"):
        out.append(
            Activity(
                section="consulting",
                date=stage.opens.date(),
                title=f"“{stage.call.title}”开始申报",
                source="calls.milestones",
                link=reverse("calls:call_detail", args=[stage.call_id]),
            )
        )
    notices = Publicity.objects.filter(opens_on__gte=first, opens_on__lte=last).select_related(
        "call"
    )
    for notice in _in_scope(notices, "call__host__region__code", scope).order_by("opens_on", "id"):
        out.append(
            Activity(
                section="consulting",
                date=notice.opens_on,
                title=f"“{notice.call.title}”拟入选名单公示",
                detail=f"{notice.opens_on:%m月%d日}至{notice.closes_on:%m月%d日}",
                source="calls.milestones",
                link=reverse("calls:call_detail", args=[notice.call_id]),
            )
        )
    catalogues = Catalogue.objects.filter(published_on__gte=first, published_on__lte=last).annotate(
        n=Count("entries")
    )
    for catalogue in _in_scope(catalogues, "publisher__region__code", scope).order_by(
        "published_on", "id"
    ):
        out.append(
            Activity(
                section="consulting",
                date=catalogue.published_on,
                title=f"发布《{catalogue.title}》",
                detail=f"入选 {catalogue.n} 项",
                source="calls.milestones",
                link=reverse("calls:catalogue_detail", args=[catalogue.pk]),
            )
        )
    return out


register_activities(ActivitySource(name="calls.milestones", fetch=_call_milestones))
