"""The registry's entries in the side navigation and its blocks on the home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhizao.accounts.roles import is_staff
from zhizao.common.navigation import (
    Action,
    Shortcut,
    WorkbenchPart,
    register_home_block,
    register_nav,
    register_workbench,
)

from . import access, selectors
from .access import can_import_organizations
from .enums import ImportState


def overview_block(request, membership) -> dict:
    """Organisations by kind and by province, and the chains with the most weak links."""
    overview = selectors.registry_overview()
    return {
        "total": overview.total,
        "kinds": overview.kinds,
        "provinces": overview.provinces,
        "weak_chains": overview.weak_chains[:6],
    }


def imports_block(request, membership) -> dict | None:
    batches = selectors.recent_imports(limit=5)
    if not batches:
        return None
    return {"recent_imports": batches, "ImportState": ImportState}


register_nav(
    "registry:organization_list",
    label=_("Registry"),
    icon="registry",
    order=20,
    active_on=("registry:organization_detail", "registry:organization_edit"),
)
register_nav(
    "registry:chain_list",
    label=_("Industrial chains"),
    icon="chain",
    order=30,
    active_on=("registry:chain_detail",),
)
register_nav(
    "registry:import_list",
    label=_("Imports"),
    icon="import",
    order=80,
    active_on=("registry:import_detail", "registry:import_new"),
    visible=can_import_organizations,
)
register_home_block(
    "registry/home/overview.html", context=overview_block, order=10, visible=is_staff
)
register_home_block(
    "registry/home/imports.html", context=imports_block, order=20, visible=can_import_organizations
)


# --- workbench providers (the home page of each role; zhizao.common.navigation) -------------

WAITING_LIMIT = 10


def operator_workbench(request, membership) -> WorkbenchPart:
    """Name changes waiting for review, checked imports waiting to be committed. 2 queries."""
    actions = [
        Action(
            label=_("Review the new name of %(org)s: %(new)s")
            % {"org": change.organization.name, "new": change.new_name},
            url=reverse("registry:name_change_list"),
            kind=_("Name change"),
        )
        for change in access.name_changes_for(membership)[:WAITING_LIMIT]
    ]
    actions += [
        Action(
            label=_("Commit the checked import “%(file)s”") % {"file": batch.original_name},
            url=reverse("registry:import_detail", args=[batch.pk]),
            kind=_("Import"),
        )
        for batch in access.imports_for(membership).filter(state=ImportState.VALIDATED)[
            :WAITING_LIMIT
        ]
    ]
    return WorkbenchPart(
        actions=actions,
        shortcuts=[
            Shortcut(_("Registry"), reverse("registry:organization_list")),
            Shortcut(_("Import organisations"), reverse("registry:import_new")),
        ],
    )


def staff_workbench(request, membership) -> WorkbenchPart:
    """The registry and the chains. No queries."""
    return WorkbenchPart(
        shortcuts=[
            Shortcut(_("Registry"), reverse("registry:organization_list")),
            Shortcut(_("Industrial chains"), reverse("registry:chain_list")),
        ]
    )


def organization_workbench(request, membership) -> WorkbenchPart:
    """The acting organisation's own page. No queries."""
    return WorkbenchPart(
        shortcuts=[
            Shortcut(
                _("Our organisation's page"),
                reverse("registry:organization_detail", args=[membership.organization_id]),
            )
        ]
    )


register_workbench(
    "registry.operator", roles=("operator",), provide=operator_workbench, order=40, queries=2
)
register_workbench(
    "registry.staff", roles=("officer",), provide=staff_workbench, order=40, queries=0
)
register_workbench(
    "registry.organization",
    roles=("enterprise", "provider", "bank", "society", "expert"),
    provide=organization_workbench,
    order=5,
    queries=0,
)
