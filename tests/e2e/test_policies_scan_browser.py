"""免申即享 in a real browser: an officer runs a scan of the Wuxi item, creates a name list from
it and announces it; the listed enterprise finds the notification and confirms with one click."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_registry_browser import log_in
from tests.policies.conftest import draft_policy, item, policy  # noqa: F401
from tests.policies.scanning import scan_registry, scan_version  # noqa: F401
from zhizao.policies.models import NameList, NameListEntry, Scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_scans_announces_and_enterprise_confirms(
    offline_page, live_server, browser, officer, enterprise_user, request
):
    version = request.getfixturevalue("scan_version")
    registry = request.getfixturevalue("scan_registry")
    page = offline_page
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/policies/items/{version.item.key}/")
    page.get_by_role("link", name="免申即享扫描").click()
    page.get_by_label("基准日期").fill("2026-06-30")
    page.get_by_role("button", name="运行扫描").click()
    expect(page.get_by_test_id("eligible-count")).to_have_text("3")
    expect(page.get_by_test_id("scan-total")).to_have_text("488万元")
    expect(page.get_by_test_id("eligible-rows")).to_contain_text("失信被执行人")
    # the missing fact is named, not given as its code (project.software_yuan)
    expect(page.get_by_test_id("unknown-rows")).to_contain_text("软件投资")
    expect(page.get_by_test_id("unknown-rows")).not_to_contain_text("software_yuan")
    assert Scan.objects.get().state == "done"

    page.get_by_role("button", name="生成名单").click()
    expect(page.get_by_test_id("entries")).to_contain_text("无锡恒达智能装备有限公司")
    page.get_by_role("button", name="公示", exact=True).click()
    expect(page.get_by_test_id("name-list-state")).to_have_text("公示中")
    assert NameList.objects.get().state == "announced"

    # the enterprise, in its own browser context
    context = browser.new_context(locale="zh-CN")
    other = context.new_page()
    log_in(other, live_server, "enterprise")
    other.goto(f"{live_server.url}/notifications/")
    other.get_by_role("link", name="您已列入“智能化改造设备投资奖补”名单").click()
    expect(other.get_by_test_id("benefit-amount")).to_have_text("248万元")
    expect(other.get_by_test_id("payment-stages")).to_contain_text("全额")
    other.get_by_role("button", name="确认", exact=True).click()
    expect(other.get_by_test_id("entry-state")).to_have_text("已确认")
    entry = NameListEntry.objects.get(enterprise=registry["f"])
    assert (entry.state, entry.confirmed_by_id) == ("confirmed", enterprise_user.pk)
    context.close()
