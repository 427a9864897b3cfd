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

# Pages that show codes on purpose, with the reason.
SHOWS_CODES = {
    "/audit/": "the audit log records stored values as written (before → after)",
    "/diagnosis/campaigns/new/": "the target filter is a registry query; its help shows the format",
    "/registry/imports/new/": "the import file's columns take codes; the help shows an example",
}

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
    "classroom:lesson_video": "the lesson player's <video src> streams it (range requests), "
    "not a link; tested in tests/classroom",
    "matchmaking:demand_category_suggest": "an htmx fragment the demand form requests as the "
    "text is typed (hx-get), not a link; tested in tests/matchmaking",
    "region_options": "an htmx fragment a region picker requests when a level is chosen, not a "
    "link; tested in tests/common/test_region_picker.py",
    "industry_options": "an htmx fragment an industry picker requests when a level is chosen, "
    "not a link; tested in tests/common/test_region_picker.py",
    "registry:organization_search": "an htmx fragment the chain-leader field requests as the "
    "name or code is typed (hx-get), not a link; tested in tests/registry/test_chain_editing.py",
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


def walk(client: Client, pages: dict[str, str] | None = None):
    """The named routes reached (name → first path) and the broken links (from, to, status);
    ``pages`` collects the visible text of every HTML page reached (path → text)."""
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
        body = response.content.decode()
        if pages is not None:
            pages[url] = visible_text(body)
        for link in links(body, url):
            if urlsplit(link).path not in seen_paths:
                queue.append((url, link))
    return reached, broken


TAGS = re.compile(r"<(script|style|code|kbd|textarea)\b.*?</\1>|<[^>]+>", re.S | re.I)


def visible_text(body: str) -> str:
    """What a person reads: no tags, attributes, scripts; ``<code>`` (identifiers shown on
    purpose as identifiers, e.g. an item key) and ``<textarea>`` (the rule editor's advanced
    view edits the rule's own text) aside."""
    return unescape(TAGS.sub(" ", body))


@pytest.fixture
def world():
    return build_world()


def test_every_page_is_reachable_by_links_no_link_is_broken_and_no_page_shows_codes(world):
    """One walk per role (in Chinese, the default) checks three classes at once."""
    reached: dict[str, str] = {}
    broken = []
    pages: dict[str, str] = {}
    for role in WALKERS:
        client = Client()
        user = world.users[role]
        if user is not None:
            assert client.login(username=user.username, password=PASSWORD)
        got, bad = walk(client, pages)
        for name, url in got.items():
            reached.setdefault(name, f"{role}: {url}")
        broken += [(role, *b) for b in bad]
    assert broken == []
    unreachable = sorted(page_routes() - set(reached) - set(UNREACHABLE))
    assert unreachable == [], ", ".join(unreachable)
    findings = code_findings(pages)
    assert findings == [], "\n".join(f"{url}: {what}" for url, what in findings)


# --- no internal codes on pages -------------------------------------------------------------


def vocabulary_values() -> set[str]:
    """The stored values of every choice vocabulary of our apps that a person would take for a
    code (snake_case: ``intelligent_transformation``, ``machine_vision``)."""
    from django.apps import apps

    from zhizao_core.matching.vocabulary import CATEGORIES, KINDS

    values = {v for v in (*CATEGORIES, *KINDS) if "_" in v}
    for config in apps.get_app_configs():
        if not config.name.startswith("zhizao."):
            continue
        for model in config.get_models():
            for f in model._meta.get_fields():
                for value, _label in getattr(f, "flatchoices", None) or []:
                    if isinstance(value, str) and "_" in value:
                        values.add(value)
    return values


def code_findings(pages: dict[str, str]) -> list[tuple[str, str]]:
    from zhizao.registry.models import Region

    regions = set(Region.objects.values_list("code", flat=True))
    words = vocabulary_values()
    word = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(words))) + r")(?![\w-])")
    patterns = {
        "field path": re.compile(
            r"\b(?:enterprise|projects?|loans?|organization)(?:\[[^\]]*\])?\.[a-z_]+\b"
        ),
        "requirement id": re.compile(r"\b[a-z]+(?:-[a-z]+)*-L\d-\d+\b"),
        "file name": re.compile(r"\b[\w.-]+\.(?:ya?ml|json)\b"),
        "code in an explanation": re.compile(
            r"(?:\b\d{2,6}|\b[A-Z])\s*(?:不)?(?:位于/属于|属于|位于)\s*(?:\d{2,6}|[A-Z])\b"
        ),
    }
    found = []
    for url, text in pages.items():
        if urlsplit(url).path in SHOWS_CODES:
            continue
        for kind, pattern in patterns.items():
            found += [(url, f"{kind}: {m.group(0)}") for m in pattern.finditer(text)]
        found += [(url, f"vocabulary value: {m.group(1)}") for m in word.finditer(text)]
        found += [
            (url, f"region code: {m.group(0)}")
            for m in re.finditer(r"(?<![\d,.])\d{6}(?![\d,.])", text)
            if m.group(0) in regions
        ]
    return sorted(set(found))
