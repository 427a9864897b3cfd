"""The diagnosis app's entry in the side navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import register_nav

register_nav(
    "diagnosis:home",
    label=_("Maturity diagnosis"),
    icon="diagnosis",
    order=60,
    active_on=(
        "diagnosis:assessment",
        "diagnosis:report",
        "diagnosis:campaign_list",
        "diagnosis:campaign_detail",
        "diagnosis:campaign_new",
        "diagnosis:statistics",
    ),
)
