"""The working-day calendar as the platform keeps it (``CalendarDay`` rows, seeded from the
shipped data and edited by operators), as a ``zhizao_core.review.WorkCalendar``."""

from __future__ import annotations

from zhizao_core.review.workdays import WorkCalendar

from .enums import CalendarDayKind
from .models import CalendarDay


def work_calendar() -> WorkCalendar:
    holidays, workdays = [], []
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == CalendarDayKind.HOLIDAY else workdays).append(day)
    return WorkCalendar.from_data(holidays, workdays)
