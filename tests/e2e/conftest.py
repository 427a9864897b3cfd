"""Browser tests: Playwright driving Debian's Chromium against the live server.

Never runs ``playwright install``. Any request to a host other than the live server fails the
test: the platform must work with no network.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the Debian package 'chromium'")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def offline_page(page, live_server):
    """A page that fails the test on any request leaving the live server."""
    allowed = urlparse(live_server.url).netloc
    stray: list[str] = []

    def check(request):
        netloc = urlparse(request.url).netloc
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if netloc != allowed:
            stray.append(request.url)

    page.on("request", check)
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    yield page
    assert stray == [], f"requests outside the live server: {stray}"
    csp = [e for e in console_errors if "Content Security Policy" in e]
    assert csp == [], f"CSP violations: {csp}"
