# ruff: noqa: F811 (pytest fixtures imported from tests/calls/conftest.py)
"""Calls in a real browser: a society nominates within its quota and is refused beyond it;
the office returns an application for correction and the applicant corrects it (autosave);
公示 opens, an objection is filed and answered; the catalogue is published and the title
appears among the enterprise's recognitions (what 我的政策 evaluates)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.calls.conftest import (  # noqa: F401 (fixtures)
    application,
    call,
    fill,
    office_org,
    office_user,
    society_a,
    society_a_user,
    society_b,
    society_b_user,
)
from tests.e2e.test_registry_browser import log_in
from tests.factories import actor_for
from zhizao.calls.models import Application, Objection
from zhizao.calls.services import applications as app_services
from zhizao.calls.services import formal, nominations, publicity
from zhizao.common.audit import SYSTEM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server, username)


def _second(call, user, society):
    app = app_services.start_application(
        actor_for(user),
        call,
        title="注塑模具智能产线",
        category=call.categories.first(),
        nominator=society,
    )
    return app_services.submit_application(actor_for(user), fill(app, user))


def _proposed(app, society_user, office_user):
    if app.state == "submitted":
        app = nominations.nominate_application(actor_for(society_user), app)
    office = actor_for(office_user)
    formal.set_checklist(office, app, {"seal": True, "consistent": True, "authentic": True})
    formal.pass_formal_review(office, app)
    app_services.set_application_state(office, app, to="in_review")
    return app_services.set_application_state(office, app, to="proposed")


def test_nominate_within_quota_then_return_and_correct(
    offline_page,
    live_server,
    call,
    application,
    enterprise_user,
    other_enterprise_user,
    society_a,
    society_a_user,
    office_user,
):
    page = offline_page
    first = app_services.submit_application(actor_for(enterprise_user), application)
    second = _second(call, other_enterprise_user, society_a)

    log_in(page, live_server, "society_a")
    page.goto(f"{live_server.url}/calls/{call.pk}/nominations/")
    expect(page.get_by_test_id("quota-left")).to_contain_text("剩余 1 项")
    page.get_by_test_id(f"row-{first.pk}").get_by_role("button", name="推荐").click()
    expect(page.get_by_test_id("quota-left")).to_contain_text("剩余 0 项")
    page.get_by_test_id(f"row-{second.pk}").get_by_role("button", name="推荐").click()
    expect(page.locator(".messages, [role=alert]").first).to_contain_text("推荐名额已用完")
    assert Application.objects.get(pk=second.pk).state == "submitted"
    assert Application.objects.get(pk=first.pk).state == "nominated"

    # the office returns the nominated application for correction
    switch_user(page, live_server, "office")
    page.goto(f"{live_server.url}/calls/applications/{first.pk}/")
    page.get_by_label("补正内容").fill("请补充第三方检测报告")
    deadline = (dt.datetime.now() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("补正截止").fill(deadline)
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("application-state")).to_have_text("退回补正")

    # the applicant corrects one answer (saved on leaving the field) and resubmits
    switch_user(page, live_server, "enterprise")
    page.goto(f"{live_server.url}/calls/applications/{first.pk}/")
    expect(page.get_by_test_id("correction")).to_contain_text("请补充第三方检测报告")
    field = page.get_by_test_id("field-innovation")
    field.get_by_role("textbox").fill("补充：第三方检测报告编号 JC-2026-118")
    field.get_by_role("textbox").press("Tab")
    expect(page.get_by_test_id("field-innovation").get_by_test_id("saved")).to_be_visible()
    assert (
        Application.objects.get(pk=first.pk).data["innovation"]
        == "补充：第三方检测报告编号 JC-2026-118"
    )
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("application-state")).to_have_text("已推荐")


def test_objection_filed_and_answered(
    offline_page,
    live_server,
    call,
    application,
    enterprise_user,
    other_enterprise_user,
    society_a_user,
    office_user,
):
    page = offline_page
    app = _proposed(
        app_services.submit_application(actor_for(enterprise_user), application),
        society_a_user,
        office_user,
    )
    publicity.open_publicity(
        actor_for(office_user), call, [{"application_id": app.pk, "rank": 1, "score": "91.5"}]
    )

    page.goto(f"{live_server.url}/calls/{call.pk}/publicity/")
    expect(page.get_by_test_id("publicity-list")).to_contain_text("离散制造自适应排产系统")
    expect(page.get_by_role("link", name="登录后提出异议。")).to_be_visible()

    # 实名核验: only a verified identity may file a signed objection
    publicity.set_identity_verified(SYSTEM, other_enterprise_user, verified=True, real_name="赵六")
    log_in(page, live_server, "other")
    page.goto(f"{live_server.url}/calls/{call.pk}/publicity/")
    page.get_by_label("署名（真实姓名）").fill("赵六")
    page.locator("#id_body").fill("该成果的应用数据与公开报道不一致")
    page.get_by_role("button", name="提交署名异议").click()
    expect(page.locator("body")).to_contain_text("异议已提交")
    objection = Objection.objects.get()
    assert (objection.objector_name, objection.state) == ("赵六", "open")

    switch_user(page, live_server, "office")
    page.goto(f"{live_server.url}/calls/{call.pk}/publicity/")
    page.get_by_test_id("objections").get_by_role("link").click()
    # the objector stays hidden until an officer takes the objection up
    expect(page.get_by_test_id("objector-hidden")).to_be_visible()
    page.get_by_test_id("take-up").click()
    expect(page.get_by_test_id("objector")).to_contain_text("赵六")
    page.get_by_label("答复").fill("经核实，数据以第三方检测报告为准，维持公示结果。")
    page.get_by_role("button", name="答复").click()
    expect(page.get_by_test_id("objection-state")).to_have_text("已答复")
    assert Application.objects.get(pk=app.pk).state == "publicity"


def test_catalogue_published_and_the_title_held(
    offline_page, live_server, call, application, enterprise_user, society_a_user, office_user
):
    page = offline_page
    app = _proposed(
        app_services.submit_application(actor_for(enterprise_user), application),
        society_a_user,
        office_user,
    )
    # a 公示 that ran in June: it may be closed now
    publicity.open_publicity(
        actor_for(office_user),
        call,
        [{"application_id": app.pk, "rank": 1, "score": "93"}],
        today=dt.date(2026, 6, 1),
    )
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/calls/{call.pk}/publicity/")
    page.get_by_role("button", name="结束公示").click()
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("catalogue-entries")).to_contain_text("离散制造自适应排产系统")
    page.get_by_label("搜索").fill("排产")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_test_id("catalogue-entries")).to_contain_text("无锡恒润精密机械有限公司")

    switch_user(page, live_server, "enterprise")
    page.goto(f"{live_server.url}/policies/recognitions/")
    expect(page.locator("main")).to_contain_text("智能制造十大科技进展")
    page.goto(f"{live_server.url}/calls/applications/{app.pk}/")
    expect(page.get_by_test_id("result")).to_contain_text("入选")
