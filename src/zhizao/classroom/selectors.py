"""Classroom reads: the catalogue with its Chinese search, a learner's progress, the courses
for an enterprise's open diagnosis gaps, a manager's view of its staff and the operator's
figures per course and society by month."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Avg, BigIntegerField, Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from zhizao.diagnosis.enums import AssessmentKind, AssessmentState
from zhizao.diagnosis.messages import lang_text
from zhizao.diagnosis.models import Assessment
from zhizao.diagnosis.selectors import compute, default_model
from zhizao.events.models import Attendance
from zhizao_core.diagnosis import roadmap
from zhizao_core.learning import CourseCandidate, Gap, LessonState, course_progress, recommend
from zhizao_core.text import normalize_search_text

from .access import published_courses
from .models import Certificate, Course, Enrolment, Lesson, LessonProgress, LiveClass, Rating


def search_filter(query: str) -> Q:
    words = normalize_search_text(query or "").replace("|", " ").split()
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return condition


def catalogue_rows(courses):
    """The catalogue's rows: each course with its society, ``learners`` (enrolments) and
    ``rating`` (mean stars, None without a rating), in one query."""
    mean = (
        Rating.objects.filter(course_id=OuterRef("pk"))
        .values("course_id")
        .annotate(mean=Avg("stars"))
        .values("mean")
    )
    return courses.select_related("society").annotate(
        learners=Count("enrolments", distinct=True), rating=Subquery(mean)
    )


def catalogue(courses, query: str = ""):
    return (
        courses.filter(search_filter(query))
        .select_related("society")
        .annotate(learners=Count("enrolments", distinct=True))
        .order_by("-published_at", "-id")
    )


def progress_of(enrolment: Enrolment):
    """The course progress of an enrolment (``zhizao_core.learning.CourseProgress``)."""
    lessons = list(enrolment.course.lessons.order_by("position", "id"))
    saved = {p.lesson_id: p for p in enrolment.progress.all()}
    states = [
        LessonState(
            lesson_id=lesson.pk,
            minutes=lesson.minutes,
            position_seconds=saved[lesson.pk].position_seconds if lesson.pk in saved else 0,
            completed=saved[lesson.pk].completed if lesson.pk in saved else False,
        )
        for lesson in lessons
    ]
    quiz = getattr(enrolment.course, "quiz", None)
    quiz_required = quiz is not None and quiz.questions.exists()
    passed = quiz_required and enrolment.attempts.filter(passed=True).exists()
    return course_progress(states, quiz_required=quiz_required, quiz_passed=passed)


def position_in(enrolment: Enrolment | None, lesson) -> int:
    if enrolment is None:
        return 0
    saved = enrolment.progress.filter(lesson=lesson).first()
    return saved.position_seconds if saved else 0


# --- recommendation --------------------------------------------------------------------------


def open_gaps(organization_id) -> list[Gap]:
    """The open requirements of the organisation's latest submitted self-assessment up to
    the next level, as gaps per sub-domain (name in the active language, gain)."""
    assessment = (
        Assessment.objects.filter(
            organization_id=organization_id,
            kind=AssessmentKind.SELF,
            state=AssessmentState.SUBMITTED,
        )
        .select_related("model")
        .order_by("-submitted_at", "-id")
        .first()
    )
    if assessment is None:
        return []
    model, result = compute(assessment)
    gaps = []
    for level_gap in roadmap(model, result, None):
        for item in level_gap.items:
            _element, _domain, sub = model.path_of_subdomain[item.requirement.subdomain]
            gain = item.gain  # an exact Fraction in the diagnosis core
            gain = Decimal(gain.numerator) / Decimal(gain.denominator)
            gaps.append(Gap(subdomain=sub.id, name=lang_text(sub.name), gain=gain))
    return gaps


def recommended_courses(gaps: list[Gap], *, limit: int = 10):
    """Published courses that address the gaps' sub-domains, best first, each with the
    ``Recommendation`` (its gaps and explanation) as ``.recommendation``."""
    if not gaps:
        return []
    subs = {g.subdomain for g in gaps}
    rows = list(
        published_courses()
        .select_related("society")
        .annotate(done=Count("enrolments", filter=Q(enrolments__completed_at__isnull=False)))
        .order_by("-published_at", "-id")[:500]
    )
    candidates = [
        CourseCandidate(c.pk, c.title, frozenset(c.subdomains), c.done)
        for c in rows
        if subs & set(c.subdomains)
    ]
    by_id = {c.pk: c for c in rows}
    out = []
    for rec in recommend(gaps, candidates, limit=limit):
        course = by_id[rec.course_id]
        course.recommendation = rec
        out.append(course)
    return out


def courses_for_subdomains(subdomain_ids, *, limit: int = 3) -> dict[str, list[dict]]:
    """Per sub-domain id, up to ``limit`` published courses addressing it (one query), for
    the diagnosis report's gap roadmap."""
    wanted = set(subdomain_ids)
    out: dict[str, list[dict]] = {s: [] for s in wanted}
    if not wanted:
        return out
    for course in (
        published_courses().order_by("-published_at", "-id").only("id", "title", "subdomains")[:500]
    ):
        for sub in course.subdomains:
            if sub in out and len(out[sub]) < limit:
                out[sub].append({"id": course.pk, "title": course.title})
    return out


