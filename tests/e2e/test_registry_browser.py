"""The registry in a real browser: log in, filter in Chinese, import a file with bad rows, read
the errors, import the fixed file, switch language."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_organization
from zhizao.registry.models import Organization
from zhizao_core.registry.uscc import make_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_operator_filters_the_registry_in_chinese(offline_page, live_server, operator):
    make_organization(
        name="无锡恒润精密机械有限公司", region="320214", industry="3421", products=["数控车床"]
    )
    make_organization(
        name="杭州鑫达电子材料有限公司", region="330106", industry="3985", products=["覆铜板"]
    )
    page = offline_page
    log_in(page, live_server, "operator")
    page.get_by_role("link", name="企业库").first.click()
    page.get_by_label("搜索").fill("数控")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("无锡恒润精密机械有限公司")
    page.get_by_label("搜索").fill("")
    expect(page.locator("#results")).not_to_contain_text(
        "匹配“数控”"
    )  # the cleared search answered first
    page.get_by_label("省份").select_option(label="浙江省")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("杭州鑫达电子材料有限公司")


def test_operator_imports_a_file_with_bad_rows_then_the_fixed_file(
    offline_page, live_server, operator, tmp_path
):
    good = make_uscc(region="320214", serial=7001)
    other = make_uscc(region="320583", serial=7002)
    bad = other[:-1] + ("0" if other[-1] != "0" else "1")
    rows = [
        ["无锡恒润精密机械有限公司", good, "制造企业", "320214", "3421"],
        ["昆山智云工业软件有限公司", bad, "服务商", "320583", "6513"],
    ]
    path = tmp_path / "机构.csv"

    def write(rows):
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["名称", "统一社会信用代码", "机构类型", "行政区划代码", "行业代码"])
            writer.writerows(rows)

    write(rows)
    page = offline_page
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/registry/imports/new/")
    page.get_by_label("文件（.xlsx 或 .csv）").set_input_files(str(path))
    page.get_by_role("button", name="上传并检查").click()
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("统一社会信用代码")
    expect(errors.first).to_contain_text("校验位")
    assert Organization.objects.filter(uscc__in=[good, other]).count() == 0

    rows[1][1] = other
    write(rows)
    page.goto(f"{live_server.url}/registry/imports/new/")
    page.get_by_label("文件（.xlsx 或 .csv）").set_input_files(str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("button", name="导入 2 行").click()
    expect(page.locator("#import-status")).to_contain_text("已导入")
    assert sorted(
        Organization.objects.filter(uscc__in=[good, other]).values_list("uscc", flat=True)
    ) == sorted([good, other])


def test_language_switch_turns_the_page_english_and_back(offline_page, live_server, operator):
    page = offline_page
    log_in(page, live_server, "operator")
    page.get_by_label("语言").select_option("en")
    expect(page.get_by_role("heading", name="Workbench")).to_be_visible()
    page.get_by_label("Language").select_option("zh-hans")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
