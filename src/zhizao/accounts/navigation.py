"""The accounts app's entry in the side navigation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import (
    ANONYMOUS,
    Shortcut,
    WorkbenchPart,
    register_nav,
    register_workbench,
)

from .selectors import can_manage_users

register_nav(
    "accounts:user_list",
    label=_("Users and roles"),
    icon="users",
    order=90,
    active_on=("accounts:user_detail", "accounts:user_new"),
    visible=can_manage_users,
)


# --- workbench providers (the home page of each role; zhizao.common.navigation) -------------


def expert_workbench(request, membership) -> WorkbenchPart:
    """What the expert pool will do here, and what exists today. No queries."""
    return WorkbenchPart(
        notes=[
            _(
                "As an expert of the pool you review the applications assigned to you and "
                "perform diagnoses here: your waiting reviews are listed below, with their "
                "deadlines."
            )
        ],
        shortcuts=[Shortcut(_("Registry"), reverse("registry:organization_list"))],
    )


def society_workbench(request, membership) -> WorkbenchPart:
    """What a member society will do here, and what exists today. No queries."""
    return WorkbenchPart(
        notes=[
            _(
                "As a member society you nominate entries to calls within your quota, run "
                "your courses in the classroom and keep your organisation's page here."
            )
        ],
        shortcuts=[
            Shortcut(_("Registry"), reverse("registry:organization_list")),
            Shortcut(_("Calls and selections"), reverse("calls:call_list")),
        ],
    )


def public_workbench(request, membership) -> WorkbenchPart:
    """The visitor's way in. No queries."""
    return WorkbenchPart(
        notes=[
            _(
                "One platform for the move from 制造 to 智造: enterprises diagnose their maturity, "
                "find the policies they qualify for and the providers who can help; bureaus "
                "screen and pay subsidies. Log in to see your workbench."
            )
        ]
    )


register_workbench(
    "accounts.expert", roles=("expert",), provide=expert_workbench, order=1, queries=0
)
register_workbench(
    "accounts.society", roles=("society",), provide=society_workbench, order=1, queries=0
)
register_workbench(
    "accounts.public", roles=(ANONYMOUS,), provide=public_workbench, order=1, queries=0
)
