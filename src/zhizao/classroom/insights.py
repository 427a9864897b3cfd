"""The classroom's figures for the dashboards and the monthly report: enrolments, courses
completed, certificates issued and live-class attendance (session check-ins) per month, by
the learner's organisation; every course with learners joining or finishing in the month as a
report activity (人才培养) with those numbers."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhizao.events.models import Attendance
from zhizao.insights.providers import ActivitySource, Figure, register_activities, register_figure
from zhizao_core.insights import Activity

from .models import Certificate, Course, Enrolment

register_figure(
    Figure(
        name="classroom.enrolments",
        label=_("Course enrolments"),
        area="classroom",
        queryset=lambda: Enrolment.objects.all(),
        date="created_at",
        organization="organization",
        order=90,
    )
)
register_figure(
    Figure(
        name="classroom.completions",
        label=_("Courses completed"),
        area="classroom",
        queryset=lambda: Enrolment.objects.filter(completed_at__isnull=False),
        date="completed_at",
        organization="organization",
        order=91,
    )
)
register_figure(
    Figure(
        name="classroom.certificates",
        label=_("Course certificates issued"),
        area="classroom",
        queryset=lambda: Certificate.objects.filter(revoked_at__isnull=True),
        date="issued_on",
        organization="enrolment__organization",
        order=92,
    )
)
register_figure(
    Figure(
        name="classroom.live_attendance",
        label=_("Live-class attendance"),
        area="classroom",
        queryset=lambda: Attendance.objects.filter(session__live_class__isnull=False),
        date="at",
        organization="registration__organization",
        order=93,
    )
)


def _courses_of_the_month(first: dt.date, last: dt.date, scope: str) -> list[Activity]:
    """Each course with learners enrolling or completing in the month (within the scope: the
    learners' organisations' region), with both numbers."""
    joined = Q(enrolments__created_at__date__gte=first, enrolments__created_at__date__lte=last)
    finished = Q(
        enrolments__completed_at__date__gte=first, enrolments__completed_at__date__lte=last
    )
    if scope:
        inside = Q(enrolments__organization__region__code__startswith=scope)
        joined &= inside
        finished &= inside
    courses = (
        Course.objects.annotate(
            joined=Count("enrolments", filter=joined, distinct=True),
            finished=Count("enrolments", filter=finished, distinct=True),
        )
        .filter(Q(joined__gt=0) | Q(finished__gt=0))
        .select_related("society")
        .order_by("title", "id")
    )
    return [
        Activity(
            section="talent",
            date=last,
            title=f"{course.society.name}云课堂课程“{course.title}”",
            detail=f"新增学员 {course.joined} 人，结业 {course.finished} 人",
            source="classroom.courses",
            link=reverse("classroom:course_detail", args=[course.pk]),
        )
        for course in courses
    ]


register_activities(ActivitySource(name="classroom.courses", fetch=_courses_of_the_month))
