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
                "As an expert of the pool you will review applications to calls and perform "
                "diagnoses here; the review module is being built. Until then you can browse the "
                "registry and the public pages below."
            )
        ],
        shortcuts=[Shortcut(_("Registry"), reverse("registry:organization_list"))],
    )


def society_workbench(request, membership) -> WorkbenchPart:
    """What a member society will do here, and what exists today. No queries."""
    return WorkbenchPart(
        notes=[
            _(
                "As a member society you will nominate entries to calls within your quota here; "
                "the calls module is being built. Until then you can keep your organisation's "
                "page and browse the registry and the public pages below."
            )
        ],
        shortcuts=[Shortcut(_("Registry"), reverse("registry:organization_list"))],
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
