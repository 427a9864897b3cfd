from __future__ import annotations

from decimal import Decimal

from django import template
from django.http import QueryDict
from django.utils.translation import get_language

from zhizao.common.masking import mask_email, mask_name, mask_phone
from zhizao.common.services import event_label as _event_label
from zhizao.common.validators import is_site_link, is_web_url
from zhizao_core.text import format_cny

register = template.Library()


@register.filter
def cny_wan(value):
    """An amount in 万元 as a Chinese user reads it (3,500万元 · 1.2亿元), or in English."""
    if value in (None, ""):
        return "—"
    return format_cny(Decimal(value) * 10000, lang=get_language() or "zh-hans")


@register.filter
def cny(value):
    """An amount in 元 as a Chinese user reads it (8,000元 · 120万元 · 1.2亿元), or in English."""
    if value in (None, ""):
        return "—"
    return format_cny(Decimal(value), lang=get_language() or "zh-hans")


@register.filter
def count(value):
    """A whole number as people read it, with thousands separators (2,015 · 1,234,567); any
    other value (1.6亿元, 2 级, —) as it is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()):
        return f"{int(value):,}"
    return value


@register.filter
def web_url(value):
    """``value`` if it is an http(s) address, else "": render ``href`` only from this."""
    return value if is_web_url(value) else ""


@register.filter
def site_link(value):
    """``value`` if it is a path on this site or an http(s) address, else ""."""
    return value if is_site_link(value) else ""


@register.filter
def masked_name(value):
    return mask_name(value or "")


@register.filter
def masked_phone(value):
    return mask_phone(value or "")


@register.filter
def masked_email(value):
    return mask_email(value or "")


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` for a dict, or the item at index ``key`` of a list; None if absent."""
    if isinstance(mapping, list | tuple):
        try:
            return mapping[int(key)]
        except (IndexError, ValueError, TypeError):
            return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def bilingual(context, obj, field="name"):
    """``name_zh`` or ``name_en`` by the active language."""
    lang = get_language() or "zh-hans"
    if lang.startswith("en"):
        return getattr(obj, f"{field}_en", "") or getattr(obj, f"{field}_zh", "")
    return getattr(obj, f"{field}_zh", "")


@register.filter
def join_if_list(value, sep="、"):
    if isinstance(value, list | tuple):
        return sep.join(str(v) for v in value) or "—"
    return value


@register.simple_tag
def elided_pages(page_obj):
    """First, last and current ± 2 pages, with gaps: constant work however many pages."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )


@register.simple_tag(takes_context=True)
def page_query(context, number, param="", anchor=""):
    """The address of page ``number`` of a list: the current query with ``param`` (``page``
    unless told: a second table on the page has its own) set, the other parameters kept
    (filters, sort, the other table's page); ``anchor`` is the fragment to land on."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query[param or "page"] = number
    return f"?{query.urlencode()}" + (f"#{anchor}" if anchor else "")


@register.filter
def event_label(code):
    """An audit entry's event ("events.event_updated") as its label, or the code."""
    return _event_label(str(code))
