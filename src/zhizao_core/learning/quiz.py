"""Quiz marking on the server: single choice (exactly one correct option) and multiple choice
(all correct options and no other). A question is worth one point; the quiz passes at
``pass_percent`` of the points. The result explains every question."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Question:
    id: int
    multiple: bool
    correct: frozenset[int]
    options: frozenset[int]


@dataclass(frozen=True)
class QuestionMark:
    id: int
    right: bool
    chosen: tuple[int, ...]
    reason: str  # "right", "missing_answer", "wrong_choice", "incomplete", "unknown_option"


@dataclass(frozen=True)
class QuizResult:
    score: int
    total: int
    percent: int
    passed: bool
    pass_percent: int
    marks: tuple[QuestionMark, ...] = field(default_factory=tuple)

    @property
    def explanation(self) -> str:
        return (
            f"{self.score} of {self.total} questions right ({self.percent}%); "
            f"{'passed' if self.passed else 'not passed'} (pass mark {self.pass_percent}%)"
        )


def _mark_one(question: Question, chosen: Sequence[int]) -> QuestionMark:
    picked = tuple(sorted(set(int(c) for c in chosen)))
    if not picked:
        return QuestionMark(question.id, False, picked, "missing_answer")
    if any(c not in question.options for c in picked):
        return QuestionMark(question.id, False, picked, "unknown_option")
    if not question.multiple and len(picked) > 1:
        return QuestionMark(question.id, False, picked, "wrong_choice")
    chosen_set = frozenset(picked)
    if chosen_set == question.correct:
        return QuestionMark(question.id, True, picked, "right")
    if chosen_set < question.correct:
        return QuestionMark(question.id, False, picked, "incomplete")
    return QuestionMark(question.id, False, picked, "wrong_choice")


def mark_quiz(
    questions: Sequence[Question],
    answers: Mapping[int, Sequence[int]],
    *,
    pass_percent: int = 60,
) -> QuizResult:
    """Mark ``answers`` ({question id: chosen option ids}) against ``questions``. Percent is
    rounded down, so a pass is never granted by rounding."""
    marks = tuple(_mark_one(q, answers.get(q.id, ())) for q in questions)
    score = sum(1 for m in marks if m.right)
    total = len(marks)
    percent = (score * 100) // total if total else 0
    return QuizResult(
        score=score,
        total=total,
        percent=percent,
        passed=total > 0 and percent >= pass_percent,
        pass_percent=pass_percent,
        marks=marks,
    )
