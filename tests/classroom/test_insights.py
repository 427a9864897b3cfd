"""The classroom's figures (enrolments, completions, certificates, live-class attendance per
month) after a refresh, and its courses as the monthly report's 人才培养 activities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from tests.classroom.conftest import right_answers
from tests.factories import actor_for
from zhizao.classroom import services
from zhizao.events import services as events
from zhizao.insights import services as insights
from zhizao.insights.access import EVERYWHERE
from zhizao.insights.models import Fact
from zhizao.insights.report_data import month_figures, records_activities
from zhizao.registry.models import Organization


def total(figure: str) -> dict:
    rows = (
        Fact.objects.filter(figure=figure, group="", industry_division="*", size="*")
        .values("month")
        .annotate(v=Sum("value"))
        .order_by("month")
    )
    return {r["month"].isoformat()[:7]: r["v"] for r in rows}


def test_figures_and_report_activities_of_the_month(
    world, enterprise_user, colleague, society_a_user
):
    learner = actor_for(enterprise_user)
    enrolment = services.enrol(learner, world.course)
    services.enrol(actor_for(colleague), world.course)
    for lesson in (world.video_lesson, world.text_lesson):
        services.save_progress(learner, enrolment, lesson, position_seconds=0, completed=True)
    services.submit_quiz(learner, enrolment, right_answers(world.quiz))
    enrolment.refresh_from_db()
    services.issue_certificate(learner, enrolment)
    now = timezone.localtime()
    live = services.schedule_live_class(
        actor_for(society_a_user),
        world.course,
        title="直播：示教实操",
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(minutes=30),
    )
    registration = events.register(
        learner,
        live.session.event,
        kind="visitor",
        organization=Organization.objects.get(pk=enrolment.organization_id),
        name="王工",
    )
    events.record_attendance(
        actor_for(society_a_user), live.session, badge_code=registration.badge_code
    )
    insights.refresh_facts()
    month = timezone.localdate().strftime("%Y-%m")
    assert {
        name: total(f"classroom.{name}")
        for name in ("enrolments", "completions", "certificates", "live_attendance")
    } == {
        "enrolments": {month: Decimal("2")},
        "completions": {month: Decimal("1")},
        "certificates": {month: Decimal("1")},
        "live_attendance": {month: Decimal("1")},
    }
    first = timezone.localdate().replace(day=1)
    figures, _as_of = month_figures(first, EVERYWHERE)
    assert [figures[f"classroom.{n}"]["month"] for n in ("enrolments", "completions")] == [2, 1]
    activities = [
        a for a in records_activities(first, EVERYWHERE) if a.source == "classroom.courses"
    ]
    assert [(a.section, a.title, a.detail, a.link) for a in activities] == [
        (
            "talent",
            "江苏省机械工程学会云课堂课程“工业机器人应用与编程入门”",
            "新增学员 2 人，结业 1 人",
            f"/classroom/courses/{world.course.pk}/",
        )
    ]
