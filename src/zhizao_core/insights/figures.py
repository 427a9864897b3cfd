"""Totals over summary rows (one row per figure × key × month × region × industry division ×
size × group), the matchmaking funnel and the budget burn-down. Each result says how it was
obtained."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class FactRow:
    figure: str
    key: str
    month: dt.date
    region: str  # county-level code (GB/T 2260)
    industry_division: str
    size: str
    value: Decimal


def total(rows: Iterable[FactRow]) -> Decimal:
    return sum((row.value for row in rows), Decimal("0"))


def totals_by(rows: Iterable[FactRow], key: Callable[[FactRow], str]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: Decimal("0"))
    for row in rows:
        out[key(row)] += row.value
    return dict(out)


def series_by_month(
    values: dict[dt.date, Decimal], months: list[dt.date], *, cumulative: bool = False
) -> list[tuple[dt.date, Decimal]]:
    """One value per month (0 where none); ``cumulative`` gives running totals."""
    out = []
    running = Decimal("0")
    for month in months:
        value = values.get(month, Decimal("0"))
        running += value
        out.append((month, running if cumulative else value))
    return out


@dataclass(frozen=True)
class FunnelStep:
    stage: str
    count: int
    share_of_previous: Decimal | None  # percent, 1 decimal; None for the first step
    explanation: str


def funnel(stages: list[tuple[str, int]]) -> list[FunnelStep]:
    """Each stage with its count and its share of the stage before it ("requested 40 of 120
    suggested = 33.3 %")."""
    out = []
    previous: tuple[str, int] | None = None
    for stage, count in stages:
        if previous is None:
            out.append(FunnelStep(stage, count, None, f"{stage}: {count}"))
        else:
            name, before = previous
            share = (Decimal(count) * 100 / before).quantize(Decimal("0.1")) if before else None
            text = f"{stage}: {count} / {name}: {before}" + (
                f" = {share}%" if share is not None else ""
            )
            out.append(FunnelStep(stage, count, share, text))
        previous = (stage, count)
    return out


@dataclass(frozen=True)
class BurnDownPoint:
    month: dt.date
    paid: Decimal  # paid in the month
    paid_to_date: Decimal
    remaining: Decimal  # budget − paid to date
    explanation: str


def burn_down(
    budget: Decimal, paid_by_month: dict[dt.date, Decimal], months: list[dt.date]
) -> list[BurnDownPoint]:
    """The budget left at the end of each month."""
    out = []
    to_date = Decimal("0")
    for month in months:
        paid = paid_by_month.get(month, Decimal("0"))
        to_date += paid
        remaining = budget - to_date
        out.append(
            BurnDownPoint(month, paid, to_date, remaining, f"{budget} − {to_date} = {remaining}")
        )
    return out
