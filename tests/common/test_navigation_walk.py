"""Every page can be reached by following links: from each role's workbench, a walk follows
every same-site link (GET) of the pages it reaches. It fails on a link that lands on a missing
or broken page (404, 5xx) for the role that was shown it, and on any page of the URL table
that no role reaches (but the deliberate exceptions below, each with its reason)."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.factories import PASSWORD
from tests.security.test_route_access import TABLE
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

WALKERS = ("anon", "ent_a", "provider", "bank", "officer", "operator", "expert", "society")
MAX_PAGES = 400  # per role: the world is small; a walk that needs more is looping on queries
SKIP_PREFIXES = ("/static/", "/media/", "/django-admin/", "/i18n/", "/jsi18n/")
HREF = re.compile(r'<a\b[^>]*?\bhref="([^"]+)"', re.I)

# Pages no link leads to, on purpose.
UNREACHABLE = {
    "health": "the load balancer's health check, not a page for people",
    "styleguide": "the designers' component catalogue, not part of the product",
    "javascript-catalog": "the script translations, loaded by pages, not a page",
    "set_language": "the language switch is a form (POST)",
    "accounts:login_totp": "the second login step: reached by posting the first",
    "accounts:choose_membership": "reached by redirect when no organisation is chosen",
    "registry:import_errors": "linked from an import's page when its check found problems; "
    "the walk's import has none",
}


def page_routes() -> set[str]:
    """The named pages (not API operations) that somebody may GET."""
    return {row.name for row in TABLE if not row.api and row.methods.get("GET")}


def links(body: str, base: str) -> list[str]:
    out = []
    for href in HREF.findall(body):
        href = unescape(href)
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        url, _fragment = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP_PREFIXES):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def walk(client: Client) -> tuple[dict[str, str], list[tuple[str, str, int]]]:
    """The named routes reached (name → first path) and the broken links (from, to, status)."""
    seen_paths: set[str] = set()
    reached: dict[str, str] = {}
    broken = []
    queue = deque([("", "/")])
    while queue and len(seen_paths) < MAX_PAGES:
        source, url = queue.popleft()
        path = urlsplit(url).path
        if path in seen_paths:
            continue
        seen_paths.add(path)
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        if response.status_code == 404 or response.status_code >= 500:
            broken.append((source, url, response.status_code))
            continue
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name:
            reached.setdefault(match.view_name, url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links(response.content.decode(), url):
            if urlsplit(link).path not in seen_paths:
                queue.append((url, link))
    return reached, broken


@pytest.fixture
def world():
    return build_world()


def test_every_page_is_reachable_by_links_and_no_link_is_broken(world):
    reached: dict[str, str] = {}
    broken = []
    for role in WALKERS:
        client = Client()
        client.cookies["django_language"] = "en"
        user = world.users[role]
        if user is not None:
            assert client.login(username=user.username, password=PASSWORD)
        got, bad = walk(client)
        for name, url in got.items():
            reached.setdefault(name, f"{role}: {url}")
        broken += [(role, *b) for b in bad]
    assert broken == []
    unreachable = sorted(page_routes() - set(reached) - set(UNREACHABLE))
    assert unreachable == [], ", ".join(unreachable)
