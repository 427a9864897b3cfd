"""The rule editor and “my policies” in a real browser: an officer creates an item for a
published policy, builds its conditions and amount in the form, adds an example case, runs it,
publishes; the enterprise then sees the item in 我的政策 with its amount and explanation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.test_registry_browser import log_in
from tests.factories import actor_for
from zhizao.policies import services
from zhizao.policies.models import PolicyItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wuxi_policy(officer):
    actor = actor_for(officer)
    policy = services.create_policy(
        actor,
        title="无锡市智能化改造数字化转型专项资金管理办法",
        doc_number="锡工信规〔2026〕3号",
        issuing_unit="无锡市工业和信息化局",
        level="city",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2028, 12, 31),
        budget_yuan=Decimal("50000000"),
    )
    return services.publish_policy(actor, policy)


def test_officer_builds_tests_and_publishes_an_item_the_enterprise_sees_it(
    offline_page,
    live_server,
    wuxi_policy,
    officer,
    enterprise_user,
    factory_org,
):
    services.create_project(
        actor_for(enterprise_user),
        factory_org,
        name="冲压车间智能化改造",
        kind="intelligent_transformation",
        equipment_yuan=Decimal("20000000"),
        software_yuan=Decimal("6000000"),
        services_yuan=Decimal("3000000"),
        other_yuan=Decimal("2000000"),
    )
    page = offline_page
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, "officer")
    # a new item of the published policy
    page.goto(f"{live_server.url}/policies/{wuxi_policy.pk}/items/new/")
    page.locator('[name="key"]').fill("wuxi-im-2026")
    page.locator('[name="name"]').fill("无锡市智能化改造项目奖补（2026）")
    page.locator('[name="category"]').select_option("grant")
    page.locator('[name="subject"]').select_option("project")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/items/wuxi-im-2026/")
    page.get_by_role("link", name="规则编辑器").click()
    expect(
        page.get_by_role("heading", name="规则编辑器：无锡市智能化改造项目奖补（2026）")
    ).to_be_visible()

    # conditions: registered in Wuxi (3202…) and total investment above 3,000万
    page.locator('[name="cond-0-fact"]').select_option("enterprise.region")
    page.locator('[name="cond-0-op"]').select_option("prefix")
    page.locator('[name="cond-0-value"]').fill("3202")
    page.locator('[name="cond-1-fact"]').select_option("project.total_investment")
    # only the operators of an amount are offered
    expect(page.locator('[name="cond-1-op"] option[value="prefix"]')).to_be_disabled()
    page.locator('[name="cond-1-op"]').select_option("gt")
    page.locator('[name="cond-1-value"]').fill("3000万")
    # amount: 8 % of equipment + 10 % of software
    page.locator('[name="part-0-kind"]').select_option("percent")
    page.locator('[name="part-0-value"]').fill("8")
    page.locator('[name="part-0-bases"][value="project.equipment"]').check()
    page.locator('[name="part-1-kind"]').select_option("percent")
    page.locator('[name="part-1-value"]').fill("10")
    page.locator('[name="part-1-bases"][value="project.software"]').check()
    expect(page.get_by_test_id("rule-preview")).to_have_text(
        "无锡市智能化改造项目奖补（2026）：注册地 3202 开头 且 项目总投资 大于 3,000万元"
        " → 设备投资 × 8% + 软件投资 × 10%；有效期 2026-01-01 起至 2028-12-31"
    )
    page.get_by_role("button", name="保存规则").click()
    expect(page.get_by_text("规则已保存到草稿版本 1。")).to_be_visible()

    # an example case, run: it passes
    page.get_by_text("添加测试用例").click()
    case = page.locator("#case-form")
    case.locator('[name="name"]').fill("总投资 3,100 万元")
    case.locator('[name="as_of"]').fill("2026-06-30")
    # the registered region by narrowing (province → city → district), not a typed code
    levels = case.locator('select[name="region"]')
    levels.nth(0).select_option("320000")
    expect(levels.nth(1).locator('option[value="320200"]')).to_have_count(1)
    levels.nth(1).select_option("320200")
    expect(levels.nth(2).locator('option[value="320214"]')).to_have_count(1)
    levels.nth(2).select_option("320214")
    case.locator('[name="kind"]').select_option("intelligent_transformation")
    case.locator('[name="equipment"]').fill("2000万")
    case.locator('[name="software"]').fill("600万")
    case.locator('[name="services"]').fill("300万")
    case.locator('[name="other"]').fill("200万")
    case.locator('[name="expect_eligible"]').select_option("yes")
    case.locator('[name="expect_amount"]').fill("220万")
    case.get_by_role("button", name="保存用例").click()
    page.get_by_test_id("run-cases").click()
    expect(page.get_by_test_id("case-result")).to_have_text("通过")

    # publish
    page.get_by_role("button", name="发布版本 1").click()
    expect(page.get_by_text("版本 1 已发布。")).to_be_visible()
    item = PolicyItem.objects.get(key="wuxi-im-2026")
    assert (item.state, item.versions.get().state) == ("published", "published")

    # the enterprise sees it in 我的政策 with its amount and explanation
    page.context.clear_cookies()
    log_in(page, live_server, "enterprise")
    page.get_by_role("link", name="我的政策").click()
    result = page.locator(f'[data-testid="result-wuxi-im-2026-{factory_org.projects.get().pk}"]')
    expect(result.get_by_test_id("amount")).to_have_text("220万元")
    expect(result).to_contain_text("冲压车间智能化改造")
    expect(result).to_contain_text("项目总投资 31,000,000.00 元 大于 30,000,000.00 元 → 满足")
    expect(result).to_contain_text("符合条件，金额 2,200,000.00 元")
    page.get_by_role("button", name="保存测算结果").click()
    expect(page.get_by_text("已保存")).to_be_visible()
