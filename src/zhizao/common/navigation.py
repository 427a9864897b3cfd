"""The registry of the side navigation and of the home page's blocks. ``common`` knows no app:
each app lists its own entries in a ``navigation.py`` module, which ``CommonConfig.ready``
imports for every installed app (``autodiscover_modules``).

    register_nav(
        "registry:organization_list",
        label=gettext_lazy("Registry"),
        icon="registry",
        order=20,
        active_on=("registry:organization_list", "registry:organization_detail"),
        visible=lambda membership: True,
    )
    register_home_block("registry/home/overview.html", context=overview, order=10)

Each role's home page is its workbench (工作台): apps register *providers* for the roles they
serve, and the home page shows what the providers of the acting role return::

    register_workbench(
        "matchmaking.supplier",
        roles=("provider", "bank"),
        provide=supplier_workbench,   # (request, membership) -> WorkbenchPart | None
        order=30,
        queries=2,                    # the provider's query budget, the same for 1 or 1,000 rows
    )

A part holds pending actions (``Action``: what waits for this organisation now, with a due date when
there is one), figures (``Figure``: its latest numbers, each linking where it comes from),
shortcuts (``Shortcut``: where its work starts) and ``notes`` (a sentence for roles whose modules are
still to come). ``ANONYMOUS`` is the role of a visitor who is not logged in (the landing
page). The home page of a role costs a fixed number of queries plus the sum of its providers'
``queries``; ``tests/common/test_workbench.py`` asserts it for every role, so a provider that
makes a query per row, or more than it declares, fails there.

A predicate takes the active membership (``request.membership``; None when the user has
none) and answers with the app's own access functions. A block's
``context(request, membership)`` returns the template's context, or None to leave the block
out; blocks render in ``order`` on the home page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString

Visible = Callable[[Any], bool]
BlockContext = Callable[[Any, Any], dict | None]


def always(membership) -> bool:
    return True


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any  # a lazy translation
    icon: str
    order: int
    active_on: tuple[str, ...] = ()
    visible: Visible = always


@dataclass(frozen=True)
class HomeBlock:
    template: str
    context: BlockContext
    order: int
    visible: Visible = always


ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Action:
    """Something waiting for the acting organisation: a link to the page where it is done."""

    label: str
    url: str
    due: dt.date | None = None
    detail: str = ""
    kind: str = ""  # a short word for the kind of task (shown as a tag)
    #: an appointment rather than a deadline (a live class): shown as "starts 2026-12-14
    #: 19:00", never as due or overdue; ``due`` is its day, for the order
    starts: dt.datetime | None = None


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Shortcut:
    label: str
    url: str


@dataclass
class WorkbenchPart:
    actions: list[Action] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    shortcuts: list[Shortcut] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Workbench:
    """What the home page shows: actions by due date (the undated after), figures, shortcuts
    and notes in provider order."""

    role: str
    actions: list[Action] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    shortcuts: list[Shortcut] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


WorkbenchProvide = Callable[[Any, Any], WorkbenchPart | None]


@dataclass
class LinkGroup:
    """A heading and the links under it, on an organisation's page."""

    title: str
    links: list[Shortcut] = field(default_factory=list)
    more_url: str = ""  # the full list, when the group shows only the first few


OrganizationLinks = Callable[[Any, Any, Any], list[LinkGroup]]


@dataclass(frozen=True)
class OrganizationLinkProvider:
    name: str
    provide: OrganizationLinks
    order: int
    queries: int


@dataclass(frozen=True)
class WorkbenchProvider:
    name: str
    roles: frozenset[str]
    provide: WorkbenchProvide
    order: int
    queries: int


@dataclass
class Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    blocks: dict[str, HomeBlock] = field(default_factory=dict)
    workbench: dict[str, WorkbenchProvider] = field(default_factory=dict)
    organization_links: dict[str, OrganizationLinkProvider] = field(default_factory=dict)


REGISTRY = Registry()


def register_nav(
    url_name: str,
    *,
    label: Any,
    icon: str,
    order: int,
    active_on: tuple[str, ...] = (),
    visible: Visible = always,
) -> NavItem:
    """Add (or replace, keyed by ``url_name``) an entry of the side navigation. The entry is
    highlighted on its own page and on the pages named in ``active_on``."""
    item = NavItem(
        url_name=url_name,
        label=label,
        icon=icon,
        order=order,
        active_on=tuple(dict.fromkeys((url_name, *active_on))),
        visible=visible,
    )
    REGISTRY.nav[url_name] = item
    return item


