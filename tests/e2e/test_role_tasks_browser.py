"""More of each role's work followed from its workbench in a real browser, and the error pages
a person can land on, in Chinese and in English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_registry_browser import log_in
from tests.e2e.test_workbench_browser import open_task
from tests.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_commits_the_checked_import_waiting_on_its_workbench(offline_page, live_server):
    world = build_world()
    batch = world.objects["batch"]
    page = offline_page
    log_in(page, live_server, world.users["operator"].username)
    open_task(page, live_server, "提交已校验的导入“orgs.csv”")
    expect(page).to_have_url(f"{live_server.url}/registry/imports/{batch.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^导入 \d+ 行$")).click()
    expect(page.locator(".pill-ok")).to_be_visible()
    batch.refresh_from_db()
    assert batch.state == "committed" and batch.created == batch.valid > 0
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-workbench-action]", has_text="orgs.csv")).to_have_count(0)


def test_enterprise_answers_the_match_the_platform_suggested_from_its_workbench(
    offline_page, live_server
):
    world = build_world()
    intro = world.objects["intro_suggested"]
    bank = intro.offering.provider.name
    page = offline_page
    log_in(page, live_server, world.users["ent_a"].username)
    open_task(page, live_server, f"平台推荐与 {bank} 对接")
    expect(page).to_have_url(f"{live_server.url}/matchmaking/introductions/{intro.pk}/")
    page.get_by_label("留言").fill("请介绍贷款条件")
    with page.expect_navigation():
        page.get_by_role("button", name="发送申请").click()
    intro.refresh_from_db()
    assert (intro.state, intro.requested_by) == ("requested", "enterprise")
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-workbench-action]", has_text=bank)).to_have_count(0)


@pytest.mark.parametrize(
    ("lang", "missing", "denied", "home"),
    [
        ("zh-hans", "页面不存在", "无权访问", "进入我的工作台"),
        ("en", "Page not found", "Access denied", "Go to your workbench"),
    ],
)
def test_error_pages_are_ours_in_the_users_language(
    offline_page, live_server, lang, missing, denied, home
):
    world = build_world()
    page = offline_page
    log_in(page, live_server, world.users["ent_a"].username)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])

    # a link to a record that does not exist (or that this organisation may not open)
    response = page.goto(f"{live_server.url}/registry/999999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(missing)
    expect(page.locator(".sidebar")).to_be_visible()  # the platform's layout, not a bare page
    expect(page.locator("body")).not_to_contain_text("Not Found")
    page.get_by_role("link", name=home).click()
    expect(page).to_have_url(f"{live_server.url}/")

    # a form sent with a stale security token (a tab left open across a new login)
    page.evaluate(
        "document.querySelectorAll('input[name=csrfmiddlewaretoken]')"
        ".forEach(i => { i.value = 'x'.repeat(64); })"
    )
    with page.expect_navigation():
        page.evaluate("document.querySelector('form[action=\"/accounts/logout/\"]').submit()")
    expect(page.get_by_role("heading", level=1)).to_have_text(denied)
    expect(page.locator("body")).not_to_contain_text("CSRF")
    page.get_by_role("link", name=home).click()
    expect(page).to_have_url(f"{live_server.url}/")  # still logged in: nothing was done
    expect(page.locator("[data-workbench-figures]")).to_be_visible()
