"""``{% budget_use item %}`` / ``{% budget_use policy=policy %}``: the budget's use (paid,
committed by announced name lists, remaining) as a small card, for the policy and item pages."""

from django import template

from ..services.payments import budget_use as budget_use_of

register = template.Library()


@register.inclusion_tag("policies/budget_use.html")
def budget_use(item=None, policy=None):
    if item is not None:
        return {"use": budget_use_of(item)}
    return {"use": budget_use_of(policy=policy)}
