"""The policies app's entries in the side navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import register_nav


def _enterprise(membership) -> bool:
    return membership is not None and membership.role == "enterprise"


register_nav(
    "policies:policy_list",
    label=_("Policies"),
    icon="policy",
    order=40,
    active_on=(
        "policies:policy_detail",
        "policies:policy_new",
        "policies:policy_edit",
        "policies:item_new",
        "policies:item_detail",
        "policies:item_editor",
        "policies:organization_records",
    ),
)
register_nav(
    "policies:my_policies", label=_("My policies"), icon="policy", order=50, visible=_enterprise
)
register_nav(
    "policies:project_list",
    label=_("My projects"),
    icon="project",
    order=51,
    active_on=(
        "policies:project_new",
        "policies:project_detail",
        "policies:project_edit",
        "policies:loan_edit",
    ),
    visible=_enterprise,
)
register_nav(
    "policies:my_recognitions",
    label=_("My recognitions"),
    icon="award",
    order=52,
    visible=_enterprise,
)
