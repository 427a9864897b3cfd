"""Rebuilding the summary tables: every registered figure aggregated by month, region,
industry division, size and key — once for all organisations and once per cluster and chain
they belong to. Runs in one transaction (readers see the old or the new tables, never half),
from the periodic task and on an operator's request."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from zhizao.common.bulk import decimal_value, insert_rows, refresh_statistics

from ..models import Fact, Refresh
from ..providers import Figure, figures

ALL = "*"  # industry division and size summed over

FIELDS = (
    "figure",
    "key",
    "month",
    "province_code",
    "city_code",
    "region_code",
    "industry_division",
    "size",
    "group",
    "value",
)


def _month(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return dt.date(value.year, value.month, 1)


def _aggregate(figure: Figure, group_path: str | None, group_prefix: str) -> Iterator[tuple]:
    org = f"{figure.organization}__" if figure.organization else ""
    dims = [
        "m",
        f"{org}province_code",
        f"{org}city_code",
        f"{org}region_id",
        f"{org}industry_division",
        f"{org}size",
    ]
    if figure.key:
        dims.append(figure.key)
    if group_path:
        dims.append(f"{org}{group_path}")
    qs = figure.queryset().filter(**{f"{figure.date}__isnull": False})
    qs = qs.annotate(m=TruncMonth(figure.date))
    if group_path:
        qs = qs.filter(**{f"{org}{group_path}__isnull": False})
    value = Sum(figure.amount) if figure.amount else Count("pk", distinct=bool(group_path))
    # Grouped by month in the database (in the current time zone); cells that differ only
    # in an empty vs missing division or size are folded here.
    cells: dict[tuple, object] = {}
    for row in qs.order_by().values(*dims).annotate(v=value).values_list(*dims, "v"):
        month = _month(row[0])
        if month is None or row[-1] is None:
            continue
        key = str(row[6]) if figure.key else ""
        group = f"{group_prefix}{row[-2]}" if group_path else ""
        cell = (
            figure.name,
            key[:60],
            month,
            row[1],
            row[2],
            row[3],
            row[4] or "",
            row[5] or "",
            group,
        )
        cells[cell] = cells.get(cell, 0) + row[-1]
    # The same figure without the industry and size split ("*"): what a dashboard without
    # those two filters reads — about a hundred times fewer rows.
    coarse: dict[tuple, object] = {}
    for cell, total in cells.items():
        yield (*cell, total)
        key = (*cell[:6], ALL, ALL, cell[8])
        coarse[key] = coarse.get(key, 0) + total
    for cell, total in coarse.items():
        yield (*cell, total)


def refresh_facts() -> Refresh:
    """Rebuild ``Fact`` from the registered figures and record the refresh."""
    started = timezone.now()
    clock = time.perf_counter()
    rows: list[tuple] = []
    for figure in figures():
        rows.extend(_aggregate(figure, None, ""))
        rows.extend(_aggregate(figure, "clusters__code", "cluster:"))
        rows.extend(_aggregate(figure, "chain_nodes__chain__code", "chain:"))
    with transaction.atomic():
        Fact.objects.all().delete()
        insert_rows(
            Fact,
            FIELDS,
            (
                (*row[:2], row[2].isoformat(), *row[3:-1], decimal_value(row[-1], 20, 2))
                for row in rows
            ),
        )
        refresh = Refresh.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            rows=len(rows),
            duration_ms=int((time.perf_counter() - clock) * 1000),
        )
    if connection.vendor == "sqlite":
        refresh_statistics(Fact._meta.db_table)
    return refresh


def last_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-finished_at", "-id").first()
