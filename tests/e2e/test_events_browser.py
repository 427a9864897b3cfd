# ruff: noqa: F811 (pytest fixtures imported from tests/events/conftest.py)
"""Events in a real browser: a visitor registers, builds an agenda and requests a meeting; the
exhibitor accepts; the organiser runs the scheduler and publishes; both see the meeting and
download the .ics; the visitor's badge is scanned at check-in (twice: the second scan says
when); a procurement need shows the exhibitors' ranked offerings."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_registry_browser import log_in
from tests.events.conftest import (  # noqa: F401 (fixtures)
    _fresh_index,
    expo,
    offering,
    provider_org,
    provider_user,
)
from tests.factories import make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.events.models import MeetingRequest, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server, username)


def test_visitor_meets_exhibitor_through_the_scheduler(
    offline_page, live_server, expo, operator, provider_user, offering
):
    org = make_organization(name="南京新访客精密制造有限公司", region="320104")
    make_user("newcomer", role=Role.ENTERPRISE, organization=org)
    page = offline_page
    event = expo.event

    # the visitor registers and builds its agenda
    log_in(page, live_server, "newcomer")
    page.goto(f"{live_server.url}/events/{event.pk}/")
    form = page.locator('[data-testid="register-form"]')
    form.get_by_label("参会类型").select_option("visitor")
    form.get_by_label("胸卡姓名").fill("吴工")
    form.get_by_role("button", name="报名").click()
    expect(page.locator('[data-testid="my-registration"]')).to_contain_text("已报名")
    registration = Registration.objects.get(user__username="newcomer")
    page.goto(f"{live_server.url}/events/{event.pk}/agenda/")
    page.locator(f'[data-testid="add-session-{expo.keynote.pk}"]').click()
    expect(page.locator('[data-testid="agenda"]')).to_contain_text("开幕式暨主旨演讲")

    # … and asks the exhibitor for a meeting
    page.goto(f"{live_server.url}/events/{event.pk}/meetings/?q=慧眼")
    meeting_form = page.locator('[data-testid="meeting-form"]')
    meeting_form.get_by_label("参会者").select_option(str(expo.exhibitor.pk))
    meeting_form.get_by_label("洽谈理由").fill("注塑件外观检测改造")
    meeting_form.get_by_role("button", name="发送申请").click()
    meeting = MeetingRequest.objects.get(requester=registration)
    expect(page.locator('[data-testid="meeting"]')).to_contain_text("注塑件外观检测改造")

    # the exhibitor accepts
    switch_user(page, live_server, "provider")
    page.goto(f"{live_server.url}/events/meetings/{meeting.pk}/")
    page.locator('[data-testid="accept"]').click()
    expect(page.locator('[data-testid="meeting"]')).to_contain_text("等待排程")

    # the organiser runs the scheduler and publishes
    switch_user(page, live_server, "operator")
    page.goto(f"{live_server.url}/events/{event.pk}/schedule/")
    page.locator('[data-testid="run-schedule"]').click()
    expect(page.locator('[data-testid="placed"]')).to_contain_text("吴工")
    page.locator('[data-testid="publish-schedule"]').click()
    expect(page.locator('[data-testid="placed"]')).to_contain_text("已发布")
    meeting.refresh_from_db()
    assert meeting.placement == "published"

    # both see the meeting and download the .ics
    for username in ("newcomer", "provider"):
        switch_user(page, live_server, username)
        page.goto(f"{live_server.url}/events/meetings/{meeting.pk}/")
        expect(page.locator('[data-testid="meeting-slot"]')).to_contain_text("1 号桌")
        with page.expect_download() as download:
            page.locator('[data-testid="meeting-ics"]').click()
        text = open(download.value.path(), encoding="utf-8").read()
        assert "BEGIN:VEVENT" in text and f"UID:meeting-{meeting.pk}@zhizao" in text
    switch_user(page, live_server, "newcomer")
    page.goto(f"{live_server.url}/events/{event.pk}/agenda/")
    expect(page.locator('[data-testid="agenda-meeting"]')).to_contain_text(
        "常州慧眼智能科技有限公司"
    )

    # the badge is scanned at the door, twice
    switch_user(page, live_server, "operator")
    page.goto(f"{live_server.url}/events/{event.pk}/checkin/")
    page.get_by_label("胸卡码（扫描二维码或手工输入）").fill(registration.badge_code)
    page.get_by_role("button", name="签到").click()
    expect(page.locator('[data-testid="scan-result"]')).to_contain_text("已签到")
    page.get_by_label("胸卡码（扫描二维码或手工输入）").fill(registration.badge_code)
    page.get_by_role("button", name="签到").click()
    expect(page.locator('[data-testid="scan-result"]')).to_contain_text("已于")

    # a procurement need shows the exhibitors' ranked offerings
    switch_user(page, live_server, "newcomer")
    page.goto(f"{live_server.url}/events/{event.pk}/procurement/")
    need = page.locator('[data-testid="need-form"]')
    need.get_by_label("标题").fill("注塑件表面缺陷检测")
    need.get_by_label("您需要什么？").fill("注塑件划痕、缺料的机器视觉在线检测")
    need.get_by_label("类别").select_option("machine_vision")
    # the region by narrowing: province, then the city and the district the picker fetches
    levels = need.locator('select[name="region"]')
    levels.nth(0).select_option("320000")
    expect(levels.nth(1).locator('option[value="320100"]')).to_have_count(1)
    levels.nth(1).select_option("320100")
    expect(levels.nth(2).locator('option[value="320104"]')).to_have_count(1)
    levels.nth(2).select_option("320104")
    need.get_by_role("button", name="发布并查找展商").click()
    ranked = page.locator('[data-testid="ranked-offerings"] li').first
    expect(ranked).to_contain_text("注塑件表面缺陷机器视觉检测系统")
    expect(ranked).to_contain_text("A-01")


def test_public_pages_fit_a_phone(offline_page, live_server, expo):
    """Programme, speakers, halls, exhibitors and a booth, not logged in, at 390 px: nothing
    wider than the screen."""
    page = offline_page
    page.set_viewport_size({"width": 390, "height": 844})
    event = expo.event.pk
    for path in (
        f"/events/public/{event}/",
        f"/events/public/{event}/speakers/",
        f"/events/public/{event}/halls/",
        f"/events/public/{event}/exhibitors/?q=视觉",
        f"/events/public/booths/{expo.booth.pk}/",
        f"/events/public/sessions/{expo.keynote.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide"


# A camera that shows a badge: the browser's own BarcodeDetector and getUserMedia replaced
# (headless Chromium has neither a camera nor, on Linux, a barcode reader); our page script
# is what runs.
FAKE_CAMERA = """
window.__scans = 0;
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(["qr_code", "ean_13"]); }
  constructor(options) { window.__formats = options.formats; }
  detect(source) {
    window.__scans += 1;
    return Promise.resolve(window.__scans < 3 ? [] : [{rawValue: " %s ", format: "qr_code"}]);
  }
};
navigator.mediaDevices.getUserMedia = (constraints) => {
  window.__constraints = constraints;
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const paint = () => { const c = canvas.getContext("2d"); c.fillStyle = "#fff";
    c.fillRect(0, 0, 64, 64); requestAnimationFrame(paint); };
  paint();
  return Promise.resolve(canvas.captureStream(10));
};
"""


def test_checkin_reads_the_badge_with_the_camera(offline_page, live_server, expo):
    page = offline_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.add_init_script(FAKE_CAMERA % expo.visitor.badge_code)
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/events/{expo.event.pk}/checkin/")
    page.get_by_role("button", name="用摄像头扫码").click()
    expect(page.locator('[data-testid="scan-result"]')).to_contain_text("已签到")
    expect(page.locator('[data-testid="scan-result"]')).to_contain_text("陈工")
    assert page.evaluate("window.__formats") == ["qr_code"]
    assert page.evaluate("window.__constraints.video.facingMode") == "environment"
    # the camera starts again by itself for the next badge; the badge still in front of it is
    # sent again only after a few seconds, and then says when it was checked in
    expect(page.locator('[data-testid="camera-view"]')).to_be_visible()
    expect(page.locator('[data-testid="scan-result"]')).to_contain_text("已于", timeout=20000)
    page.get_by_role("button", name="关闭摄像头").click()
    expect(page.get_by_role("button", name="用摄像头扫码")).to_be_visible()
    assert Registration.objects.get(pk=expo.visitor.pk).checked_in_at is not None


def test_without_a_barcode_reader_the_text_field_stays(offline_page, live_server, expo):
    page = offline_page
    page.add_init_script("delete window.BarcodeDetector;")
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/events/{expo.event.pk}/checkin/")
    expect(page.locator('[data-testid="camera"]')).to_be_hidden()
    page.get_by_label("胸卡码（扫描二维码或手工输入）").fill(expo.visitor.badge_code)
    page.get_by_role("button", name="签到").click()
    expect(page.locator('[data-testid="scan-result"]')).to_contain_text("已签到")
