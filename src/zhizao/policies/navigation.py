"""The policies app's entries in the side navigation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from zhizao.accounts.roles import is_staff
from zhizao.common.navigation import (
    ANONYMOUS,
    Action,
    Figure,
    LinkGroup,
    Shortcut,
    WorkbenchPart,
    register_nav,
    register_organization_links,
    register_workbench,
)
from zhizao_core.text import format_cny

from . import access, engine
from .calculator import evaluate_organization
from .enums import EntryState, NameListState, PolicyState
from .models import Payment


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
    "policies:scan_list",
    label=_("Scans and name lists"),
    icon="policy",
    order=41,
    active_on=(
        "policies:scan_detail",
        "policies:scan_new",
        "policies:name_list_detail",
        "policies:sandbox",
        "policies:sandbox_detail",
    ),
    visible=access.can_scan,
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


# --- workbench providers (the home page of each role; zhizao.common.navigation) -------------

WAITING_LIMIT = 10
CLOSING_DAYS = 30


def _money(amount) -> str:
    return format_cny(Decimal(amount or 0), lang=get_language() or "zh-hans")


def _closing_policies(membership, today):
    """Published policies whose application window closes within ``CLOSING_DAYS``."""
    return (
        access.policies_for(membership)
        .filter(
            state=PolicyState.PUBLISHED,
            window_end__gte=today,
            window_end__lte=today + dt.timedelta(days=CLOSING_DAYS),
        )
        .order_by("window_end", "id")[:WAITING_LIMIT]
    )


def _closing_actions(membership, today) -> list[Action]:
    return [
        Action(
            label=_("Applications for %(policy)s close") % {"policy": policy.title},
            url=reverse("policies:policy_detail", args=[policy.pk]),
            due=policy.window_end,
            kind=_("Deadline"),
        )
        for policy in _closing_policies(membership, today)
    ]


def enterprise_workbench(request, membership) -> WorkbenchPart:
    """Name-list entries to confirm, application windows closing; the policies the enterprise
    may qualify for with their amount (the calculator, constant queries). 1 + 1 + 7 queries (the calculator: facts 5, versions 1, project names 1)."""
    today = timezone.localdate()
    entries = (
        access.own_entries_for(membership)
        .filter(state=EntryState.LISTED)
        .order_by("name_list__objection_until", "id")[:WAITING_LIMIT]
    )
    actions = [
        Action(
            label=_("Confirm your place on the name list “%(list)s”") % {"list": e.name_list.title},
            url=reverse("policies:entry_confirm", args=[e.pk]),
            due=e.name_list.objection_until,
            detail=_money(e.amount_yuan),
            kind=_("Name-list confirmation"),
        )
        for e in entries
    ]
    actions += _closing_actions(membership, today)
    calculation = evaluate_organization(
        membership.organization, as_of=today, lang=engine.language(), staff=False
    )
    eligible = calculation.eligible
    possible = calculation.possible
    return WorkbenchPart(
        actions=actions,
        figures=[
            Figure(
                label=_("Policies you qualify for"),
                value=str(len(eligible)),
                url=reverse("policies:my_policies"),
                detail=_("together %(amount)s") % {"amount": _money(calculation.total_yuan)}
                if eligible
                else "",
            ),
            Figure(
                label=_("Possibly, with more data"),
                value=str(len(possible)),
                url=reverse("policies:my_policies"),
            ),
        ],
        # 我的政策 is in the menu and behind both figures: no third link to it
        shortcuts=[
            Shortcut(_("Register a project"), reverse("policies:project_new")),
            Shortcut(_("My benefits"), reverse("policies:my_benefits")),
        ],
    )


def staff_workbench(request, membership) -> WorkbenchPart:
    """Announced name lists in their objection period, windows closing; the scans and the
    budgets of the published policies with what has been paid. 1 + 1 + 2 + 1 queries."""
    today = timezone.localdate()
    announced = (
        access.name_lists_for(membership)
        .filter(state=NameListState.ANNOUNCED)
        .order_by("objection_until", "id")[:WAITING_LIMIT]
    )
    actions = [
        Action(
            label=_("Name list “%(list)s” is in its objection period") % {"list": name_list.title},
            url=reverse("policies:name_list_detail", args=[name_list.pk]),
            due=name_list.objection_until,
            kind=_("Announcement (公示)"),
        )
        for name_list in announced
    ]
    actions += _closing_actions(membership, today)
    scans = access.scans_for(membership).filter(sandbox_rule__isnull=True)
    scan_count = scans.count()
    latest = scans.order_by("-created_at", "-id").first()
    budget = (
        access.policies_for(membership)
        .filter(state=PolicyState.PUBLISHED)
        .aggregate(total=Sum("budget_yuan"))["total"]
    )
    paid = Payment.objects.aggregate(total=Sum("amount_yuan"))["total"]
    return WorkbenchPart(
        actions=actions,
        figures=[
            Figure(
                label=_("Scans (免申即享)"),
                value=str(scan_count),
                url=reverse("policies:scan_list"),
                detail=_("latest: %(n)s eligible, %(amount)s")
                % {"n": latest.eligible_count, "amount": _money(latest.total_yuan)}
                if latest
                else "",
            ),
            Figure(
                label=_("Budgets of published policies"),
                value=_money(budget),
                url=reverse("policies:policy_list"),
                detail=_("paid so far: %(amount)s") % {"amount": _money(paid)},
            ),
        ],
        shortcuts=[
            Shortcut(_("Policies"), reverse("policies:policy_list")),
            Shortcut(_("Scans"), reverse("policies:scan_list")),
            Shortcut(_("New policy"), reverse("policies:policy_new")),
        ],
    )


def public_workbench(request, membership) -> WorkbenchPart:
    """The announced name lists (公示), public to everyone. No queries."""
    return WorkbenchPart(
        shortcuts=[
            Shortcut(_("Announced name lists (公示)"), reverse("policies:public_name_lists"))
        ]
    )


register_workbench(
    "policies.enterprise",
    roles=("enterprise",),
    provide=enterprise_workbench,
    order=20,
    queries=9,
)
register_workbench(
    "policies.staff",
    roles=("operator", "officer"),
    provide=staff_workbench,
    order=20,
    queries=6,
)
register_workbench(
    "policies.public",
    roles=(ANONYMOUS, "expert", "society", "provider", "bank"),
    provide=public_workbench,
    order=90,
    queries=0,
)


# --- an organisation's page: its policy results, projects, recognitions ---------------------

LINKS_SHOWN = 10


def organization_links(request, membership, organization) -> list[LinkGroup]:
    """The calculator (its policy results) and the recognitions and credit records where the
    viewer may open them; its transformation projects. 1 query."""
    policies = LinkGroup(title=gettext("Policies and recognitions"))
    own = access.has_projects(membership) and membership.organization_id == organization.pk
    if own:
        policies.links.append(Shortcut(gettext("My policies"), reverse("policies:my_policies")))
        policies.links.append(
            Shortcut(gettext("My recognitions"), reverse("policies:my_recognitions"))
        )
        policies.links.append(Shortcut(gettext("My benefits"), reverse("policies:my_benefits")))
    elif is_staff(membership):
        policies.links.append(
            Shortcut(
                gettext("Policy calculator"),
                reverse("policies:organization_calculator", args=[organization.pk]),
            )
        )
    if access.can_maintain_records(membership):
        policies.links.append(
            Shortcut(
                gettext("Recognitions and credit records"),
                reverse("policies:organization_records", args=[organization.pk]),
            )
        )
    projects = LinkGroup(title=gettext("Transformation projects"))
    projects.links = [
        Shortcut(p.name, reverse("policies:project_detail", args=[p.pk]))
        for p in access.projects_for(membership)
        .filter(enterprise=organization)
        .order_by("-id")[:LINKS_SHOWN]
    ]
    return [policies, projects]


register_organization_links("policies", provide=organization_links, order=20, queries=1)
