"""A learner's writes: enrolling (once per course), saving the position in a lesson (small
POSTs every ~10 s; only a lesson's completion is audited, not every position), the quiz (marked
here, on the server, by ``zhizao_core.learning.mark_quiz``), completing the course, the
certificate (issued once per person and course, with a verification code) and the rating."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao_core.learning import Question as CoreQuestion
from zhizao_core.learning import mark_quiz, new_code
from zhizao_core.learning.progress import reaches_completion

from ..enums import CourseState
from ..errors import ClassroomError
from ..models import Certificate, Course, Enrolment, Lesson, LessonProgress, QuizAttempt, Rating
from ..selectors import progress_of
from .base import audit, not_allowed, text, user_of


def enrol(actor: Actor, course: Course) -> Enrolment:
    """Enrol the acting user in a published course, for the organisation they act for."""
    user = user_of(actor)
    if user is None or not actor.role:
        raise not_allowed()
    if course.state != CourseState.PUBLISHED:
        raise ClassroomError("not_open", _("This course is not open for enrolment."))
    try:
        with transaction.atomic():
            if Enrolment.objects.filter(user=user, course=course).exists():
                raise ClassroomError("already_enrolled", _("You are already enrolled."))
            enrolment = Enrolment.objects.create(
                user=user, course=course, organization_id=actor.organization_id
            )
            audit(actor, "enrolled", enrolment, context={"course": course.pk})
    except IntegrityError:
        raise ClassroomError("already_enrolled", _("You are already enrolled.")) from None
    return enrolment


def _own(actor: Actor, enrolment: Enrolment) -> None:
    if not actor.user_id or enrolment.user_id != actor.user_id:
        raise not_allowed()


def save_progress(
    actor: Actor,
    enrolment: Enrolment,
    lesson: Lesson,
    *,
    position_seconds: int,
    completed: bool = False,
) -> LessonProgress:
    """Remember where the learner is in ``lesson``. The lesson completes when marked so (a
    lesson without video, or the learner's "done") or watched to 90 % of its length; once
    completed it stays so. Completing the last lesson may complete the course."""
    _own(actor, enrolment)
    if lesson.course_id != enrolment.course_id:
        raise not_allowed()
    try:
        position = max(0, min(int(position_seconds), 24 * 3600))
    except (TypeError, ValueError):
        raise ClassroomError("bad_position", _("Invalid position."), field="position") from None
    done = bool(completed) or (
        bool(lesson.video or lesson.video_link) and reaches_completion(position, lesson.minutes)
    )
    with transaction.atomic():
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        progress, _created = LessonProgress.objects.get_or_create(
            enrolment=enrolment, lesson=lesson
        )
        newly = done and not progress.completed
        progress.position_seconds = position
        progress.completed = progress.completed or done
        progress.save(update_fields=["position_seconds", "completed", "updated_at"])
        if newly:
            audit(
                actor,
                "lesson_completed",
                progress,
                changes={"completed": [False, True]},
                context={"lesson": lesson.pk, "course": enrolment.course_id},
            )
            _maybe_complete(actor, enrolment)
    return progress


def _maybe_complete(actor: Actor, enrolment: Enrolment) -> None:
    """Inside the caller's transaction, on the locked enrolment."""
    enrolment.refresh_from_db()
    if enrolment.completed_at is not None:
        return
    progress = progress_of(enrolment)
    if not progress.complete:
        return
    enrolment.completed_at = timezone.now()
    enrolment.hours = progress.hours
    enrolment.save(update_fields=["completed_at", "hours"])
    audit(
        actor,
        "course_completed",
        enrolment,
        changes={
            "completed_at": [None, enrolment.completed_at.isoformat()],
            "hours": [None, str(progress.hours)],
        },
        context={"course": enrolment.course_id},
    )


def submit_quiz(actor: Actor, enrolment: Enrolment, answers: dict) -> QuizAttempt:
    """Mark the answers ({question id: [option ids]}) on the server and keep the attempt. A
    pass may complete the course."""
    _own(actor, enrolment)
    quiz = getattr(enrolment.course, "quiz", None)
    if quiz is None:
        raise ClassroomError("no_quiz", _("This course has no quiz."))
    questions = list(quiz.questions.prefetch_related("options"))
    if not questions:
        raise ClassroomError("no_quiz", _("This course has no quiz."))
    core = [
        CoreQuestion(
            id=q.pk,
            multiple=q.multiple,
            correct=frozenset(o.pk for o in q.options.all() if o.correct),
            options=frozenset(o.pk for o in q.options.all()),
        )
        for q in questions
    ]
    clean: dict[int, list[int]] = {}
    for key, value in (answers or {}).items():
        try:
            values = value if isinstance(value, list | tuple) else [value]
            clean[int(key)] = [int(v) for v in values]
        except (TypeError, ValueError):
            raise ClassroomError("bad_answer", _("Invalid answer."), field="answers") from None
    result = mark_quiz(core, clean, pass_percent=quiz.pass_percent)
    with transaction.atomic():
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        attempt = QuizAttempt.objects.create(
            enrolment=enrolment,
            answers={str(k): v for k, v in clean.items()},
            score=result.score,
            total=result.total,
            passed=result.passed,
        )
        audit(
            actor,
            "quiz_attempted",
            attempt,
            changes={"score": [None, result.score], "passed": [None, result.passed]},
            context={"course": enrolment.course_id, "explanation": result.explanation},
        )
        if result.passed:
            _maybe_complete(actor, enrolment)
    attempt.result = result
    return attempt


def issue_certificate(actor: Actor, enrolment: Enrolment) -> Certificate:
    """The learner's certificate of a completed course: once per person and course (a second
    call returns the first)."""
    _own(actor, enrolment)
    if enrolment.completed_at is None:
        raise ClassroomError("not_complete", _("Complete the course first."))
    existing = Certificate.objects.filter(user_id=enrolment.user_id, course_id=enrolment.course_id)
    found = existing.first()
    if found is not None:
        return found
    user = enrolment.user
    name = (getattr(user, "display_name", "") or user.get_full_name() or user.get_username())[:100]
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                enrolment=enrolment,
                user=user,
                course=enrolment.course,
                code=new_code(),
                name=name,
                course_title=enrolment.course.title,
                hours=enrolment.hours,
                issued_on=timezone.localdate(enrolment.completed_at),
            )
            audit(
                actor,
                "certificate_issued",
                certificate,
                context={"course": enrolment.course_id},
            )
    except IntegrityError:
        found = existing.first()
        if found is None:
            raise
        return found
    return certificate


def rate_course(actor: Actor, enrolment: Enrolment, *, stars: int, comment: str = "") -> Rating:
    """One rating per enrolment (a second one replaces the stars and comment)."""
    _own(actor, enrolment)
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ClassroomError("bad_stars", _("Give 1 to 5 stars."), field="stars")
    comment = text(comment, field="comment", label=_("Comment"), max_length=2000)
    with transaction.atomic():
        rating = Rating.objects.select_for_update().filter(enrolment=enrolment).first()
        before = [rating.stars, rating.comment] if rating else [None, None]
        if rating is None:
            rating = Rating(enrolment=enrolment, course_id=enrolment.course_id)
        rating.stars = stars
        rating.comment = comment
        rating.save()
        audit(
            actor,
            "rated",
            rating,
            changes={"stars": [before[0], stars], "comment": [before[1], comment]},
        )
    return rating
