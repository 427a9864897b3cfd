"""Rebuilding the summary tables: every registered figure aggregated by month, region,
industry division, size and key — once for all organisations and once per cluster and chain
they belong to. Runs in one transaction (readers see the old or the new tables, never half),
from the periodic task and on an operator's request.

``refresh_facts(incremental=True)`` rebuilds only the months marked dirty since the last
refresh (``insights.dirty``: the write hooks, plus the rows above each source's watermark);
its result equals a full rebuild's for every write the hooks see."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

from django.db import connection, models, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from zhizao.common.bulk import decimal_value, insert_rows, refresh_statistics

from ..dirty import month_of
from ..models import DirtyMonth, Fact, Refresh, SourceWatermark
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


_month = month_of


def _date_field(model, path: str):
    parts = path.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(parts[-1])


def _months_q(figure: Figure, model, months: list[dt.date]) -> Q:
    """Rows whose date falls in one of ``months`` (local months, as TruncMonth groups them);
    ranges on the date column, so an index on it serves."""
    aware = isinstance(_date_field(model, figure.date), models.DateTimeField)
    q = Q()
    for month in months:
        after = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        lo, hi = month, after
        if aware:
            lo = timezone.make_aware(dt.datetime.combine(month, dt.time.min))
            hi = timezone.make_aware(dt.datetime.combine(after, dt.time.min))
        q |= Q(**{f"{figure.date}__gte": lo, f"{figure.date}__lt": hi})
    return q


def _members(group_path: str, code: str):
    """The organisations in one cluster or chain (once each, whatever the nodes)."""
    from zhizao.registry.models import Organization

    return Organization.objects.filter(**{group_path: code}).values("pk")


def _group_codes(group_path: str) -> list[str]:
    from zhizao.registry.models import Cluster, IndustrialChain

    model = Cluster if group_path.startswith("clusters") else IndustrialChain
    return list(model.objects.order_by("code").values_list("code", flat=True))


def _aggregate(
    figure: Figure, group_path: str | None, group_prefix: str, months: list[dt.date] | None = None
) -> Iterator[tuple]:
    """The figure's cells. Per cluster or chain, an organisation counts once per group: a
    count counts distinct rows over the membership join; an amount is summed over the rows
    of the group's members (a join would add a project twice for an enterprise on two nodes
    of one chain)."""
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
    qs = figure.queryset().filter(**{f"{figure.date}__isnull": False})
    if months is not None:
        qs = qs.filter(_months_q(figure, qs.model, months))
    qs = qs.annotate(m=TruncMonth(figure.date))
    # (group code or None, rows of dims + value)
    parts: list[tuple[str | None, Iterator]] = []
    if not group_path:
        value = Sum(figure.amount) if figure.amount else Count("pk")
        parts.append((None, qs.order_by().values(*dims).annotate(v=value).values_list(*dims, "v")))
    elif not figure.amount:
        joined = qs.filter(**{f"{org}{group_path}__isnull": False})
        rows = (
            joined.order_by()
            .values(*dims, f"{org}{group_path}")
            .annotate(v=Count("pk", distinct=True))
            .values_list(*dims, "v", f"{org}{group_path}")
        )
        parts.append(("", rows))
    else:
        member = f"{figure.organization}__in" if figure.organization else "pk__in"
        for code in _group_codes(group_path):
            rows = (
                qs.filter(**{member: _members(group_path, code)})
                .order_by()
                .values(*dims)
                .annotate(v=Sum(figure.amount))
                .values_list(*dims, "v")
            )
            parts.append((code, rows))
    # Grouped by month in the database (in the current time zone); cells that differ only
    # in an empty vs missing division or size are folded here.
    cells: dict[tuple, object] = {}
    width = len(dims) + 1
    for code, rows in parts:
        for row in rows:
            month = _month(row[0])
            value = row[width - 1]
            if month is None or value is None:
                continue
            key = str(row[6]) if figure.key else ""
            if code is None:
                group = ""
            else:
                group = f"{group_prefix}{code or row[width]}"
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
            cells[cell] = cells.get(cell, 0) + value
    # The same figure without the industry and size split ("*"): what a dashboard without
    # those two filters reads — about a hundred times fewer rows.
    coarse: dict[tuple, object] = {}
    for cell, total in cells.items():
        yield (*cell, total)
        key = (*cell[:6], ALL, ALL, cell[8])
        coarse[key] = coarse.get(key, 0) + total
    for cell, total in coarse.items():
        yield (*cell, total)


def _watermarks() -> dict[str, tuple[type, int]]:
    """Each figure's source model with the highest primary key it holds now."""
    out = {}
    for fig in figures():
        model = fig.queryset().model
        label = model._meta.label_lower
        if label not in out:
            out[label] = (model, model._default_manager.aggregate(m=Max("pk"))["m"] or 0)
    return out


def _new_row_months(seen: dict[str, int], now: dict[str, tuple[type, int]]) -> set[dt.date]:
    """The months of rows added above each source's watermark since the last refresh."""
    months: set[dt.date] = set()
    for fig in figures():
        model = fig.queryset().model
        label = model._meta.label_lower
        low = seen.get(label)
        if low is None:
            low = 0
        high = now[label][1]
        if high <= low:
            continue
        qs = fig.queryset().filter(pk__gt=low, pk__lte=high, **{f"{fig.date}__isnull": False})
        for value in qs.order_by().values_list(fig.date, flat=True).distinct():
            months.add(_month(value))
    return months


def _rows(months: list[dt.date] | None) -> list[tuple]:
    rows: list[tuple] = []
    for figure in figures():
        rows.extend(_aggregate(figure, None, "", months))
        rows.extend(_aggregate(figure, "clusters__code", "cluster:", months))
        rows.extend(_aggregate(figure, "chain_nodes__chain__code", "chain:", months))
    return rows


def refresh_facts(*, incremental: bool = False) -> Refresh:
    """Rebuild ``Fact`` from the registered figures and record the refresh: every month, or
    with ``incremental`` only the months marked dirty since the last refresh (every month
    when one marker says so, or when there was no refresh before)."""
    started = timezone.now()
    clock = time.perf_counter()
    marker = DirtyMonth.objects.aggregate(m=Max("pk"))["m"] or 0
    now = _watermarks()
    months: list[dt.date] | None = None
    if incremental and Refresh.objects.exists():
        dirty = set(DirtyMonth.objects.filter(pk__lte=marker).values_list("month", flat=True))
        if None not in dirty:
            seen = dict(SourceWatermark.objects.values_list("source", "last_pk"))
            if set(seen) >= set(now):
                months = sorted(dirty | _new_row_months(seen, now))
    rows = _rows(months) if months is None or months else []
    with transaction.atomic():
        if months is None:
            Fact.objects.all().delete()
        elif months:
            Fact.objects.filter(month__in=months).delete()
        insert_rows(
            Fact,
            FIELDS,
            (
                (*row[:2], row[2].isoformat(), *row[3:-1], decimal_value(row[-1], 20, 2))
                for row in rows
            ),
        )
        DirtyMonth.objects.filter(pk__lte=marker).delete()
        for label, (_model, high) in now.items():
            SourceWatermark.objects.update_or_create(source=label, defaults={"last_pk": high})
        refresh = Refresh.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            rows=len(rows),
            duration_ms=int((time.perf_counter() - clock) * 1000),
            incremental=months is not None,
            months=[m.isoformat() for m in months or []],
        )
    if connection.vendor == "sqlite" and months is None:
        refresh_statistics(Fact._meta.db_table)
    return refresh


def last_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-finished_at", "-id").first()
