"""A learner's progress through a course: a lesson is complete when marked so (watched to at
least ``COMPLETE_SHARE`` of its length, or opened for a lesson without video); the course is
complete when every lesson is complete and the quiz (if any) is passed. Hours are the sum of the
completed lessons' minutes, in hours with one decimal, rounded half up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

COMPLETE_SHARE = Decimal("0.9")


@dataclass(frozen=True)
class LessonState:
    lesson_id: int
    minutes: int
    position_seconds: int = 0
    completed: bool = False


@dataclass(frozen=True)
class CourseProgress:
    lessons_total: int
    lessons_completed: int
    percent: int
    hours: Decimal
    quiz_required: bool
    quiz_passed: bool
    complete: bool
    resume_lesson_id: int | None
    resume_position: int

    @property
    def explanation(self) -> str:
        parts = [f"{self.lessons_completed} of {self.lessons_total} lessons completed"]
        if self.quiz_required:
            parts.append("quiz passed" if self.quiz_passed else "quiz not yet passed")
        parts.append(f"{self.hours} hours")
        return "; ".join(parts)


def reaches_completion(position_seconds: int, minutes: int) -> bool:
    """Watched far enough to count the lesson as completed."""
    if minutes <= 0:
        return True
    return Decimal(position_seconds) >= Decimal(minutes * 60) * COMPLETE_SHARE


def hours_of(minutes: int) -> Decimal:
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def course_progress(
    lessons: Sequence[LessonState], *, quiz_required: bool, quiz_passed: bool
) -> CourseProgress:
    """``lessons`` in course order. Resume at the first lesson not completed (at its saved
    position), else at the last one started."""
    total = len(lessons)
    done = [lesson for lesson in lessons if lesson.completed]
    resume = next((lesson for lesson in lessons if not lesson.completed), None)
    percent = (len(done) * 100) // total if total else 0
    complete = total > 0 and len(done) == total and (quiz_passed or not quiz_required)
    return CourseProgress(
        lessons_total=total,
        lessons_completed=len(done),
        percent=percent,
        hours=hours_of(sum(lesson.minutes for lesson in done)),
        quiz_required=quiz_required,
        quiz_passed=quiz_passed,
        complete=complete,
        resume_lesson_id=resume.lesson_id if resume else None,
        resume_position=resume.position_seconds if resume else 0,
    )
