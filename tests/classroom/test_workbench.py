"""The classroom on the workbench: a learner's courses in progress with the lesson to resume
and the upcoming live classes of its courses; a society's courses with unanswered ratings.
Each provider spends the queries it declares for one row and for three."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.classroom.conftest import right_answers
from tests.factories import actor_for
from zhizao.classroom import services
from zhizao.classroom.navigation import learner_workbench, society_workbench
from zhizao.common.navigation import workbench_providers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def call(provide, user):
    membership = user.memberships.select_related("organization").get()
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as ctx:
        part = provide(request, membership)
    return part, len(ctx.captured_queries)


def budget(name: str) -> int:
    return next(p.queries for p in workbench_providers("society") if p.name == name)


def more_courses(society_a_user, society_a, n):
    actor = actor_for(society_a_user)
    out = []
    for i in range(n):
        course = services.create_course(actor, society_a, title=f"课程{i}", level="introductory")
        services.add_lesson(actor, course, title=f"第{i}课", minutes=5)
        out.append(services.set_course_state(actor, course, "published"))
    return out


def test_a_learner_resumes_the_lesson_saved_last_and_sees_its_live_classes(
    world, enterprise_user, society_a_user, society_a
):
    learner = actor_for(enterprise_user)
    enrolment = services.enrol(learner, world.course)
    part, queries = call(learner_workbench, enterprise_user)
    assert queries == budget("classroom.learner") == 3
    # nothing saved yet: the first lesson
    assert [(a.label, a.url, a.due) for a in part.actions] == [
        (
            "Resume “工业机器人应用与编程入门”",
            f"/classroom/lessons/{world.video_lesson.pk}/",
            None,
        )
    ]
    assert [(str(f.label), f.value, f.url) for f in part.figures] == [
        ("Courses in progress", "1", "/classroom/my/")
    ]
    services.save_progress(learner, enrolment, world.text_lesson, position_seconds=30)
    live = services.schedule_live_class(
        actor_for(society_a_user),
        world.course,
        title="直播：示教实操",
        starts_at=at(2, 19),
        ends_at=at(2, 20),
    )
    services.schedule_live_class(
        actor_for(society_a_user),
        world.course,
        title="直播：已结束",
        starts_at=at(-2, 19),
        ends_at=at(-2, 20),
    )
    others = more_courses(society_a_user, society_a, 2)
    for course in others:
        services.enrol(learner, course)
    part, queries = call(learner_workbench, enterprise_user)
    assert queries == 3
    assert [(a.label, a.url, a.due) for a in part.actions] == [
        (
            "Resume “工业机器人应用与编程入门”",
            f"/classroom/lessons/{world.text_lesson.pk}/",
            None,
        ),
        ("Resume “课程1”", f"/classroom/lessons/{others[1].lessons.get().pk}/", None),
        ("Resume “课程0”", f"/classroom/lessons/{others[0].lessons.get().pk}/", None),
        (
            "Live class “直播：示教实操”",
            f"/classroom/courses/{world.course.pk}/",
            timezone.localtime(live.session.starts_at).date(),
        ),
    ]
    assert [f.value for f in part.figures] == ["3"]
    assert part.actions[-1].starts == timezone.localtime(live.session.starts_at)
    # the home page shows a live class as an appointment, never as a deadline
    client = Client()
    client.force_login(enterprise_user)
    page = client.get(reverse("home")).content.decode()
    item = page.split("直播：示教实操")[1].split("</li>")[0]
    when = timezone.localtime(live.session.starts_at).strftime("%Y-%m-%d %H:%M")
    assert f"开始于 {when}" in item
    assert "截止" not in item and "即将到期" not in item


def test_a_completed_course_leaves_the_workbench(world, enterprise_user):
    learner = actor_for(enterprise_user)
    enrolment = services.enrol(learner, world.course)
    for lesson in (world.video_lesson, world.text_lesson):
        services.save_progress(learner, enrolment, lesson, position_seconds=0, completed=True)
    services.submit_quiz(learner, enrolment, right_answers(world.quiz))
    part, _ = call(learner_workbench, enterprise_user)
    assert (part.actions, [f.value for f in part.figures]) == ([], ["0"])


def test_a_society_sees_its_courses_with_unanswered_ratings(
    world, enterprise_user, colleague, society_a_user, society_a, society_b_user
):
    for user in (enterprise_user, colleague):
        enrolment = services.enrol(actor_for(user), world.course)
        services.rate_course(actor_for(user), enrolment, stars=5, comment="好")
    part, queries = call(society_workbench, society_a_user)
    assert queries == budget("classroom.society") == 1
    assert [(a.label, a.url) for a in part.actions] == [
        (
            "Answer the ratings of “工业机器人应用与编程入门” (2 waiting)",
            f"/classroom/manage/{world.course.pk}/",
        )
    ]
    other = more_courses(society_a_user, society_a, 1)[0]
    rating = services.rate_course(
        actor_for(enterprise_user),
        services.enrol(actor_for(enterprise_user), other),
        stars=3,
    )
    services.answer_rating(actor_for(society_a_user), rating, answer="谢谢")
    rating2 = services.rate_course(
        actor_for(colleague), services.enrol(actor_for(colleague), other), stars=4
    )
    part, queries = call(society_workbench, society_a_user)
    assert queries == 1
    assert [a.label for a in part.actions] == [
        "Answer the ratings of “工业机器人应用与编程入门” (2 waiting)",
        "Answer the ratings of “课程0” (1 waiting)",
    ]
    assert rating2.answer == ""
    # another society's courses are not its business
    part, _ = call(society_workbench, society_b_user)
    assert part.actions == []
