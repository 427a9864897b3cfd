# ruff: noqa: F811 (pytest fixtures imported from tests/matchmaking/conftest.py)
"""Matchmaking in a real browser: an enterprise posts a demand and sees ranked offerings with
reasons at once, sends an introduction request with its contact's consent; the provider accepts
and sees the contact; the enterprise records the meeting and the deal with evidence; an
operator reads the funnel."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_registry_browser import log_in
from tests.matchmaking.conftest import (  # noqa: F401 (fixtures)
    EMAIL,
    PHONE,
    _fresh_index,
    contact,
    offering,
    provider_org,
    provider_user,
)
from zhizao.matchmaking.models import Demand, Introduction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server, username)


def test_demand_to_deal_and_the_funnel(
    offline_page, live_server, enterprise_user, provider_user, operator, offering, contact, tmp_path
):
    page = offline_page
    log_in(page, live_server, "enterprise")
    page.goto(f"{live_server.url}/matchmaking/demands/new/")
    page.get_by_label("标题").fill("注塑件外观缺陷视觉检测")
    page.get_by_label("说明").fill("注塑车间需要机器视觉检测外观缺陷（缺料、飞边），与 MES 对接。")
    page.get_by_label("类别").select_option("machine_vision")
    page.get_by_label("预算").select_option("500k-1m")
    page.locator("#id_province").select_option("320000")
    page.locator("#id_city").select_option("320200")
    page.locator("#id_district").select_option("320214")
    page.locator("#id_division").select_option("29")
    page.get_by_label("必须满足 1").fill("CMMI3及以上")
    page.get_by_label("必须满足 2").fill("同行业案例")
    page.get_by_label("联系人").select_option(str(contact.pk))
    page.get_by_role("button", name="保存并发布").click()

    # ranked offerings with reasons, at once
    match = page.locator('[data-testid="match"]').first
    expect(match).to_contain_text("满足全部 2 项要求")
    expect(match).to_contain_text("同行业案例 1 个")
    expect(match.locator("mark").first).to_be_visible()
    demand = Demand.objects.get()
    assert (demand.state, demand.region, demand.industry) == ("published", "320214", "29")

    match.locator("summary", has_text="发送对接申请").click()
    match.get_by_label("留言").fill("请介绍同类项目的检测节拍")
    match.get_by_role("checkbox").check()
    match.get_by_role("button", name="发送申请").click()
    expect(page.get_by_test_id("introduction-state")).to_have_text("已申请")

    # the provider accepts and sees the consented contact
    switch_user(page, live_server, "provider")
    page.goto(f"{live_server.url}/matchmaking/introductions/?box=incoming")
    page.get_by_role("link", name="注塑件外观缺陷视觉检测").click()
    expect(page.get_by_test_id("their-contacts")).not_to_contain_text(PHONE)
    page.get_by_role("button", name="接受").click()
    expect(page.get_by_test_id("introduction-state")).to_have_text("已接受")
    expect(page.get_by_test_id("their-contacts")).to_contain_text(PHONE)
    expect(page.get_by_test_id("their-contacts")).to_contain_text(EMAIL)

    # the enterprise records the meeting and the deal
    switch_user(page, live_server, "enterprise")
    intro = Introduction.objects.get()
    page.goto(f"{live_server.url}/matchmaking/introductions/{intro.pk}/")
    page.locator("summary", has_text="登记洽谈").click()
    page.get_by_role("button", name="登记洽谈").click()
    expect(page.get_by_test_id("introduction-state")).to_have_text("已洽谈")
    page.locator("summary", has_text="登记成交").click()
    page.get_by_label("成交金额（元）").fill("680000")
    evidence = tmp_path / "采购合同.pdf"
    evidence.write_bytes(b"%PDF-1.4 contract")
    page.locator("input[type=file][name=evidence]").set_input_files(str(evidence))
    page.get_by_role("button", name="登记成交").click()
    expect(page.get_by_test_id("introduction-state")).to_have_text("已成交")
    expect(page.get_by_test_id("deal")).to_contain_text("68万元")
    intro.refresh_from_db()
    assert (intro.state, str(intro.deal_value_yuan), intro.deal_evidence_name) == (
        "deal",
        "680000.00",
        "采购合同.pdf",
    )

    # the operator reads the funnel
    switch_user(page, live_server, "operator")
    page.goto(f"{live_server.url}/matchmaking/funnel/")
    for stage, n in enumerate([1, 1, 1, 1, 1]):
        expect(page.get_by_test_id(f"stage-{stage}")).to_have_text(str(n))
    expect(page.get_by_test_id("deal-value")).to_have_text("68万元")
    expect(page.get_by_test_id("funnel-table")).to_contain_text("机器视觉检测")
