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
from .months import MonthError, add_months, month_label, months_between, parse_month
from .maps import Shape, breaks, class_of, project
from .sections import SECTIONS, Activity, sort_activities

__all__ = [
    "SECTIONS",
    "Shape",
    "breaks",
    "class_of",
    "project",
    "Activity",
    "BurnDownPoint",
    "FactRow",
    "FunnelStep",
    "MonthError",
    "add_months",
    "burn_down",
    "funnel",
    "month_label",
    "months_between",
    "parse_month",
    "series_by_month",
    "sort_activities",
    "total",
    "totals_by",
]
