"""Level distributions for officers: by region, industry and size, and their change by year.
Only counts leave this module; a cell under 5 enterprises is shown as hidden."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from zhizao.registry.enums import SizeClass
from zhizao.registry.models import Industry, Region
from zhizao_core.diagnosis import MIN_GROUP

from .enums import AssessmentKind, AssessmentState, TargetState
from .models import Assessment, CampaignProvider

DIMENSIONS = {
    "city": "city_code",
    "province": "province_code",
    "industry": "industry_division",
    "size": "size",
}


def dimension_labels() -> list[tuple[str, str]]:
    return [
        ("city", _("City")),
        ("province", _("Province")),
        ("industry", _("Industry division")),
        ("size", _("Enterprise size")),
    ]


def _labels(by: str, keys: list[str]) -> dict[str, str]:
    if by in ("city", "province"):
        return {r.code: r.name for r in Region.objects.filter(code__in=keys)}
    if by == "industry":
        return {i.code: f"{i.code} {i.name}" for i in Industry.objects.filter(code__in=keys)}
    return {str(k): str(v) for k, v in SizeClass.choices}


def distribution(model, by: str) -> dict:
    """Latest self-assessment per enterprise on ``model``, counted per level and group."""
    field = DIMENSIONS[by]
    numbers = [0, *model.parsed().level_numbers]
    pool = Assessment.objects.filter(model=model, kind=AssessmentKind.SELF, is_latest=True)
    rows = list(
        pool.values(field)
        .annotate(total=Count("id"), **{f"l{n}": Count("id", filter=Q(level=n)) for n in numbers})
        .order_by(field)
    )
    labels = _labels(by, [r[field] for r in rows])
    out_rows = []
    for row in rows:
        total = row["total"]
        hidden = total < MIN_GROUP
        out_rows.append(
            {
                "key": row[field],
                "label": labels.get(row[field], row[field] or _("unknown")),
                "total": total,
                "hidden": hidden,
                "cells": []
                if hidden
                else [
                    {"count": row[f"l{n}"], "share": row[f"l{n}"] * 100 / total} for n in numbers
                ],
                "level2_up": 0
                if hidden
                else sum(row[f"l{n}"] for n in numbers if n >= 2) * 100 / total,
            }
        )
    out_rows.sort(key=lambda r: (-r["total"], str(r["key"])))
    total = pool.count()
    overall = pool.aggregate(**{f"l{n}": Count("id", filter=Q(level=n)) for n in numbers})
    return {
        "levels": numbers,
        "rows": out_rows,
        "total": total,
        "overall": [
            {
                "level": n,
                "count": overall[f"l{n}"],
                "share": overall[f"l{n}"] * 100 / total if total else 0,
            }
            for n in numbers
        ],
    }


def by_year(model) -> list[dict]:
    """Submitted self-assessments per year and level (each counted in the year it was
    submitted), so that the change over time shows."""
    numbers = [0, *model.parsed().level_numbers]
    rows = (
        Assessment.objects.filter(
            model__key=model.key, kind=AssessmentKind.SELF, state=AssessmentState.SUBMITTED
        )
        .annotate(year=ExtractYear("submitted_at"))
        .values("year")
        .annotate(total=Count("id"), **{f"l{n}": Count("id", filter=Q(level=n)) for n in numbers})
        .order_by("year")
    )
    out = []
    for row in rows:
        total = row["total"]
        out.append(
            {
                "year": row["year"],
                "total": total,
                "cells": [
                    {"count": row[f"l{n}"], "share": row[f"l{n}"] * 100 / total} for n in numbers
                ],
                "level2_up": sum(row[f"l{n}"] for n in numbers if n >= 2) * 100 / total,
            }
        )
    return out


def campaign_progress(campaign) -> list[CampaignProvider]:
    """Each provider of a campaign with its planned / visited / reported counts (one query)."""
    return list(
        CampaignProvider.objects.filter(campaign=campaign)
        .select_related("provider")
        .annotate(
            planned=Count("targets"),
            visited=Count(
                "targets", filter=Q(targets__state__in=[TargetState.VISITED, TargetState.REPORTED])
            ),
            reported=Count("targets", filter=Q(targets__state=TargetState.REPORTED)),
        )
        .order_by("id")
    )
