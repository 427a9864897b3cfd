from __future__ import annotations

from django import template

from .. import codes
from ..presentation import reason_text
from ..vocabulary import category_name, kind_name

register = template.Library()

STATE_CLASSES = {
    "published": "pill-ok",
    "open": "pill-ok",
    "accepted": "pill-ok",
    "met": "pill-ok",
    "deal": "pill-ok",
    "awarded": "pill-ok",
    "announced": "pill-ok",
    "requested": "pill-info",
    "suggested": "pill-info",
    "submitted": "pill-info",
    "shortlisted": "pill-info",
    "reviewing": "pill-warn",
    "draft": "pill-muted",
    "withdrawn": "pill-muted",
    "closed": "pill-muted",
    "expired": "pill-muted",
    "declined": "pill-danger",
    "rejected": "pill-muted",
}


@register.filter
def state_class(state: str) -> str:
    return STATE_CLASSES.get(state, "pill-muted")


@register.filter
def category(code: str) -> str:
    return category_name(code or "")


@register.filter
def categories(code_list) -> str:
    return "、".join(category_name(c) for c in code_list or []) or "—"


@register.filter
def kind(code: str) -> str:
    return kind_name(code or "")


@register.filter
def region(code: str) -> str:
    return codes.region_name(code) if code else "—"


@register.filter
def industry(code: str) -> str:
    return f"{code} {codes.industry_name(code)}" if code else "—"


@register.filter
def reason(value) -> str:
    return reason_text(value)


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def requirement(value) -> str:
    if isinstance(value, dict):
        level = value.get("min_level")
        return f"{value.get('value')}{level}及以上" if level else str(value.get("value"))
    return str(value)
