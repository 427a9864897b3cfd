"""The region picker in a real browser: choosing a level fetches only the next level's options
(htmx) and the deepest choice is saved; the no-JavaScript "next level" button is hidden. The
registry list's filters narrow the same way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.calls.conftest import (  # noqa: F401 (fixtures)
    call,
    office_org,
    office_user,
    society_a,
    society_a_user,
    society_b,
    society_b_user,
)
from tests.e2e.test_registry_browser import log_in
from tests.factories import make_organization
from zhizao.insights.models import Jurisdiction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_jurisdiction_is_narrowed_province_city_district(offline_page, live_server, operator):
    unit = make_organization(
        name="无锡市测试工信局", kind="government", region="320214", industry=None
    )
    page = offline_page
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/insights/jurisdictions/{unit.pk}/")
    province = page.locator("#id_region")
    city = page.locator("#id_region_2")
    district = page.locator("#id_region_3")
    # the unit's own district is shown, each level by its name
    expect(district.locator("option:checked")).to_have_text("新吴区")
    expect(page.locator("[data-tree-narrow]")).to_be_hidden()
    province.select_option("330000")
    expect(district).to_be_hidden()
    expect(city.locator("option")).to_have_count(12)  # 浙江省's 11 cities and the placeholder
    province.select_option("320000")
    expect(city.locator("option")).to_have_count(14)
    city.select_option("320200")
    expect(district.locator("option")).to_have_count(8)  # the 7 current districts
    district.select_option("320205")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_be_visible()
    assert Jurisdiction.objects.get(organization=unit).region_id == "320205"


def test_the_registry_filters_narrow_without_a_list_of_every_district(
    offline_page, live_server, operator
):
    make_organization(name="无锡恒润精密机械有限公司", region="320214", industry="3421")
    make_organization(name="无锡锡山精工有限公司", region="320205", industry="3421")
    page = offline_page
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/registry/")
    expect(page.get_by_label("城市")).to_be_hidden()
    page.get_by_label("省份").select_option(label="江苏省")
    expect(page.get_by_label("城市").locator("option")).to_have_count(14)
    page.get_by_label("城市").select_option(label="无锡市")
    page.get_by_label("区县").select_option(label="锡山区")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("无锡锡山精工有限公司")


def test_a_calls_regions_are_added_as_chips(offline_page, live_server, call):  # noqa: F811
    page = offline_page
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/calls/{call.pk}/")
    form = page.locator('[data-testid="eligibility-form"]')
    form.locator("#id_elig-regions").select_option("320000")
    form.locator("#id_elig-regions_2").select_option("320200")
    form.locator("#id_elig-regions").locator("xpath=ancestor::*[@data-tree-picker]").get_by_role(
        "button", name="添加"
    ).click()
    chip = form.get_by_label("江苏省 · 无锡市")
    expect(chip).to_be_checked()
    # the picker starts again from the provinces
    expect(form.locator("#id_elig-regions_2")).to_be_hidden()
    form.get_by_role("button", name="保存条件").click()
    expect(page.locator('[data-testid="eligibility-form"]')).to_be_visible()
    call.refresh_from_db()
    assert call.eligibility == {
        "all": [{"fact": "enterprise.region", "op": "prefix", "value": ["3202"]}]
    }
