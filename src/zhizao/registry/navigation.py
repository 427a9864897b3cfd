"""The registry's entries in the side navigation and its blocks on the home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import register_home_block, register_nav

from . import selectors
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
register_home_block("registry/home/overview.html", context=overview_block, order=10)
register_home_block(
    "registry/home/imports.html", context=imports_block, order=20, visible=can_import_organizations
)
