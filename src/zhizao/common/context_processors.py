from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from zhizao.accounts.selectors import can_manage_users, can_view_audit_log
from zhizao.registry.access import can_import_organizations

from .notifications import unread_count

POLICY_PAGES = (
    "policies:policy_list",
    "policies:policy_detail",
    "policies:policy_new",
    "policies:policy_edit",
    "policies:item_new",
    "policies:item_detail",
    "policies:item_editor",
    "policies:organization_records",
)
PROJECT_PAGES = (
    "policies:project_list",
    "policies:project_new",
    "policies:project_detail",
    "policies:project_edit",
    "policies:loan_edit",
)

MATCHMAKING_ROLES = {"enterprise", "provider", "bank", "operator", "officer"}
MATCHMAKING_PAGES = (
    "home",
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
    "challenge_list",
    "challenge_new",
    "challenge_detail",
    "challenge_edit",
)


def navigation(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        ("home", _("Overview"), "home", ("home",)),
        (
            "registry:organization_list",
            _("Registry"),
            "registry",
            (
                "registry:organization_list",
                "registry:organization_detail",
                "registry:organization_edit",
            ),
        ),
        (
            "registry:chain_list",
            _("Industrial chains"),
            "chain",
            ("registry:chain_list", "registry:chain_detail"),
        ),
    ]
    items.append(
        (
            "policies:policy_list",
            _("Policies"),
            "policy",
            POLICY_PAGES,
        )
    )
    membership = getattr(request, "membership", None)
    if membership is not None and membership.role == "enterprise":
        items.append(
            ("policies:my_policies", _("My policies"), "policy", ("policies:my_policies",))
        )
        items.append(("policies:project_list", _("My projects"), "project", PROJECT_PAGES))
        items.append(
            (
                "policies:my_recognitions",
                _("My recognitions"),
                "award",
                ("policies:my_recognitions",),
            )
        )
    items.append(
        (
            "diagnosis:home",
            _("Maturity diagnosis"),
            "diagnosis",
            (
                "diagnosis:home",
                "diagnosis:assessment",
                "diagnosis:report",
                "diagnosis:campaign_list",
                "diagnosis:campaign_detail",
                "diagnosis:campaign_new",
                "diagnosis:statistics",
            ),
        )
    )
    if membership is not None and membership.role in MATCHMAKING_ROLES:
        items.append(
            (
                "matchmaking:home",
                _("Supply and demand"),
                "org",
                tuple(f"matchmaking:{name}" for name in MATCHMAKING_PAGES),
            )
        )
    if can_import_organizations(membership):
        items.append(
            (
                "registry:import_list",
                _("Imports"),
                "import",
                ("registry:import_list", "registry:import_detail", "registry:import_new"),
            )
        )
    if can_manage_users(membership):
        items.append(
            (
                "accounts:user_list",
                _("Users and roles"),
                "users",
                ("accounts:user_list", "accounts:user_detail", "accounts:user_new"),
            )
        )
    if can_view_audit_log(membership):
        items.append(("audit_log", _("Audit log"), "audit", ("audit_log",)))
    items.append(("api-docs", _("API"), "api", ("api-docs",)))
    return [
        {"label": label, "url": reverse(name), "icon": icon, "active": current in names}
        for name, label, icon, names in items
    ]


def platform(request) -> dict:
    if not hasattr(request, "user"):
        return {}
    membership = getattr(request, "membership", None)
    return {
        "unread_notifications": unread_count(membership) if membership is not None else 0,
        "current_membership": membership,
        "memberships": getattr(request, "memberships", []),
        "nav_items": navigation(request),
    }
