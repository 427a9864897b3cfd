"""The pure insights core: months, funnel, burn-down, map classes, report sections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhizao_core.insights import (
    Activity,
    MonthError,
    add_months,
    breaks,
    burn_down,
    class_of,
    funnel,
    months_between,
    parse_month,
    project,
    sort_activities,
)


def test_parse_month():
    assert parse_month("2026-11") == dt.date(2026, 11, 1)
    for bad in ("2026-13", "2026-1", "26-11", "", "2026-00", "1999-12"):
        with pytest.raises(MonthError):
            parse_month(bad)


def test_months_between_and_add():
    assert add_months(dt.date(2026, 11, 1), 3) == dt.date(2027, 2, 1)
    assert add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert months_between(dt.date(2025, 11, 1), dt.date(2026, 2, 1)) == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


def test_funnel_shares():
    steps = funnel([("推荐", 120), ("请求", 40), ("接受", 0), ("会面", 0)])
    assert [(s.count, s.share_of_previous) for s in steps] == [
        (120, None),
        (40, Decimal("33.3")),
        (0, Decimal("0.0")),
        (0, None),
    ]
    assert steps[1].explanation == "请求: 40 / 推荐: 120 = 33.3%"


def test_burn_down():
    months = [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    points = burn_down(
        Decimal("1000"), {months[0]: Decimal("300"), months[2]: Decimal("50.5")}, months
    )
    assert [(p.paid_to_date, p.remaining) for p in points] == [
        (Decimal("300"), Decimal("700")),
        (Decimal("300"), Decimal("700")),
        (Decimal("350.5"), Decimal("649.5")),
    ]


def test_breaks_and_classes():
    values = [Decimal(v) for v in (0, 1, 2, 3, 4, 5, 10, 20, 40, 80, 160)]
    bounds = breaks(values)
    assert bounds == [Decimal(2), Decimal(4), Decimal(10), Decimal(40), Decimal(160)]
    assert [class_of(v, bounds) for v in (Decimal(0), Decimal(1), Decimal(160))] == [0, 1, 5]
    assert breaks([Decimal(0)]) == []


def test_project_keeps_shapes_inside_the_box():
    shapes = project(
        {"a": [[[120.0, 31.0], [121.0, 31.0], [121.0, 32.0], [120.0, 31.0]]]},
        width=100,
        height=100,
        pad=0,
    )
    numbers = [float(n) for part in shapes[0].path.strip("MZ").split("L") for n in part.split(",")]
    assert min(numbers) >= 0 and max(numbers) <= 100


def test_sort_activities_keeps_unknown_sections():
    d = dt.date(2026, 9, 1)
    out = sort_activities(
        [Activity("talent", d, "B"), Activity("bogus", d, "X"), Activity("talent", d, "A")]
    )
    assert [a.title for a in out["talent"]] == ["A", "B"]
    assert [a.title for a in out["self"]] == ["X"]
    assert list(out) == ["consulting", "exchange", "cooperation", "talent", "international", "self"]
