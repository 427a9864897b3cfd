"""The cloud classroom in the pure core: quiz marking, course progress and hours, certificate
verification codes and course recommendation from diagnosis gaps. Every result carries its
explanation. No Django (an import contract checks it). Formats: docs/classroom.md."""

from zhizao_core.learning.certificate import (
    CODE_ALPHABET,
    format_code,
    is_well_formed,
    new_code,
    normalize_code,
)
from zhizao_core.learning.progress import CourseProgress, LessonState, course_progress
from zhizao_core.learning.quiz import Question, QuizResult, mark_quiz
from zhizao_core.learning.recommend import CourseCandidate, Gap, Recommendation, recommend

__all__ = [
    "CODE_ALPHABET",
    "CourseCandidate",
    "CourseProgress",
    "Gap",
    "LessonState",
    "Question",
    "QuizResult",
    "Recommendation",
    "course_progress",
    "format_code",
    "is_well_formed",
    "mark_quiz",
    "new_code",
    "normalize_code",
    "recommend",
]
