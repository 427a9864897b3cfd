"""Diagnosis figures: self-assessments submitted, the latest level of each enterprise, moves
between levels, on-site visits of campaigns and the campaigns' progress; campaigns as report
activities (技术交流 when they start)."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhizao.insights.providers import ActivitySource, Figure, register_activities, register_figure
from zhizao_core.insights import Activity

from .enums import AssessmentKind, AssessmentState, TargetState
from .models import Assessment, Campaign, CampaignTarget


def _submitted_self():
    return Assessment.objects.filter(kind=AssessmentKind.SELF, state=AssessmentState.SUBMITTED)


def _latest():
    return _submitted_self().filter(is_latest=True)


def _moves():
    """Each submitted self-assessment whose level differs from the enterprise's previous
    submitted self-assessment on a model of the same key, keyed "1→2"."""
    previous = (
        _submitted_self()
        .filter(
            organization_id=OuterRef("organization_id"),
            model__key=OuterRef("model__key"),
            submitted_at__lt=OuterRef("submitted_at"),
        )
        .order_by("-submitted_at", "-id")
        .values("level")[:1]
    )
    return (
        _submitted_self()
        .annotate(previous_level=Subquery(previous))
        .filter(previous_level__isnull=False, level__isnull=False)
        .exclude(previous_level=F("level"))
        .annotate(
            move=Concat(
                Cast("previous_level", CharField()),
                Value("→"),
                Cast("level", CharField()),
                output_field=CharField(),
            )
        )
    )


def _level_labels() -> dict[str, str]:
    return {str(n): _("Level %(n)s") % {"n": n} for n in range(0, 6)}


register_figure(
    Figure(
        name="diagnosis.assessments",
        label=_("Self-assessments submitted"),
        area="diagnosis",
        queryset=_submitted_self,
        date="submitted_at",
        organization="organization",
        order=20,
        private=True,
    )
)
register_figure(
    Figure(
        name="diagnosis.latest_level",
        label=_("Enterprises by current maturity level"),
        area="diagnosis",
        queryset=_latest,
        date="submitted_at",
        organization="organization",
        key="level",
        stock=True,
        order=21,
        private=True,
        key_labels=_level_labels,
        in_report=False,
    )
)
register_figure(
    Figure(
        name="diagnosis.level_moves",
        label=_("Moves between maturity levels"),
        area="diagnosis",
        queryset=_moves,
        date="submitted_at",
        organization="organization",
        key="move",
        order=22,
        private=True,
    )
)
register_figure(
    Figure(
        name="diagnosis.visits",
        label=_("On-site diagnosis visits"),
        area="diagnosis",
        queryset=lambda: CampaignTarget.objects.filter(visited_at__isnull=False),
        date="visited_at",
        organization="enterprise",
        order=23,
        private=True,
    )
)
register_figure(
    Figure(
        name="diagnosis.campaign_targets",
        label=_("Campaign target enterprises by state"),
        area="diagnosis",
        queryset=lambda: CampaignTarget.objects.all(),
        date="campaign__created_at",
        organization="enterprise",
        key="state",
        stock=True,
        order=24,
        private=True,
        key_labels=lambda: {str(k): str(v) for k, v in TargetState.choices},
        in_report=False,
    )
)


def _campaign_activities(first: dt.date, last: dt.date, scope: str) -> list[Activity]:
    out = []
    campaigns = Campaign.objects.filter(created_at__date__gte=first, created_at__date__lte=last)
    for campaign in campaigns.order_by("created_at", "id"):
        targets = campaign.targets.all()
        if scope:
            targets = targets.filter(enterprise__region_id__startswith=scope)
        count = targets.count()
        if scope and not count:
            continue
        out.append(
            Activity(
                section="exchange",
                date=campaign.created_at.date(),
                title=f"启动诊断活动“{campaign.name}”",
                detail=f"目标企业 {count} 家",
                source="diagnosis.campaigns",
                link=reverse("diagnosis:campaign_detail", args=[campaign.pk]),
            )
        )
    return out


register_activities(ActivitySource(name="diagnosis.campaigns", fetch=_campaign_activities))
