"""Accessibility in a real browser: axe-core (vendored for the tests only, see
tests/e2e/vendor/MANIFEST) runs its WCAG 2.1 A and AA rules on every page each role's
navigation reaches on the security world, and the test fails on any violation.

The pages are those of the navigation walk (tests/common/test_navigation_walk.py: every
same-site link followed from each role's workbench); each named page is checked once, as the
first role that reaches it, and every role's workbench is checked as that role."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve
from playwright.sync_api import Error as PlaywrightError

from tests.common.test_navigation_walk import WALKERS, walk
from tests.e2e.test_registry_browser import log_in
from tests.factories import PASSWORD
from tests.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Pages left out of the check, with the reason.
EXCEPTIONS = {
    "policies:item_editor": "the policy rule editor: owned by the forms helper (issue 17)",
    "policies:item_editor_preview": "part of the policy rule editor: owned by the forms helper",
    "policies:item_editor_json": "part of the policy rule editor: owned by the forms helper",
}

RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
    count: v.nodes.length}));
}"""


def pages_to_check(world) -> list[tuple[str, list[str]]]:
    """(role, [url, …]) in walking order: each named page once, each role's workbench."""
    checked: set[str] = set()
    plan = []
    for role in WALKERS:
        client = Client()
        user = world.users[role]
        if user is not None:
            assert client.login(username=user.username, password=PASSWORD)
        pages: dict[str, str] = {}
        walk(client, pages)
        urls = []
        for url in pages:
            name = resolve(urlsplit(url).path).view_name
            key = f"{role}:{url}" if url == "/" else name
            if key in checked or name in EXCEPTIONS:
                continue
            checked.add(key)
            urls.append(url)
        plan.append((role, urls))
    return plan


def test_every_page_a_role_reaches_passes_axe_wcag_21_aa(offline_page, live_server):
    world = build_world()
    plan = pages_to_check(world)
    assert sum(len(urls) for _role, urls in plan) > 50  # the walk reached the world's pages
    source = AXE.read_text()
    page = offline_page
    violations = []
    for role, urls in plan:
        page.context.clear_cookies()
        user = world.users[role]
        if user is not None:
            log_in(page, live_server, user.username)
        for url in urls:
            try:
                page.goto(f"{live_server.url}{url}")
            except PlaywrightError as error:  # a file download (the report PDF once rendered)
                assert "Download is starting" in str(error), error
                continue
            page.evaluate(source)  # through the debugging protocol: the page's CSP stays on
            for v in page.evaluate(RUN, WCAG_21_AA):
                violations.append(
                    f"{role} {url}: {v['id']} ({v['impact']}, {v['count']}×) {v['help']}"
                    f" — {'; '.join(v['nodes'])}"
                )
    assert violations == [], "\n".join(violations)
