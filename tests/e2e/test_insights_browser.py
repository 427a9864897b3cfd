"""数据看板 and 月报 in a real browser: a provincial officer drills from the province map into a
city and a district and opens the records behind a number; an operator drafts, edits and
downloads the monthly report."""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.test_registry_browser import log_in
from tests.factories import actor_for, make_organization, make_user
from tests.insights.conftest import city_world  # noqa: F401
from zhizao.accounts.enums import Role
from zhizao.insights import services
from zhizao.insights.models import MonthlyReport
from zhizao.registry.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "start=2026-01&end=2026-12"


def test_officer_drills_from_the_province_into_a_district(
    offline_page, live_server, operator, request
):
    world = request.getfixturevalue("city_world")
    department = make_organization(
        name="江苏省看板工信厅", kind="government", region="320102", industry=None
    )
    make_user("province-officer", role=Role.OFFICER, organization=department)
    services.set_jurisdiction(actor_for(operator), department, Region.objects.get(code="320000"))
    page = offline_page
    log_in(page, live_server, "province-officer")
    page.goto(f"{live_server.url}/insights/?{PERIOD}")
    expect(page.get_by_test_id("map-source")).to_contain_text("天地图")
    expect(page.get_by_test_id("region-value-320200")).to_have_text("3")
    expect(page.get_by_test_id("region-value-320400")).to_have_text("1")
    # the province map: click Wuxi
    page.locator('[data-testid="map"] path[data-region="320200"]').click()
    expect(page.get_by_test_id("region-path")).to_contain_text("无锡市")
    expect(page.get_by_test_id("region-value-320214")).to_have_text("2")
    expect(page.get_by_test_id("region-table")).not_to_contain_text("常州")
    # the city's table: into 新吴区
    page.get_by_test_id("region-table").locator('a[data-region="320214"]').click()
    expect(page.get_by_test_id("region-path")).to_contain_text("新吴区")
    expect(page.get_by_test_id("figure-registry.enterprises")).to_have_text("2")
    # the records behind the number of projects: 甲's project only
    page.get_by_test_id("figure-policies.projects").click()
    expect(page.get_by_test_id("records")).to_contain_text("无锡看板甲机械有限公司")
    expect(page.get_by_test_id("records")).not_to_contain_text("常州看板丁模具有限公司")
    assert world["projects"]["a"].name == "甲公司数字化车间"


def test_operator_drafts_edits_and_downloads_the_report(
    offline_page, live_server, operator, request
):
    request.getfixturevalue("city_world")
    page = offline_page
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/insights/reports/")
    page.get_by_test_id("report-new").locator('input[name="month"]').fill("2026-09")
    page.get_by_role("button", name="起草月报").click()
    expect(page.get_by_test_id("report-figures")).to_contain_text("开工的智改数转项目")
    page.get_by_role("textbox", name="下月工作计划").fill("召开长三角智能制造对接会")
    page.get_by_role("textbox", name="人才培养").fill("举办工程师培训两期")
    page.get_by_test_id("report-form").get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("section-plan")).to_contain_text("召开长三角智能制造对接会")
    form = page.get_by_test_id("activity-form")
    form.locator('select[name="section"]').select_option("talent")
    form.locator('input[name="date"]').fill("2026-09-18")
    form.locator('input[name="title"]').fill("智能制造工程师培训班")
    form.get_by_role("button", name="添加工作动态").click()
    expect(page.get_by_test_id("section-talent")).to_contain_text("智能制造工程师培训班")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-docx").click()
    data = open(download_info.value.path(), "rb").read()
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "召开长三角智能制造对接会" in document
    assert "智能制造工程师培训班" in document
    report = MonthlyReport.objects.get()
    assert (report.plan, report.section_texts["talent"]) == (
        "召开长三角智能制造对接会",
        "举办工程师培训两期",
    )
