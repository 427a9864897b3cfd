"""The working-day calendar (2026 from the State Council notice, 2027 provisional), the manual
change check and the expertise affinity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhizao_core.review import (
    Application,
    AssignmentProblem,
    Expert,
    ExpertProfile,
    PanelRule,
    WorkCalendar,
    affinity_score,
    check_assignment,
)

CAL = WorkCalendar.shipped()


def test_2026_holidays_and_adjusted_working_days():
    assert CAL.is_working_day(date(2026, 10, 1)) is False  # National Day
    assert CAL.is_working_day(date(2026, 10, 10)) is True  # a Saturday worked (调休)
    assert CAL.is_working_day(date(2026, 9, 20)) is True  # a Sunday worked
    assert CAL.is_working_day(date(2026, 2, 23)) is False  # Spring Festival, a Monday
    assert CAL.is_working_day(date(2026, 2, 28)) is True
    assert CAL.is_working_day(date(2026, 7, 4)) is False  # an ordinary Saturday
    assert CAL.is_provisional(date(2026, 5, 1)) is False
    assert CAL.is_provisional(date(2027, 5, 1)) is True
    assert CAL.is_provisional(date(2028, 5, 1)) is True


def test_a_five_working_day_publicity_across_national_day():
    # Starting Monday 28 September: 28, 29, 30 September, then 8 and 9 October.
    assert CAL.period_end(date(2026, 9, 28), 5) == date(2026, 10, 9)
    assert CAL.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    # Starting on a holiday: the period begins on the next working day (8, 9, Saturday 10
    # worked, 12, 13 October).
    assert CAL.period_end(date(2026, 10, 3), 5) == date(2026, 10, 13)
    assert CAL.working_days_between(date(2026, 9, 27), date(2026, 10, 12)) == 7


def test_calendar_from_operator_data():
    cal = WorkCalendar.from_data(["2026-07-06"], ["2026-07-11"])
    assert cal.is_working_day(date(2026, 7, 6)) is False
    assert cal.is_working_day(date(2026, 7, 11)) is True
    assert cal.add_working_days(date(2026, 7, 3), 1) == date(2026, 7, 7)


def test_manual_change_refusals_named():
    problem = AssignmentProblem(
        call_date=date(2026, 6, 30),
        applications=[Application("A1", organisations=("ORG",))],
        experts=[
            Expert("E1", "ORG"),
            Expert("E2", "X", region="3204"),
            Expert("E3", "X", region="3204"),
            Expert("E4", max_load=1),
        ],
        reviewers_per_application=3,
        panel_rules=(
            PanelRule("at_least_attribute", "economic", count=1),
            PanelRule("at_most_per_region", prefix_len=4, count=1),
        ),
    )
    assert check_assignment(problem, "A1", ["E1", "E2", "E3"]) == [
        "专家 E1 须回避：专家现任单位为申报单位",
        "同一单位 X 的专家有 2 位，最多 1 位",
        "至少需要 1 位具备“economic”的专家，现为 0 位",
        "同一地区 3204 的专家有 2 位，最多 1 位",
    ]
    assert check_assignment(problem, "A1", ["E2", "E4", "E9"], current={"A2": ("E4",)}) == [
        "未知的专家 E9",
        "至少需要 1 位具备“economic”的专家，现为 0 位",
        "专家 E4 的评审量将为 2，超过上限 1",
    ]
    assert check_assignment(problem, "A1", ["E2"], lang="en")[0] == (
        "the application needs exactly 3 experts, 1 given"
    )


def test_affinity_parts():
    profile = ExpertProfile(("C34", "机器视觉", "缺陷检测"), "长期从事机器视觉检测研究")
    app = Application("A", industry="C3411", text="基于机器视觉的PCB缺陷检测系统")
    score, parts = affinity_score(profile, app)
    assert parts["industry"] == 1 and parts["domain"] == 1
    assert parts["domain_found"] == ["机器视觉", "缺陷检测"]
    assert Decimal("0.7") < score <= 1 and score == score.quantize(Decimal("0.0001"))
    other, parts = affinity_score(ExpertProfile(("13",), "食品加工"), app)
    assert parts["industry"] == 0 and parts["domain"] == 0 and other < Decimal("0.1")
    eager, _ = affinity_score(ExpertProfile(("13",), "食品加工"), app, bid="eager")
    assert eager == other + Decimal("0.1")


def test_every_shipped_holiday_has_its_name():
    import json
    from importlib import resources

    from zhizao_core.review.workdays import holiday_names

    data = json.loads(
        resources.files("zhizao_core.review").joinpath("data/workdays.json").read_text("utf-8")
    )
    names = holiday_names(data)
    assert set(names) == CAL.holidays
    assert [names[date(2026, m, d)] for m, d in [(1, 3), (2, 15), (4, 6), (5, 5), (6, 19)]] == [
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
    ]
    assert [names[date(2026, 9, 27)], names[date(2026, 10, 7)]] == ["中秋节", "国庆节"]
    assert [names[date(2027, 2, 5)], names[date(2027, 9, 15)]] == ["春节", "中秋节"]
