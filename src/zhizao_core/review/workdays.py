"""Working days with Chinese public holidays and adjusted working days (调休上班), kept as data.

A day is a working day when it is an adjusted working day, or a Monday–Friday that is not a
holiday. The shipped data (``data/workdays.json``) holds 2026 from the State Council notice and
2027 as a provisional calendar (statutory holidays only, no adjusted days) until the 2027
notice is entered; the platform lets an operator edit both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources

__all__ = ["WorkCalendar", "holiday_names"]


def holiday_names(data: dict) -> dict[date, str]:
    """Each holiday's name (元旦, 春节, …) from the data's ``holiday_names``: per year, a name to
    the first and last day of its holiday period, both inclusive."""
    out = {}
    for entry in data.values():
        for name, (first, last) in entry.get("holiday_names", {}).items():
            day, end = date.fromisoformat(first), date.fromisoformat(last)
            while day <= end:
                out[day] = name
                day += timedelta(days=1)
    return out


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date] = frozenset()
    adjusted_workdays: frozenset[date] = frozenset()
    years: dict = field(default_factory=dict)  # year -> {"source": str, "provisional": bool}

    @classmethod
    def from_data(cls, holidays, adjusted_workdays, years=None) -> WorkCalendar:
        def dates(items):
            return frozenset(d if isinstance(d, date) else date.fromisoformat(d) for d in items)

        return cls(dates(holidays), dates(adjusted_workdays), dict(years or {}))

    @classmethod
    def from_json(cls, data: dict) -> WorkCalendar:
        holidays, workdays, years = [], [], {}
        for year, entry in data.items():
            holidays += entry.get("holidays", [])
            workdays += entry.get("adjusted_workdays", [])
            years[int(year)] = {
                "source": entry.get("source", ""),
                "provisional": bool(entry.get("provisional", False)),
            }
        return cls.from_data(holidays, workdays, years)

    @classmethod
    def shipped(cls) -> WorkCalendar:
        text = resources.files(__package__).joinpath("data/workdays.json").read_text("utf-8")
        return cls.from_json(json.loads(text))

    def is_working_day(self, d: date) -> bool:
        if d in self.adjusted_workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (``d`` itself not counted; n = 0 gives ``d``)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = d
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def period_end(self, start: date, n: int) -> date:
        """The last day of a period of ``n`` working days that begins on ``start`` (counted as
        the first when it is a working day), e.g. the end of a 5-working-day 公示."""
        if n < 1:
            raise ValueError("n must be at least 1")
        first = start if self.is_working_day(start) else self.add_working_days(start, 1)
        return self.add_working_days(first, n - 1)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def is_provisional(self, d: date) -> bool:
        """True when ``d``'s year is not covered, or only provisionally."""
        info = self.years.get(d.year)
        return info is None or info["provisional"]
