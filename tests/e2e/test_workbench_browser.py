"""Each role's workbench in a real browser (Chinese): it shows the task waiting for the role,
following the task's link leads to where it is done, and once done the task is gone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_registry_browser import log_in
from tests.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_task(page, live_server, text):
    page.goto(f"{live_server.url}/")
    task = page.locator("[data-workbench-action]", has_text=text)
    expect(task).to_have_count(1)
    task.get_by_role("link").click()


def test_each_roles_task_is_on_its_workbench_and_following_it_completes_it(
    offline_page, live_server
):
    world = build_world()
    page = offline_page

    # the enterprise: confirm its place on the second announced name list
    log_in(page, live_server, world.users["ent_a"].username)
    open_task(page, live_server, "确认入选名单“第二批公示名单”")
    page.get_by_role("button", name="确认", exact=True).click()
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-workbench-action]", has_text="第二批公示名单")).to_have_count(0)
    expect(page.locator("[data-workbench-figures]")).to_contain_text("可享受的政策")

    # the provider: the enterprise's introduction request
    page.context.clear_cookies()
    log_in(page, live_server, world.users["provider"].username)
    open_task(page, live_server, "申请对接：注塑件外观缺陷视觉检测")
    page.get_by_role("button", name="接受").click()
    expect(page.get_by_test_id("introduction-state")).to_have_text("已接受")
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-workbench-action]", has_text="申请对接")).to_have_count(0)

    # the operator: the name change waiting for review
    page.context.clear_cookies()
    log_in(page, live_server, world.users["operator"].username)
    open_task(page, live_server, "审核")
    page.get_by_role("button", name="通过").first.click()
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-workbench-action]", has_text="审核")).to_have_count(0)

    # the expert: what it will do here, and where to go today
    page.context.clear_cookies()
    log_in(page, live_server, world.users["expert"].username)
    expect(page.locator("[data-workbench-note]")).to_contain_text("专家库")
    page.locator("[data-workbench-shortcuts]").get_by_role("link", name="揭榜挂帅（公开）").click()
    expect(page).to_have_url(f"{live_server.url}/matchmaking/open-challenges/")
