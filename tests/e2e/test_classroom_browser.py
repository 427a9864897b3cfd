# ruff: noqa: F811 (pytest fixtures imported from tests/classroom/conftest.py)
"""The cloud classroom in a real browser: a learner enrols, plays part of a lesson (a tiny
WebM made by ffmpeg when it is installed; else the position is saved through the player's own
endpoint, as the page does), leaves and resumes at the same lesson and second, passes the
quiz, downloads the certificate and verifies it on the public page; the diagnosis report
recommends a course for a gap."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from tests.classroom.conftest import (  # noqa: F401 (fixtures)
    VIDEO_BYTES,
    _classroom_storage,
    society_a,
    society_a_user,
)
from tests.diagnosis.conftest import submitted
from tests.e2e.test_registry_browser import log_in
from tests.factories import actor_for
from zhizao.classroom import selectors, services
from zhizao.classroom.models import Certificate, LessonProgress
from zhizao.diagnosis.cache import clear_provider_index
from zhizao.diagnosis.loading import shipped_model_files
from zhizao.diagnosis.selectors import default_model
from zhizao.diagnosis.services import load_model_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_until(page, expression: str, attempts: int = 100) -> None:
    """Poll ``expression`` every 100 ms (up to ``attempts`` times). Not ``wait_for_function``:
    it evaluates its string inside the page, which the site's CSP (no 'unsafe-eval') refuses;
    ``page.evaluate`` goes through the DevTools protocol instead."""
    for _ in range(attempts):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def tiny_webm(tmp_path) -> tuple[bytes, bool]:
    """A 20-second 64×48 VP8 WebM (a few kB) when ffmpeg exists; else the fixtures' header."""
    if shutil.which("ffmpeg") is None:
        return VIDEO_BYTES, False
    out = tmp_path / "tiny.webm"
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-f", "lavfi",
            "-i", "testsrc=duration=20:size=64x48:rate=5",
            "-c:v", "libvpx", "-b:v", "20k", "-y", str(out),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return out.read_bytes(), True


def test_a_learner_learns_resumes_passes_and_verifies_the_certificate(
    offline_page, live_server, tmp_path, society_a, society_a_user, factory_org, enterprise_user
):
    load_model_files(shipped_model_files())
    clear_provider_index()
    model = default_model()
    assessment = submitted(factory_org, enterprise_user, model, 1)
    with translation.override("zh-hans"):
        gap = selectors.open_gaps(factory_org.pk)[0]
    data, playable = tiny_webm(tmp_path)
    society = actor_for(society_a_user)
    course = services.create_course(
        society, society_a, title="数据管理入门", level="introductory", subdomains=[gap.subdomain]
    )
    video = services.add_lesson(
        society,
        course,
        title="数据采集",
        minutes=1,
        video=SimpleUploadedFile("tiny.webm", data, content_type="video/webm"),
    )
    text = services.add_lesson(society, course, title="数据治理", minutes=5)
    services.save_quiz(
        society,
        course,
        questions=[
            {
                "text": "数据治理的首要任务？",
                "options": [{"text": "建立数据标准", "correct": True}, {"text": "购买硬盘"}],
            }
        ],
    )
    services.set_course_state(society, course, "published")
    page = offline_page
    base = live_server.url

    # the diagnosis report recommends the course for the gap
    log_in(page, live_server, enterprise_user.username)
    page.goto(base + reverse("diagnosis:report", args=[assessment.pk]))
    page.get_by_role("link", name="数据管理入门").first.click()

    # enrol, play part of the first lesson
    page.locator('[data-testid="enrol"]').click()
    page.locator('[data-testid="resume"]').click()
    expect(page.get_by_role("heading", name="数据采集")).to_be_visible()
    player = page.locator('[data-testid="player"]')
    if playable:
        wait_until(page, "document.getElementById('lesson-video').readyState >= 1")
        with page.expect_response(lambda r: r.url.endswith("/progress/")):
            player.evaluate("v => { v.currentTime = 12; }")  # "seeked" saves the position
    else:
        with page.expect_response(lambda r: r.url.endswith("/progress/")):
            page.evaluate(
                """url => fetch(url, {method: "POST", credentials: "same-origin",
                   headers: {"X-CSRFToken": document.cookie.match(/csrftoken=([^;]+)/)[1]},
                   body: new URLSearchParams({position: "12"})})""",
                f"/classroom/lessons/{video.pk}/progress/",
            )
    assert LessonProgress.objects.get(lesson=video).position_seconds == 12

    # leave, come back from the workbench: the same lesson at the same second
    page.goto(f"{base}/")
    page.get_by_role("link", name="继续学习《数据管理入门》").click()
    expect(page.get_by_role("heading", name="数据采集")).to_be_visible()
    expect(player).to_have_attribute("data-position", "12")
    if playable:
        wait_until(page, "document.getElementById('lesson-video').currentTime >= 12")

    # finish both lessons, pass the quiz
    page.locator('[data-testid="lesson-done"] button').click()
    page.goto(f"{base}/classroom/lessons/{text.pk}/")
    page.locator('[data-testid="lesson-done"] button').click()
    page.goto(f"{base}/classroom/courses/{course.pk}/quiz/")
    page.get_by_label("建立数据标准").check()
    page.locator('[data-testid="quiz-form"] button').click()
    expect(page.locator('[data-testid="quiz-result"]')).to_contain_text("1")

    # the certificate: issued, downloaded, verified publicly
    page.goto(f"{base}/classroom/courses/{course.pk}/")
    with page.expect_download() as issued:
        page.locator('[data-testid="certificate"]').click()
    certificate = Certificate.objects.get()
    assert issued.value.suggested_filename == f"certificate-{certificate.code}.pdf"
    page.goto(f"{base}/classroom/courses/{course.pk}/")
    with page.expect_download() as again:
        page.locator('[data-testid="certificate-pdf"]').click()
    assert again.value.path().read_bytes().startswith(b"%PDF")
    page.context.clear_cookies()
    page.goto(f"{base}/classroom/verify/")
    page.locator('[data-testid="verify-form"] input[name="code"]').fill(certificate.code.lower())
    page.locator('[data-testid="verify-form"] button').click()
    expect(page.locator('[data-testid="verify-course"]')).to_have_text("数据管理入门")
    expect(page.locator('[data-testid="verify-name"]')).to_have_text(certificate.name)
    expect(page.locator('[data-testid="verify-valid"]')).to_have_text("有效")
