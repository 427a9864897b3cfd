"""Insights on plain data: months and periods, figure totals over summary rows, the
matchmaking funnel, budget burn-down and the monthly report's sections. No Django."""

from .figures import (
    BurnDownPoint,
    FactRow,
    FunnelStep,
    burn_down,
    funnel,
    series_by_month,
    total,
    totals_by,
)
from .maps import Shape, breaks, class_of, project
from .months import MonthError, add_months, month_label, months_between, parse_month
from .sections import SECTIONS, Activity, sort_activities

__all__ = [
    "SECTIONS",
    "Activity",
    "BurnDownPoint",
    "FactRow",
    "FunnelStep",
    "MonthError",
    "Shape",
    "add_months",
    "breaks",
    "burn_down",
    "class_of",
    "funnel",
    "month_label",
    "months_between",
    "parse_month",
    "project",
    "series_by_month",
    "sort_activities",
    "total",
    "totals_by",
]