def register_home_block(
    template: str, *, context: BlockContext, order: int, visible: Visible = always
) -> HomeBlock:
    """Add (or replace, keyed by ``template``) a block of the home page."""
    block = HomeBlock(template=template, context=context, order=order, visible=visible)
    REGISTRY.blocks[template] = block
    return block


def register_workbench(
    name: str, *, roles, provide: WorkbenchProvide, order: int, queries: int
) -> WorkbenchProvider:
    """Add (or replace, keyed by ``name``) a workbench provider for ``roles`` (role values,
    ``ANONYMOUS`` for visitors). ``queries`` is the provider's fixed query budget."""
    provider = WorkbenchProvider(
        name=name, roles=frozenset(roles), provide=provide, order=order, queries=queries
    )
    REGISTRY.workbench[name] = provider
    return provider


def workbench_role(membership) -> str:
    return membership.role if membership is not None else ANONYMOUS


def workbench_providers(role: str) -> list[WorkbenchProvider]:
    return sorted(
        (p for p in REGISTRY.workbench.values() if role in p.roles),
        key=lambda p: (p.order, p.name),
    )


def workbench_query_budget(role: str) -> int:
    """The queries the providers of ``role`` declare, together."""
    return sum(p.queries for p in workbench_providers(role))


def workbench_for(request, membership) -> Workbench:
    """The acting role's workbench: every provider's part, merged."""
    role = workbench_role(membership)
    bench = Workbench(role=role)
    seen: set[str] = set()
    for provider in workbench_providers(role):
        part = provider.provide(request, membership)
        if part is None:
            continue
        bench.actions.extend(part.actions)
        bench.figures.extend(part.figures)
        bench.notes.extend(part.notes)
        for shortcut in part.shortcuts:
            if shortcut.url not in seen:
                seen.add(shortcut.url)
                bench.shortcuts.append(shortcut)
    # stable: undated actions keep their provider order after the dated ones
    bench.actions.sort(key=lambda a: (a.due is None, a.due or dt.date.max))
    return bench


def register_organization_links(
    name: str, *, provide: OrganizationLinks, order: int, queries: int
) -> OrganizationLinkProvider:
    """Add (or replace, keyed by ``name``) what an app links from an organisation's page:
    ``provide(request, membership, organization)`` returns the groups of links to the records
    about that organisation the viewer may open (through the app's ``*_for`` querysets), in
    ``queries`` queries whatever their number."""
    provider = OrganizationLinkProvider(name=name, provide=provide, order=order, queries=queries)
    REGISTRY.organization_links[name] = provider
    return provider


def organization_links(request, membership, organization) -> list[LinkGroup]:
    """Every app's groups of links for an organisation's page, non-empty ones only, in order."""
    groups: list[LinkGroup] = []
    for provider in sorted(REGISTRY.organization_links.values(), key=lambda p: (p.order, p.name)):
        groups += [g for g in provider.provide(request, membership, organization) if g.links]
    return groups


def organization_links_budget() -> int:
    return sum(p.queries for p in REGISTRY.organization_links.values())


def autodiscover() -> None:
    """Import the ``navigation`` module of every installed app that has one."""
    autodiscover_modules("navigation")


def nav_items(request, membership) -> list[dict[str, Any]]:
    """The entries the user may see, in order: ``{label, url, icon, active}``."""
    user = request.user
    if not user.is_authenticated:
        return []
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = sorted(REGISTRY.nav.values(), key=lambda item: (item.order, item.url_name))
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "icon": item.icon,
            "active": current in item.active_on,
        }
        for item in items
        if item.visible(membership)
    ]


def home_blocks(request, membership) -> list[SafeString]:
    """The home page's blocks the user may see, rendered, in order."""
    rendered = []
    for block in sorted(REGISTRY.blocks.values(), key=lambda b: (b.order, b.template)):
        if not block.visible(membership):
            continue
        context = block.context(request, membership)
        if context is None:
            continue
        # No request: the context processors (navigation, badge) ran for the page already.
        rendered.append(SafeString(render_to_string(block.template, context)))
    return rendered


__all__ = [
    "ANONYMOUS",
    "Action",
    "Figure",
    "HomeBlock",
    "LinkGroup",
    "NavItem",
    "Shortcut",
    "Workbench",
    "WorkbenchPart",
    "WorkbenchProvider",
    "autodiscover",
    "home_blocks",
    "nav_items",
    "organization_links",
    "organization_links_budget",
    "register_home_block",
    "register_nav",
    "register_organization_links",
    "register_workbench",
    "workbench_for",
    "workbench_providers",
    "workbench_query_budget",
    "workbench_role",
]
