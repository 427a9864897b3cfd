"""Classroom writes: a society edits only its own courses, videos are type- and size-checked,
enrolment is once per course, progress resumes, the quiz is marked on the server, the course
completes, the certificate is issued once; refused writes change nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.classroom.conftest import VIDEO_BYTES, right_answers, webm
from tests.factories import actor_for
from zhizao.classroom import services
from zhizao.classroom.errors import ClassroomError
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


def test_a_society_creates_a_draft_course_of_its_own(society_a_user, society_a):
    course = services.create_course(
        actor_for(society_a_user), society_a, title="  数字化车间规划  ", lecturers="李工\n王工"
    )
    assert (course.state, course.title, course.lecturers) == (
        "draft",
        "数字化车间规划",
        ["李工", "王工"],
    )
    entry = AuditEntry.objects.get(context__event="classroom.course_created")
    assert (entry.object_id, entry.action, entry.changes) == (
        str(course.pk),
        "create",
        {"title": [None, "数字化车间规划"]},
    )


def test_a_society_may_not_create_or_edit_for_another_society(world, society_b_user, society_a):
    before = counts()
    with pytest.raises(ClassroomError) as error:
        services.create_course(actor_for(society_b_user), society_a, title="冒名课程")
    assert error.value.code == "not_allowed"
    for call in (
        lambda: services.update_course(actor_for(society_b_user), world.course, title="改名"),
        lambda: services.add_lesson(actor_for(society_b_user), world.course, title="加课"),
        lambda: services.set_course_state(actor_for(society_b_user), world.course, "draft"),
    ):
        with pytest.raises(ClassroomError) as error:
            call()
        assert error.value.code == "not_allowed"
    world.course.refresh_from_db()
    assert (world.course.title, world.course.state) == ("工业机器人应用与编程入门", "published")
    assert counts() == before


def test_an_enterprise_may_not_create_a_course(enterprise_user, factory_org):
    before = counts()
    with pytest.raises(ClassroomError):
        services.create_course(actor_for(enterprise_user), factory_org, title="x")
    assert counts() == before


def test_the_operator_edits_any_society_course(world, operator):
    services.update_course(actor_for(operator), world.course, title="工业机器人应用（修订）")
    world.course.refresh_from_db()
    assert world.course.title == "工业机器人应用（修订）"
    assert "修订" in world.course.search_text


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("clip.avi", VIDEO_BYTES, "bad_video_type"),
        ("clip.mp4", VIDEO_BYTES, "bad_video_type"),  # a WebM named .mp4
        ("clip.webm", b"not a video at all", "bad_video_type"),
        ("clip.webm", b"", "empty_video"),
    ],
)
def test_videos_are_type_checked_by_name_and_content(world, society_a_user, name, data, code):
    before = counts()
    with pytest.raises(ClassroomError) as error:
        services.add_lesson(
            actor_for(society_a_user),
            world.course,
            title="坏视频",
            video=SimpleUploadedFile(name, data),
        )
    assert (error.value.code, error.value.field) == (code, "video")
    assert counts() == before


def test_videos_over_the_limit_are_refused(world, society_a_user, settings):
    settings.ZHIZAO_CLASSROOM_VIDEO_MAX_BYTES = len(VIDEO_BYTES) - 1
    before = counts()
    with pytest.raises(ClassroomError) as error:
        services.add_lesson(actor_for(society_a_user), world.course, title="大", video=webm())
    assert error.value.code == "video_too_large"
    assert counts() == before


def test_an_uploaded_video_is_stored_through_the_classroom_storage(world, settings):
    lesson = world.video_lesson
    # in the folder of the alias as the settings name it now (the field's storage is lazy)
    folder = Path(settings.STORAGES[settings.ZHIZAO_CLASSROOM_STORAGE]["OPTIONS"]["location"])
    assert (folder / lesson.video.name).read_bytes() == VIDEO_BYTES
    assert (lesson.video_type, lesson.video_size, lesson.position) == (
        "video/webm",
        len(VIDEO_BYTES),
        0,
    )
    with lesson.video.open("rb") as handle:
        assert handle.read() == VIDEO_BYTES
    assert world.text_lesson.position == 1


def test_publishing_needs_a_lesson(society_a_user, society_a):
    actor = actor_for(society_a_user)
    course = services.create_course(actor, society_a, title="空课程")
    with pytest.raises(ClassroomError) as error:
        services.set_course_state(actor, course, "published")
    assert error.value.code == "no_lessons"
    course.refresh_from_db()
    assert course.state == "draft"


def test_a_draft_course_takes_no_enrolment(society_a_user, society_a, enterprise_user):
    course = services.create_course(actor_for(society_a_user), society_a, title="草稿")
    before = counts()
    with pytest.raises(ClassroomError) as error:
        services.enrol(actor_for(enterprise_user), course)
    assert error.value.code == "not_open"
    assert counts() == before


def test_enrolment_is_once_per_course_and_for_the_acting_organisation(
    world, enterprise_user, factory_org
):
    enrolment = services.enrol(actor_for(enterprise_user), world.course)
    assert (enrolment.user_id, enrolment.organization_id) == (enterprise_user.pk, factory_org.pk)
    before = counts()
    with pytest.raises(ClassroomError) as error:
        services.enrol(actor_for(enterprise_user), world.course)
    assert error.value.code == "already_enrolled"
    assert counts() == before


def test_progress_resumes_where_the_learner_stopped(world, enterprise_user):
    actor = actor_for(enterprise_user)
    enrolment = services.enrol(actor, world.course)
    services.save_progress(actor, enrolment, world.video_lesson, position_seconds=95)
    progress = services.progress_of(enrolment)
    assert (progress.resume_lesson_id, progress.resume_position, progress.lessons_completed) == (
        world.video_lesson.pk,
        95,
        0,
    )
    # 90 % of 10 minutes completes the video lesson; the position is kept.
    services.save_progress(actor, enrolment, world.video_lesson, position_seconds=540)
    progress = services.progress_of(enrolment)
    assert (progress.resume_lesson_id, progress.resume_position, progress.lessons_completed) == (
        world.text_lesson.pk,
        0,
        1,
    )
    # Going back in a completed lesson does not undo it.
    services.save_progress(actor, enrolment, world.video_lesson, position_seconds=3)
    assert LessonProgress.objects.get(lesson=world.video_lesson).completed is True


def test_nobody_saves_progress_in_someone_elses_enrolment(world, enterprise_user, colleague):
    enrolment = services.enrol(actor_for(enterprise_user), world.course)
    before = counts()
    with pytest.raises(ClassroomError) as error:
        services.save_progress(
            actor_for(colleague), enrolment, world.video_lesson, position_seconds=10
        )
    assert error.value.code == "not_allowed"
    assert counts() == before


def test_the_quiz_is_marked_on_the_server(world, enterprise_user):
    actor = actor_for(enterprise_user)
    enrolment = services.enrol(actor, world.course)
    answers = right_answers(world.quiz)
    first, second = list(answers)
    wrong = {first: answers[first], second: answers[second][:1]}  # one of two: incomplete
    attempt = services.submit_quiz(actor, enrolment, wrong)
    assert (attempt.score, attempt.total, attempt.passed) == (1, 2, True)  # 50 % passes
    world.quiz.pass_percent = 100
    world.quiz.save()
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    attempt = services.submit_quiz(actor, enrolment, wrong)
    assert (attempt.score, attempt.passed) == (1, False)
    assert attempt.result.marks[1].reason == "incomplete"


def test_a_complete_course_gives_one_certificate(world, enterprise_user):
    actor = actor_for(enterprise_user)
    enrolment = services.enrol(actor, world.course)
    with pytest.raises(ClassroomError) as error:
        services.issue_certificate(actor, enrolment)
    assert error.value.code == "not_complete"
    services.save_progress(actor, enrolment, world.video_lesson, position_seconds=600)
    services.save_progress(actor, enrolment, world.text_lesson, position_seconds=0, completed=True)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None  # the quiz is still open
    services.submit_quiz(actor, enrolment, right_answers(world.quiz))
    enrolment.refresh_from_db()
    assert (enrolment.completed_at is not None, enrolment.hours) == (True, Decimal("0.5"))
    certificate = services.issue_certificate(actor, enrolment)
    again = services.issue_certificate(actor, enrolment)
    assert again.pk == certificate.pk
    assert Certificate.objects.count() == 1
    assert (certificate.course_title, certificate.hours, len(certificate.code)) == (
        "工业机器人应用与编程入门",
        Decimal("0.5"),
        12,
    )


def test_ratings_are_answered_only_by_the_course_society(
    world, enterprise_user, society_a_user, society_b_user
):
    enrolment = services.enrol(actor_for(enterprise_user), world.course)
    rating = services.rate_course(actor_for(enterprise_user), enrolment, stars=4, comment="实用")
    with pytest.raises(ClassroomError):
        services.answer_rating(actor_for(society_b_user), rating, answer="谢谢")
    rating.refresh_from_db()
    assert rating.answer == ""
    services.answer_rating(actor_for(society_a_user), rating, answer="谢谢反馈")
    rating.refresh_from_db()
    assert (rating.stars, rating.comment, rating.answer) == (4, "实用", "谢谢反馈")
    with pytest.raises(ClassroomError) as error:
        services.rate_course(actor_for(enterprise_user), enrolment, stars=6)
    assert error.value.code == "bad_stars"
