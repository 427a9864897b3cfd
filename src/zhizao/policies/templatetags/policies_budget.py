"""``{% budget_use item %}`` / ``{% budget_use policy=policy %}``: the budget's use (paid,
committed by announced name lists, remaining) as a small card, for the policy and item pages;
``|human_source`` for the explanations; ``|missing_labels`` for an outcome's missing facts;
``|step_items`` for an explanation's steps as list items."""

import re
from functools import lru_cache

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from zhizao_core.policy.missing import missing_label

from ..services.payments import budget_use as budget_use_of

register = template.Library()


@register.inclusion_tag("policies/budget_use.html")
def budget_use(item=None, policy=None):
    if item is not None:
        return {"use": budget_use_of(item)}
    return {"use": budget_use_of(policy=policy)}


FACT_PATH = re.compile(r"^[a-z_]+(?:\[[^\]]*\])?\.[a-z_]+$")


@register.filter
def human_source(source: str) -> str:
    """Where a fact came from, as people read it; a raw fact path (``enterprise.region``,
    ``projects[p1].total_investment`` — what the explainer falls back to when nothing better
    is known) is not shown."""
    return "" if not source or FACT_PATH.match(str(source)) else source


@register.filter
def missing_labels(keys) -> str:
    """The facts an outcome could not decide without, named in the reader's language
    (软件投资、第 2 笔贷款的贷款年利率), never as fact codes."""
    lang = get_language() or "zh-hans"
    sep = "、" if lang.startswith("zh") else ", "
    return sep.join(missing_label(str(k), lang) for k in keys or ())


@register.filter
def step_items(steps) -> SafeString:
    """``<li>text <span class="muted">（source）</span></li>`` for each step of an explanation
    (the source only when it has one a person reads, ``|human_source``), escaped: what
    ``{% for step in steps %}<li>{{ step.text }}{% if step.source|human_source %} …{% endif %}</li>{% endfor %}``
    renders, for pages that show hundreds of explanations (a scan shows 200 of about 20
    steps, most of them the same from row to row: through the template engine that loop was
    most of the page's CPU)."""
    return mark_safe(  # noqa: S308 (every part escaped)
        "".join(
            _step_item(step.get("text", _NO_TEXT), step.get("source") or "") for step in steps or ()
        )
    )


_NO_TEXT = object()


@lru_cache(maxsize=4096)
def _step_item(text, source) -> str:
    item = "<li>" + ("" if text is _NO_TEXT else conditional_escape(text))
    source = human_source(source)  # a raw fact path (enterprise.region) is not shown
    if source:
        item += f' <span class="muted">（{conditional_escape(source)}）</span>'
    return item + "</li>"
