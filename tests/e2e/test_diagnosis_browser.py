"""Maturity diagnosis in a real browser: answer part of an assessment, leave, resume, submit,
read the report and download the PDF; a provider records an on-site diagnosis; an operator
allocates a campaign."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.diagnosis.conftest import answer_all, level_answers, submitted
from tests.e2e.test_registry_browser import log_in
from tests.factories import actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.diagnosis import services
from zhizao.diagnosis.loading import shipped_model_files
from zhizao.diagnosis.models import Assessment, MaturityModel
from zhizao.diagnosis.services import load_model_files
from zhizao.registry.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def models(db):
    load_model_files(shipped_model_files())
    return MaturityModel.objects.get(key="cmmm-2020")


def test_enterprise_answers_leaves_resumes_submits_and_downloads(
    offline_page, live_server, models, enterprise_user, factory_org, tmp_path
):
    page = offline_page
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, "enterprise")
    page.goto(f"{live_server.url}/diagnosis/")
    page.get_by_label("离散型制造").check()
    page.get_by_role("button", name="开始", exact=True).click()
    requirements = page.locator("article.req")
    expect(requirements.first).to_be_visible()
    for i in range(3):
        requirements.nth(i).get_by_text("全部满足").click()
        expect(requirements.nth(i).locator(".req-saved")).to_be_visible()
    a = Assessment.objects.get(organization=factory_org)
    expect(page.locator("#diag-progress")).to_contain_text(f"3/{a.asked_count}")
    # a comment and an evidence file on the first requirement
    first = requirements.nth(0)
    first.get_by_text("备注与佐证材料").click()
    first.locator("textarea").fill("规划经总经理办公会审议通过")
    with page.expect_response(lambda r: "/answer/" in r.url):
        first.get_by_role("button", name="保存答案和备注").click()
    expect(requirements.nth(0).locator(".req-saved")).to_be_visible()
    evidence = tmp_path / "智能制造规划.pdf"
    evidence.write_bytes(b"%PDF-1.4 test")
    requirements.nth(0).locator("input[type=file]").set_input_files(str(evidence))
    requirements.nth(0).get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_role("link", name="智能制造规划.pdf")).to_be_visible()
    saved = a.answers.get(
        requirement_id=requirements.nth(0).get_attribute("id").removeprefix("req-")
    )
    assert (saved.value, saved.comment) == ("1", "规划经总经理办公会审议通过")
    assert a.evidence.get().original_name == "智能制造规划.pdf"
    # leave and come back
    page.goto(f"{live_server.url}/")
    page.goto(f"{live_server.url}/diagnosis/")
    page.get_by_role("link", name=factory_org.name).click()
    expect(page.locator("#diag-progress")).to_contain_text(f"3/{a.asked_count}")
    checked = page.locator("article.req input[type=radio]:checked")
    expect(checked).to_have_count(3)
    # the rest is answered (test shortcut), then submitted from the page
    answer_all(a, overrides=level_answers(a.model.parsed(), "discrete", 2))
    page.reload()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("score")).to_have_text("2.00")
    expect(page.get_by_test_id("level")).to_have_text("2")
    expect(page.locator("svg.radar")).to_be_visible()
    expect(page.get_by_role("heading", name="差距路线图")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_provider_records_an_onsite_diagnosis(
    offline_page, live_server, models, operator, enterprise_user, factory_org
):
    provider_org = make_organization(
        name="无锡智联工业软件有限公司", kind="provider", region="320214", industry=None
    )
    make_user("provider", role=Role.PROVIDER, organization=provider_org)
    submitted(factory_org, enterprise_user, models, 2)
    actor = actor_for(operator)
    campaign = services.create_campaign(
        actor,
        targets_qs=Organization.objects.filter(pk=factory_org.pk),
        name="巡诊",
        model=models,
        budget_yuan=100000,
        price_yuan=20000,
        target_filter="",
    )
    services.add_provider(actor, campaign, provider_org, 5, ["320200"], [])
    services.propose_allocation(actor, campaign)
    services.set_campaign_state(actor, campaign, "running")
    page = offline_page
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, "provider")
    page.goto(f"{live_server.url}/diagnosis/campaigns/{campaign.pk}/")
    page.get_by_role("button", name="开始现场诊断").click()
    first = page.locator("article.req").first
    first.get_by_role("radio", name="部分满足 0.5").check()
    expect(first.locator(".req-saved")).to_be_visible()
    onsite = Assessment.objects.get(kind="onsite")
    answers = level_answers(models.parsed(), "discrete", 2)
    answers[first.get_attribute("id").removeprefix("req-")] = "0.5"
    answer_all(
        onsite,
        overrides={
            **answers,
            **{r.id: "0.5" for r in models.parsed().asked("discrete") if r.level == 2},
        },
    )
    page.reload()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="自评估与现场核验")).to_be_visible()
    expect(page.locator(".diff-row-down").first).to_be_visible()


def test_operator_allocates_a_campaign(offline_page, live_server, models, operator):
    targets = [make_organization(name=f"无锡目标{i}号有限公司", region="320214") for i in range(4)]
    provider_org = make_organization(
        name="无锡智联工业软件有限公司", kind="provider", region="320214", industry=None
    )
    campaign = services.create_campaign(
        actor_for(operator),
        targets_qs=Organization.objects.filter(pk__in=[t.pk for t in targets]),
        name="巡诊",
        model=models,
        budget_yuan=60000,
        price_yuan=20000,
        target_filter="",
    )
    page = offline_page
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/diagnosis/campaigns/{campaign.pk}/")
    page.get_by_label("服务商（信用代码或全称）").fill(provider_org.name)
    page.get_by_label("名额").fill("2")
    page.get_by_role("button", name="保存服务商").click()
    page.get_by_test_id("allocate").click()
    rows = page.get_by_test_id("targets").locator("tbody tr")
    expect(
        rows.locator("td:nth-child(3)").filter(has_text="无锡智联工业软件有限公司")
    ).to_have_count(2)
    expect(page.get_by_test_id("provider-progress")).to_contain_text("2")
