"""Calendar months as the first day of the month."""

from __future__ import annotations

import datetime as dt
import re

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthError(ValueError):
    """A month that is not ``YYYY-MM`` or lies outside 2000-01 … 2099-12."""


def parse_month(text: str) -> dt.date:
    """``"2026-11"`` → ``date(2026, 11, 1)``; anything else raises ``MonthError``."""
    match = _MONTH.match((text or "").strip())
    if not match:
        raise MonthError(f"月份应写作 YYYY-MM（例如 2026-11），收到的是“{text}”")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise MonthError(f"月份“{text}”不存在：月应在 01 到 12 之间")
    if not 2000 <= year <= 2099:
        raise MonthError(f"月份“{text}”超出范围：年应在 2000 到 2099 之间")
    return dt.date(year, month, 1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from ``first`` to ``last`` inclusive (first days)."""
    out = []
    month = dt.date(first.year, first.month, 1)
    end = dt.date(last.year, last.month, 1)
    while month <= end:
        out.append(month)
        month = add_months(month, 1)
    return out


def month_label(month: dt.date) -> str:
    return f"{month.year}-{month.month:02d}"
