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

A predicate takes the active membership (``request.membership``; None when the user has
none) and answers with the app's own access functions. A block's
``context(request, membership)`` returns the template's context, or None to leave the block
out; blocks render in ``order`` on the home page.
"""

from __future__ import annotations

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


@dataclass
class Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    blocks: dict[str, HomeBlock] = field(default_factory=dict)


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
    "HomeBlock",
    "NavItem",
    "autodiscover",
    "home_blocks",
    "nav_items",
    "register_home_block",
    "register_nav",
]
