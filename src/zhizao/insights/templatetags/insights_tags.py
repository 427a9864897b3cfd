from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from zhizao_core.text import format_cny
from zhizao_core.text.amounts import format_count

register = template.Library()


@register.filter
def figure_value(value, unit):
    """A figure as people read it: 12,345 or 3,500万元 / 1.2亿元."""
    if value in (None, ""):
        return "—"
    if unit == "yuan":
        return format_cny(Decimal(str(value)), lang=get_language() or "zh-hans")
    return format_count(int(Decimal(str(value))))


@register.filter
def svg(markup):
    """Our own server-drawn SVG (every text in it escaped when drawn)."""
    return mark_safe(markup)  # noqa: S308 - built by insights.charts with escaped text
