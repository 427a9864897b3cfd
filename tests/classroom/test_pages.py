"""Classroom pages: the catalogue's Chinese search, enrolment, the player's progress POSTs and
resume, the video with HTTP ranges (exact bytes, 416, denied viewers), the quiz, the certificate
PDF and its public check (name, course, date, valid — nothing else), the society editor (only
its own courses), the manager's staff page (only its own staff) with exports and the
operator's figures. Denied requests change nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.classroom.conftest import VIDEO_BYTES, login, right_answers, webm
from tests.factories import actor_for
from zhizao.classroom import services
from zhizao.classroom.models import Certificate, Course, Enrolment, Lesson, LessonProgress
from zhizao.common.models import AuditEntry


def counts():
    return (
        Course.objects.count(),
        Lesson.objects.count(),
        Enrolment.objects.count(),
        LessonProgress.objects.count(),
        Certificate.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def enrolled(world, enterprise_user):
    return services.enrol(actor_for(enterprise_user), world.course)


def video_url(world):
    return reverse("classroom:lesson_video", args=[world.video_lesson.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- catalogue and course ---------------------------------------------------------------------


def test_the_catalogue_searches_in_chinese(client, world, enterprise_user, society_a_user):
    services.create_course(
        actor_for(society_a_user), world.course.society, title="数字孪生车间（草稿）"
    )
    login(client, enterprise_user)
    page = client.get(reverse("classroom:catalogue"), {"q": "机器人 编程"})
    assert page.status_code == 200
    assert [c.title for c in page.context["courses"]] == ["工业机器人应用与编程入门"]
    page = client.get(reverse("classroom:catalogue"), {"q": "数字孪生"})
    assert list(page.context["courses"]) == []  # drafts are not in an enterprise's catalogue
    page = client.get(reverse("classroom:catalogue"), {"q": "字 " * 9})
    # too many words: refused by the form (its message shown), the list is not narrowed
    assert (page.status_code, "q" in page.context["listing"].form.errors) == (200, True)
    assert [c.title for c in page.context["courses"]] == ["工业机器人应用与编程入门"]


def test_enrol_from_the_course_page(client, world, enterprise_user):
    login(client, enterprise_user)
    response = client.post(reverse("classroom:enrol", args=[world.course.pk]))
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert (enrolment.user_id, enrolment.course_id) == (enterprise_user.pk, world.course.pk)
    page = client.get(reverse("classroom:course_detail", args=[world.course.pk]))
    assert page.context["progress"].resume_lesson_id == world.video_lesson.pk


def test_a_draft_course_is_hidden_from_learners(client, society_a_user, society_a, enterprise_user):
    course = services.create_course(actor_for(society_a_user), society_a, title="草稿课")
    login(client, enterprise_user)
    before = counts()
    assert client.get(reverse("classroom:course_detail", args=[course.pk])).status_code == 404
    assert client.post(reverse("classroom:enrol", args=[course.pk])).status_code == 404
    assert counts() == before


# --- player and progress -----------------------------------------------------------------------


def test_the_player_saves_progress_and_resumes(client, world, enterprise_user, enrolled):
    login(client, enterprise_user)
    url = reverse("classroom:lesson_progress", args=[world.video_lesson.pk])
    response = client.post(url, {"position": "125.7"})
    assert response.json() == {"position": 125, "completed": False}
    page = client.get(reverse("classroom:lesson", args=[world.video_lesson.pk]))
    assert page.context["position"] == 125
    assert b'data-position="125"' in page.content
    course = client.get(reverse("classroom:course_detail", args=[world.course.pk]))
    assert (
        course.context["progress"].resume_lesson_id,
        course.context["progress"].resume_position,
    ) == (
        world.video_lesson.pk,
        125,
    )


def test_marking_a_lesson_completed_returns_to_the_course(client, world, enterprise_user, enrolled):
    login(client, enterprise_user)
    url = reverse("classroom:lesson_progress", args=[world.text_lesson.pk])
    response = client.post(url, {"completed": "1", "position": "0", "page": "1"})
    assert response["Location"] == reverse("classroom:course_detail", args=[world.course.pk])
    assert LessonProgress.objects.get(lesson=world.text_lesson).completed is True


def test_lessons_are_closed_to_those_not_enrolled(client, world, colleague, enrolled):
    login(client, colleague)
    before = counts()
    assert client.get(reverse("classroom:lesson", args=[world.video_lesson.pk])).status_code == 404
    url = reverse("classroom:lesson_progress", args=[world.video_lesson.pk])
    assert client.post(url, {"position": "5"}).status_code == 404
    assert counts() == before


# --- video with ranges -------------------------------------------------------------------------


def test_the_whole_video_with_accept_ranges(client, world, enterprise_user, enrolled):
    login(client, enterprise_user)
    response = client.get(video_url(world))
    assert response.status_code == 200
    assert (response["Accept-Ranges"], response["Content-Type"], response["Content-Length"]) == (
        "bytes",
        "video/webm",
        str(len(VIDEO_BYTES)),
    )
    assert body(response) == VIDEO_BYTES


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-3", 0, 3),
        ("bytes=100-199", 100, 199),
        ("bytes=1000-", 1000, 1027),
        ("bytes=-8", 1020, 1027),
        ("bytes=1020-5000", 1020, 1027),
    ],
)
def test_a_range_gives_exactly_its_bytes(
    client, world, enterprise_user, enrolled, header, start, end
):
    login(client, enterprise_user)
    response = client.get(video_url(world), headers={"Range": header})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(VIDEO_BYTES)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == VIDEO_BYTES[start : end + 1]


def test_a_range_outside_the_file_is_416(client, world, enterprise_user, enrolled):
    login(client, enterprise_user)
    response = client.get(video_url(world), headers={"Range": "bytes=5000-6000"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO_BYTES)}"
    assert response.content == b""


def test_the_video_is_denied_to_viewers_who_may_not_see_the_lesson(
    client, world, colleague, other_enterprise_user, society_b_user, enrolled
):
    for user in (colleague, other_enterprise_user, society_b_user):
        client.logout()
        login(client, user)
        response = client.get(video_url(world), headers={"Range": "bytes=0-3"})
        assert response.status_code == 404
        assert b"\x1a\x45\xdf\xa3" not in response.content
    client.logout()
    response = client.get(video_url(world))
    assert response.status_code == 302


def test_the_course_society_may_watch_its_own_video(client, world, society_a_user):
    login(client, society_a_user)
    response = client.get(video_url(world), headers={"Range": "bytes=4-7"})
    assert (response.status_code, body(response)) == (206, VIDEO_BYTES[4:8])


# --- quiz, certificate, verification ---------------------------------------------------------


def finish(world, user, enrolment):
    actor = actor_for(user)
    services.save_progress(actor, enrolment, world.video_lesson, position_seconds=600)
    services.save_progress(actor, enrolment, world.text_lesson, position_seconds=0, completed=True)


def test_the_quiz_page_marks_on_the_server(client, world, enterprise_user, enrolled):
    finish(world, enterprise_user, enrolled)
    login(client, enterprise_user)
    answers = right_answers(world.quiz)
    data = {f"q{qid}": options for qid, options in answers.items()}
    page = client.post(reverse("classroom:quiz", args=[world.course.pk]), data)
    assert page.status_code == 200
    assert (page.context["attempt"].score, page.context["attempt"].passed) == (2, True)
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None


def test_certificate_download_and_public_check(client, world, enterprise_user, enrolled):
    finish(world, enterprise_user, enrolled)
    services.submit_quiz(actor_for(enterprise_user), enrolled, right_answers(world.quiz))
    login(client, enterprise_user)
    response = client.post(reverse("classroom:certificate_issue", args=[world.course.pk]))
    certificate = Certificate.objects.get()
    assert response["Location"] == reverse("classroom:certificate_pdf", args=[certificate.pk])
    pdf = client.get(response["Location"])
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )
    client.logout()
    shown = f"{certificate.code[:4].lower()}-{certificate.code[4:8]} {certificate.code[8:]}"
    page = client.get(reverse("classroom:verify"), {"code": shown})
    assert page.status_code == 200
    assert page.context["result"] == {
        "found": True,
        "code": "-".join(certificate.code[i : i + 4] for i in (0, 4, 8)),
        "name": certificate.name,
        "course": "工业机器人应用与编程入门",
        "date": certificate.issued_on,
        "valid": True,
    }
    assert "无锡恒润" not in page.content.decode()  # no organisation on the public page
    page = client.get(reverse("classroom:verify"), {"code": "AAAA-BBBB-CCCC"})
    assert page.context["result"]["found"] is False


def test_certificates_are_closed_to_other_enterprises(
    client, world, enterprise_user, other_enterprise_user, enrolled
):
    finish(world, enterprise_user, enrolled)
    services.submit_quiz(actor_for(enterprise_user), enrolled, right_answers(world.quiz))
    certificate = services.issue_certificate(actor_for(enterprise_user), enrolled)
    login(client, other_enterprise_user)
    url = reverse("classroom:certificate_pdf", args=[certificate.pk])
    assert client.get(url).status_code == 404


# --- society editor ------------------------------------------------------------------------------


def test_a_society_edits_only_its_own_courses(client, world, society_b_user):
    login(client, society_b_user)
    before = counts()
    edit = reverse("classroom:course_edit", args=[world.course.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"title": "改", "level": "advanced"}).status_code == 404
    lessons = reverse("classroom:lesson_new", args=[world.course.pk])
    assert client.post(lessons, {"title": "x", "minutes": 1, "video": webm()}).status_code == 404
    state = reverse("classroom:course_state", args=[world.course.pk])
    assert client.post(state, {"state": "draft"}).status_code == 404
    assert counts() == before
    world.course.refresh_from_db()
    assert (world.course.title, world.course.state) == ("工业机器人应用与编程入门", "published")


def test_the_society_adds_a_lesson_with_a_video_and_a_quiz(client, world, society_a_user):
    login(client, society_a_user)
    response = client.post(
        reverse("classroom:lesson_new", args=[world.course.pk]),
        {"title": "离线编程", "minutes": 15, "video": webm("offline.webm")},
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get(title="离线编程")
    assert (lesson.position, lesson.video_type, lesson.video_size) == (
        2,
        "video/webm",
        len(VIDEO_BYTES),
    )
    response = client.post(
        reverse("classroom:quiz_edit", args=[world.course.pk]),
        {
            "pass_percent": 80,
            "text": "离线编程的优点？\n*不停线\n更贵\n\n哪些是仿真软件？\n*RobotStudio\n*RoboDK\n记事本",
        },
    )
    assert response.status_code == 302
    quiz = world.course.quiz
    quiz.refresh_from_db()
    assert quiz.pass_percent == 80
    assert [
        (q.text, q.multiple, [o.correct for o in q.options.all()]) for q in quiz.questions.all()
    ] == [
        ("离线编程的优点？", False, [True, False]),
        ("哪些是仿真软件？", True, [True, True, False]),
    ]


def test_a_bad_video_is_refused_on_the_page(client, world, society_a_user):
    login(client, society_a_user)
    before = counts()
    response = client.post(
        reverse("classroom:lesson_new", args=[world.course.pk]),
        {"title": "坏", "minutes": 1, "video": webm("x.exe", b"MZ\x90\x00")},
    )
    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = translation.gettext("Upload an MP4, WebM or Ogg video.")
    assert response.context["lesson_form"].errors["video"] == [expected]
    assert counts() == before


# --- managers and the operator -----------------------------------------------------------------


def test_a_manager_sees_only_its_own_staff(
    client, world, enterprise_user, colleague, other_enterprise_user
):
    services.enrol(actor_for(colleague), world.course)
    services.enrol(actor_for(other_enterprise_user), world.course)
    login(client, enterprise_user)
    page = client.get(reverse("classroom:staff"))
    assert [e.user.username for e in page.context["enrolments"]] == ["colleague"]
    export = client.get(reverse("classroom:staff"), {"format": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("陈工,工业机器人应用与编程入门,江苏省机械工程学会,")
    assert "other" not in text
    xlsx = client.get(reverse("classroom:staff"), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_staff_progress_is_closed_to_societies(client, world, society_a_user):
    login(client, society_a_user)
    assert client.get(reverse("classroom:staff")).status_code == 404
    assert client.get(reverse("classroom:statistics")).status_code == 404


def test_the_operator_sees_figures_per_course_and_society_by_month(
    client, world, operator, enterprise_user, enrolled
):
    services.rate_course(actor_for(enterprise_user), enrolled, stars=5)
    login(client, operator)
    page = client.get(reverse("classroom:statistics"))
    month = timezone.localtime(enrolled.created_at).strftime("%Y-%m")
    assert page.context["rows"] == [
        {
            "month": month,
            "name": "工业机器人应用与编程入门",
            "enrolments": 1,
            "completions": 0,
            "certificates": 0,
            "attendance": 0,
            "ratings": 1,
            "stars": "5.0",
        }
    ]
    page = client.get(reverse("classroom:statistics"), {"by": "society"})
    assert [r["name"] for r in page.context["rows"]] == ["江苏省机械工程学会"]
    # the figures are right-aligned like every other number column; month and name are not
    cells = re.findall(r"<td([^>]*)>", page.content.decode())
    assert cells == [""] * 2 + [' class="num"'] * 6
    heads = re.findall(r'<th scope="col"([^>]*)>', page.content.decode())
    assert heads == [""] * 2 + [' class="num"'] * 6
