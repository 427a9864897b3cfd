"""Expert review in a real browser: the office runs the assignment and reads why a pair was
excluded, sends the assignments; an expert scores against the rubric (a missing required
comment is named first); the office ranks and opens 公示."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_registry_browser import log_in
from tests.review.conftest import build_review_world
from zhizao.calls.models import Publicity
from zhizao.review import services
from zhizao.review.models import Assignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server, username)


def test_assign_score_rank_and_publicity(offline_page, live_server):
    w = build_review_world(k=1)
    page = offline_page
    log_in(page, live_server, "rv-office")
    page.goto(f"{live_server.url}/review/rounds/{w.round.pk}/")
    page.get_by_label("精确最优分配").check()
    page.get_by_test_id("run-assignment").click()
    expect(page.get_by_test_id("run-summary")).to_contain_text("4 个配对因回避被排除")
    page.get_by_role("link", name="各配对被排除的原因").click()
    reasons = page.get_by_test_id("exclusion-reason")
    expect(reasons.first).to_be_visible()
    expect(page.locator("table").first).to_contain_text("同一单位")
    page.get_by_role("link", name="专家分配").click()
    page.get_by_test_id("open-round").click()
    expect(page.get_by_test_id("round-state")).to_have_text("评审中")

    # every expert with an assignment scores it; the first one through the page
    assignments = list(Assignment.objects.filter(round=w.round, state="active").order_by("id"))
    first = assignments[0]
    key = next(k for k, e in w.experts.items() if e.pk == first.expert_id)
    switch_user(page, live_server, w.users[key].username)
    page.goto(f"{live_server.url}/review/mine/")
    page.locator('[data-testid="my-assignments"] tbody a').first.click()
    page.get_by_label("创新性", exact=True).fill("92")
    page.get_by_label("应用成效", exact=True).fill("85")
    page.get_by_test_id("submit-review").click()
    expect(page.locator(".error-summary")).to_contain_text("“创新性”需要填写评语。")
    page.get_by_label("关于“创新性”的评语").fill("视觉引导装配精度达到国际先进水平")
    page.get_by_test_id("submit-review").click()
    expect(page.get_by_test_id("review-submitted")).to_contain_text("89.20")
    for assignment in assignments[1:]:
        other = next(k for k, e in w.experts.items() if e.pk == assignment.expert_id)
        services.save_review(
            w.actor(other),
            assignment,
            scores={"innovation": "70", "impact": "60"},
            comments={"innovation": "一般"},
            submit=True,
        )

    switch_user(page, live_server, "rv-office")
    page.goto(f"{live_server.url}/review/rounds/{w.round.pk}/ranking/")
    page.get_by_test_id("rank").click()
    expect(page.get_by_test_id("ranking")).to_contain_text("89.20")
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id("handed-over")).to_be_visible()
    assert Publicity.objects.filter(call=w.call).count() == 1
