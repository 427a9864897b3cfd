"""The matchmaking app's entry in the side navigation (the roles that trade or watch)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import register_nav

ROLES = {"enterprise", "provider", "bank", "operator", "officer"}
PAGES = (
    "demand_list",
    "demand_new",
    "demand_detail",
    "demand_edit",
    "offering_list",
    "offering_new",
    "offering_detail",
    "offering_edit",
    "introduction_list",
    "introduction_detail",
    "funnel",
    "gaps",
    "suggestion_settings",
    "challenge_list",
    "challenge_new",
    "challenge_detail",
    "challenge_edit",
)


def _trades(membership) -> bool:
    return membership is not None and membership.role in ROLES


register_nav(
    "matchmaking:home",
    label=_("Supply and demand"),
    icon="org",
    order=70,
    active_on=tuple(f"matchmaking:{name}" for name in PAGES),
    visible=_trades,
)
