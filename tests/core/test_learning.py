"""The classroom's pure core: quiz marking, progress and hours, certificate codes and the
recommendation of courses for diagnosis gaps."""

from __future__ import annotations

from decimal import Decimal

from zhizao_core.learning import (
    CourseCandidate,
    Gap,
    LessonState,
    Question,
    course_progress,
    format_code,
    is_well_formed,
    mark_quiz,
    new_code,
    normalize_code,
    recommend,
)

SINGLE = Question(id=1, multiple=False, correct=frozenset({11}), options=frozenset({11, 12}))
MULTI = Question(id=2, multiple=True, correct=frozenset({21, 22}), options=frozenset({21, 22, 23}))


def test_quiz_marks_each_question_with_its_reason():
    result = mark_quiz([SINGLE, MULTI], {1: [11, 12], 2: [21]}, pass_percent=50)
    assert [(m.right, m.reason) for m in result.marks] == [
        (False, "wrong_choice"),
        (False, "incomplete"),
    ]
    assert (result.score, result.percent, result.passed) == (0, 0, False)
    result = mark_quiz([SINGLE, MULTI], {1: [11], 2: [22, 21]}, pass_percent=100)
    assert (result.score, result.percent, result.passed) == (2, 100, True)
    assert result.explanation == "2 of 2 questions right (100%); passed (pass mark 100%)"


def test_quiz_refuses_unknown_options_and_missing_answers():
    result = mark_quiz([SINGLE, MULTI], {1: [99]})
    assert [m.reason for m in result.marks] == ["unknown_option", "missing_answer"]
    assert mark_quiz([], {}).passed is False


def test_quiz_percent_rounds_down_so_rounding_never_passes():
    three = [
        Question(id=i, multiple=False, correct=frozenset({i}), options=frozenset({i, -i}))
        for i in (1, 2, 3)
    ]
    result = mark_quiz(three, {1: [1], 2: [2], 3: [-3]}, pass_percent=67)
    assert (result.percent, result.passed) == (66, False)


def test_progress_hours_and_resume():
    lessons = [
        LessonState(1, minutes=45, position_seconds=2700, completed=True),
        LessonState(2, minutes=20, position_seconds=300),
        LessonState(3, minutes=10),
    ]
    progress = course_progress(lessons, quiz_required=True, quiz_passed=False)
    assert (progress.percent, progress.hours, progress.resume_lesson_id) == (33, Decimal("0.8"), 2)
    assert progress.resume_position == 300
    assert progress.complete is False
    assert progress.explanation == "1 of 3 lessons completed; quiz not yet passed; 0.8 hours"
    done = [LessonState(i, minutes=30, completed=True) for i in (1, 2)]
    progress = course_progress(done, quiz_required=False, quiz_passed=False)
    assert (progress.complete, progress.hours, progress.resume_lesson_id) == (
        True,
        Decimal("1.0"),
        None,
    )


def test_certificate_codes_are_readable_and_typed_back_in():
    code = new_code()
    assert is_well_formed(code)
    assert not set(code) & set("01ILO")
    shown = format_code(code)
    assert len(shown) == 14 and shown.count("-") == 2
    assert normalize_code(" " + shown.lower() + " ") == code
    assert not is_well_formed("ABC")


def test_recommendation_ranks_by_summed_gain_and_names_its_gaps():
    gaps = [
        Gap("data-management", "数据", Decimal("0.04")),
        Gap("personnel-skills", "人员技能", Decimal("0.03")),
        Gap("data-management", "数据", Decimal("0.01")),  # the larger gain counts
    ]
    courses = [
        CourseCandidate(1, "数据治理", frozenset({"data-management"}), completions=5),
        CourseCandidate(2, "数据与人才", frozenset({"data-management", "personnel-skills"})),
        CourseCandidate(3, "与缺口无关", frozenset({"information-security"})),
        CourseCandidate(4, "数据采集", frozenset({"data-management"}), completions=9),
    ]
    out = recommend(gaps, courses)
    assert [(r.course_id, r.gain) for r in out] == [
        (2, Decimal("0.07")),
        (4, Decimal("0.04")),
        (1, Decimal("0.04")),
    ]
    assert out[0].gaps == ("数据", "人员技能")
    assert out[0].explanation == "addresses 2 open gap(s): 数据、人员技能"


def test_byte_ranges():
    import pytest

    from zhizao_core.learning.ranges import Unsatisfiable, parse_range

    assert parse_range(None, 100) is None
    assert parse_range("bytes=0-9", 100) == (0, 9)
    assert parse_range("bytes=90-", 100) == (90, 99)
    assert parse_range("bytes=-10", 100) == (90, 99)
    assert parse_range("bytes=-500", 100) == (0, 99)
    assert parse_range("bytes=95-200", 100) == (95, 99)
    assert parse_range("bytes=0-1,5-6", 100) is None
    assert parse_range("items=0-1", 100) is None
    for bad in ("bytes=100-", "bytes=10-5", "bytes=-0", "bytes=-", "bytes=abc"):
        with pytest.raises(Unsatisfiable):
            parse_range(bad, 100)