# --- managers and the operator ----------------------------------------------------------------


def staff_rows(enrolments):
    """A manager's table: one row per enrolment with lessons completed (two queries)."""
    return (
        enrolments.select_related("user", "course", "course__society")
        .annotate(
            lessons_done=Count("progress", filter=Q(progress__completed=True), distinct=True),
            lessons_total=Count("course__lessons", distinct=True),
        )
        .order_by("user__username", "-created_at", "-id")
    )


def staff_table_rows(rows):
    for e in rows:
        yield [
            getattr(e.user, "display_name", "") or e.user.get_username(),
            e.course.title,
            e.course.society.name,
            e.created_at.date().isoformat(),
            f"{e.lessons_done}/{e.lessons_total}",
            e.completed_at.date().isoformat() if e.completed_at else "",
            str(e.hours),
        ]


def statistics(*, by: str = "course"):
    """Per course (or society) and month: enrolments, completions, certificates, rating."""
    key = "course__title" if by == "course" else "course__society__name"
    enrol = (
        Enrolment.objects.annotate(month=TruncMonth("created_at"))
        .values("month", key)
        .annotate(n=Count("id"), hours=Sum("hours"))
    )
    done = (
        Enrolment.objects.filter(completed_at__isnull=False)
        .annotate(month=TruncMonth("completed_at"))
        .values("month", key)
        .annotate(n=Count("id"))
    )
    certs = (
        Certificate.objects.annotate(month=TruncMonth("issued_on"))
        .values("month", key)
        .annotate(n=Count("id"))
    )
    rated = (
        Rating.objects.annotate(month=TruncMonth("created_at"))
        .values("month", key)
        .annotate(n=Count("id"), avg=Avg("stars"))
    )
    live_key = "session__live_class__" + key
    attended = (
        Attendance.objects.filter(session__live_class__isnull=False)
        .annotate(month=TruncMonth("at"))
        .values("month", live_key)
        .annotate(n=Count("id"))
    )
    table: dict[tuple, dict] = {}

    def row(r, name_key=key):
        month = r["month"]
        month = month.date() if hasattr(month, "date") else month
        return table.setdefault(
            (month.strftime("%Y-%m"), r[name_key]),
            {
                "enrolments": 0,
                "completions": 0,
                "certificates": 0,
                "attendance": 0,
                "ratings": 0,
                "stars": "",
            },
        )

    for r in enrol:
        row(r)["enrolments"] = r["n"]
    for r in done:
        row(r)["completions"] = r["n"]
    for r in certs:
        row(r)["certificates"] = r["n"]
    for r in attended:
        row(r, live_key)["attendance"] = r["n"]
    for r in rated:
        cell = row(r)
        cell["ratings"] = r["n"]
        cell["stars"] = str(Decimal(str(r["avg"])).quantize(Decimal("0.1")))
    return [
        {"month": month, "name": name, **values}
        for (month, name), values in sorted(
            table.items(), key=lambda kv: (kv[0][0], kv[0][1]), reverse=False
        )
    ]


def course_summary(course: Course) -> dict:
    agg = course.ratings.aggregate(n=Count("id"), avg=Avg("stars"))
    return {
        "learners": course.enrolments.count(),
        "ratings": agg["n"],
        "stars": (str(Decimal(str(agg["avg"])).quantize(Decimal("0.1"))) if agg["avg"] else ""),
    }


def subdomain_choices() -> list[tuple[str, str]]:
    """(id, name) of the sub-domains of the current default maturity model."""
    model = default_model()
    if model is None:
        return []
    parsed = model.parsed()
    return [(s.id, lang_text(s.name)) for s in parsed.subdomains()]


# --- the workbench ---------------------------------------------------------------------------


def resume_points(enrolments):
    """Enrolments annotated with ``resume_lesson``: the lesson whose progress was saved last,
    else the course's first lesson (None for a course without lessons). One query, newest
    activity first."""
    last_saved = LessonProgress.objects.filter(enrolment=OuterRef("pk")).order_by(
        "-updated_at", "-id"
    )
    first = Lesson.objects.filter(course=OuterRef("course_id")).order_by("position", "id")
    return enrolments.annotate(
        last_at=Subquery(last_saved.values("updated_at")[:1]),
        resume_lesson=Coalesce(
            Subquery(last_saved.values("lesson_id")[:1]),
            Subquery(first.values("id")[:1]),
            output_field=BigIntegerField(),
        ),
    ).order_by(F("last_at").desc(nulls_last=True), "-created_at", "-id")


def upcoming_live_classes(membership, *, now=None):
    """The live classes still to start of the courses the member is enrolled in, soonest
    first, with their session and course (one query)."""
    now = now or timezone.now()
    return (
        LiveClass.objects.filter(
            course__enrolments__user_id=membership.user_id, session__starts_at__gte=now
        )
        .select_related("session", "course")
        .order_by("session__starts_at", "id")
    )


def courses_with_unanswered_ratings(courses):
    """The courses with ratings not answered yet, as ``.unanswered``, most waiting first."""
    return (
        courses.annotate(unanswered=Count("ratings", filter=Q(ratings__answer="")))
        .filter(unanswered__gt=0)
        .order_by("-unanswered", "-id")
        .only("id", "title")
    )
