"""The matchmaking app's entry in the side navigation (the roles that trade or watch)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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

from . import access
from .enums import OPEN_STATES, DemandState, IntroductionState, OfferingState, Side

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


# --- workbench providers (the home page of each role; zhizao.common.navigation) -------------


def _intro_action(intro, *, counterpart: str) -> Action:
    if intro.state == IntroductionState.REQUESTED:
        label = _("%(org)s asks for an introduction: %(title)s") % {
            "org": counterpart,
            "title": intro.demand.title,
        }
        kind = _("Introduction request")
    else:
        label = _("Suggested match with %(org)s: %(title)s") % {
            "org": counterpart,
            "title": intro.demand.title,
        }
        kind = _("Suggested match")
    return Action(
        label=label,
        url=reverse("matchmaking:introduction_detail", args=[intro.pk]),
        due=timezone.localdate(intro.expires_at) if intro.expires_at else None,
        kind=kind,
    )


def _waiting_introductions(membership, *, side: str):
    """Requests from the other side and the platform's suggestions: they wait for ``side``."""
    return (
        access.introductions_for(membership)
        .filter(
            Q(state=IntroductionState.REQUESTED) & ~Q(requested_by=side)
            | Q(state=IntroductionState.SUGGESTED)
        )
        .order_by("expires_at", "id")[:WAITING_LIMIT]
    )


WAITING_LIMIT = 10


def enterprise_workbench(request, membership) -> WorkbenchPart:
    """Requests waiting for the enterprise; its demands and open introductions. 3 queries."""
    actions = [
        _intro_action(intro, counterpart=intro.offering.provider.name)
        for intro in _waiting_introductions(membership, side=Side.ENTERPRISE)
    ]
    demands = access.demands_for(membership).aggregate(
        published=Count("pk", filter=Q(state=DemandState.PUBLISHED)),
        draft=Count("pk", filter=Q(state=DemandState.DRAFT)),
    )
    open_intros = access.introductions_for(membership).filter(state__in=OPEN_STATES).count()
    return WorkbenchPart(
        actions=actions,
        figures=[
            Figure(
                label=_("Published demands"),
                value=str(demands["published"]),
                url=reverse("matchmaking:demand_list"),
                detail=_("%(n)s drafts") % {"n": demands["draft"]} if demands["draft"] else "",
            ),
            Figure(
                label=_("Open introductions"),
                value=str(open_intros),
                url=reverse("matchmaking:introduction_list"),
            ),
        ],
        shortcuts=[
            Shortcut(_("Post a demand"), reverse("matchmaking:demand_new")),
            Shortcut(_("Browse offerings"), reverse("matchmaking:offering_list")),
        ],
    )


def supplier_workbench(request, membership) -> WorkbenchPart:
    """Requests waiting for the provider or bank; the published demands in the categories of
    its offerings (its market) and its open leads. 4 queries."""
    actions = [
        _intro_action(intro, counterpart=intro.demand.enterprise.name)
        for intro in _waiting_introductions(membership, side=Side.PROVIDER)
    ]
    categories: set[str] = set()
    for row in (
        access.offerings_for(membership)
        .filter(provider_id=membership.organization_id, state=OfferingState.PUBLISHED)
        .values_list("categories", flat=True)
    ):
        categories.update(row or [])
    matching = (
        access.demands_for(membership)
        .filter(state=DemandState.PUBLISHED, category__in=sorted(categories))
        .count()
    )
    leads = access.introductions_for(membership).filter(state__in=OPEN_STATES).count()
    return WorkbenchPart(
        actions=actions,
        figures=[
            Figure(
                label=_("Demands in your categories"),
                value=str(matching),
                url=reverse("matchmaking:demand_list"),
                detail=_("published demands in the categories of your published offerings"),
            ),
            Figure(
                label=_("Open leads"),
                value=str(leads),
                url=reverse("matchmaking:introduction_list"),
            ),
        ],
        shortcuts=[
            Shortcut(_("Browse demands"), reverse("matchmaking:demand_list")),
            Shortcut(_("My offerings"), reverse("matchmaking:offering_list")),
            Shortcut(_("Publish an offering"), reverse("matchmaking:offering_new")),
            Shortcut(_("Open challenges"), reverse("matchmaking:challenge_list")),
        ],
    )


def staff_workbench(request, membership) -> WorkbenchPart:
    """Shortcuts to the funnel and the supply gaps. No queries."""
    return WorkbenchPart(
        shortcuts=[
            Shortcut(_("Matchmaking funnel"), reverse("matchmaking:funnel")),
            Shortcut(_("Supply gaps"), reverse("matchmaking:gaps")),
        ]
        if access.can_view_funnel(membership)
        else []
    )


def public_workbench(request, membership) -> WorkbenchPart:
    """The open challenges (揭榜挂帅), public to everyone. No queries."""
    return WorkbenchPart(
        shortcuts=[
            Shortcut(_("Open challenges (public)"), reverse("matchmaking:challenge_public_list"))
        ]
    )


register_workbench(
    "matchmaking.enterprise",
    roles=("enterprise",),
    provide=enterprise_workbench,
    order=30,
    queries=3,
)
register_workbench(
    "matchmaking.supplier",
    roles=("provider", "bank"),
    provide=supplier_workbench,
    order=30,
    queries=4,
)
register_workbench(
    "matchmaking.staff",
    roles=("operator", "officer"),
    provide=staff_workbench,
    order=30,
    queries=0,
)
register_workbench(
    "matchmaking.public",
    roles=(ANONYMOUS, "expert", "society"),
    provide=public_workbench,
    order=80,
    queries=0,
)


# --- an organisation's page: its demands, offerings and introductions -----------------------

LINKS_SHOWN = 10


def organization_links(request, membership, organization) -> list[LinkGroup]:
    """3 queries."""
    demands = LinkGroup(title=gettext("Demands"))
    demands.links = [
        Shortcut(d.title, reverse("matchmaking:demand_detail", args=[d.pk]))
        for d in access.demands_for(membership)
        .filter(enterprise=organization)
        .order_by("-updated_at", "-id")[:LINKS_SHOWN]
    ]
    offerings = LinkGroup(title=gettext("Offerings"))
    offerings.links = [
        Shortcut(o.title, reverse("matchmaking:offering_detail", args=[o.pk]))
        for o in access.offerings_for(membership)
        .filter(provider=organization)
        .order_by("-updated_at", "-id")[:LINKS_SHOWN]
    ]
    introductions = LinkGroup(title=gettext("Introductions"))
    introductions.links = [
        Shortcut(
            f"{i.demand.title} ↔ {i.offering.provider.name} · {i.get_state_display()}",
            reverse("matchmaking:introduction_detail", args=[i.pk]),
        )
        for i in access.introductions_for(membership)
        .filter(Q(demand__enterprise=organization) | Q(offering__provider=organization))
        .order_by("-updated_at", "-id")[:LINKS_SHOWN]
    ]
    return [demands, offerings, introductions]


register_organization_links("matchmaking", provide=organization_links, order=30, queries=3)
