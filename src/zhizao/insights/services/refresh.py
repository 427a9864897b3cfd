"""Rebuilding the summary tables: every registered figure aggregated by month, region,
industry division, size and key — once for all organisations and once per cluster and chain
they belong to. Runs in one transaction (readers see the old or the new tables, never half),
from the periodic task and on an operator's request. The database does the aggregation: one
``INSERT … SELECT … GROUP BY`` per figure and grouping, then one for the "*" rows summed from
the detail rows; no record comes to Python (the same statements on SQLite and PostgreSQL).

``refresh_facts(incremental=True)`` rebuilds only the months marked dirty since the last
refresh (``insights.dirty``: the write hooks, plus the rows above each source's watermark);
its result equals a full rebuild's for every write the hooks see."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, models, transaction
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from zhizao.common.bulk import refresh_statistics

from ..dirty import month_of
from ..models import DirtyMonth, Fact, Refresh, SourceWatermark
from ..providers import Figure, figures

ALL = "*"  # industry division and size summed over (the coarse rows)

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


def _figure_rows(figure: Figure, months: list[dt.date] | None, *, member: bool, value: bool):
    """The figure's rows, one per record, as (month, province, city, county, division, size,
    key, pk[, organisation][, amount]): the month is the local month of the figure's date
    (as ``TruncMonth`` groups it, in the current time zone), the key as text."""
    org = f"{figure.organization}__" if figure.organization else ""
    qs = figure.queryset().filter(**{f"{figure.date}__isnull": False})
    if months is not None:
        qs = qs.filter(_months_q(figure, qs.model, months))
    columns = {
        "f_month": Cast(TruncMonth(figure.date), models.DateField()),
        "f_prov": F(f"{org}province_code"),
        "f_city": F(f"{org}city_code"),
        "f_region": F(f"{org}region_id"),
        "f_div": F(f"{org}industry_division"),
        "f_size": F(f"{org}size"),
        "f_key": Cast(figure.key, models.CharField()) if figure.key else Value(""),
        "f_pk": F("pk"),
    }
    if member:
        columns["f_org"] = F(f"{figure.organization}__pk" if figure.organization else "pk")
    if value:
        columns["f_v"] = F(figure.amount)
    return qs.annotate(**columns).order_by().values(*columns)


def _group_members(group_path: str):
    """(organisation, cluster or chain code) pairs, once each whatever the nodes: an
    enterprise on two nodes of one chain is one member of that chain."""
    from zhizao.registry.models import Organization

    return (
        Organization.objects.annotate(f_oid=F("pk"), f_code=F(group_path))
        .filter(f_code__isnull=False)
        .order_by()
        .values("f_oid", "f_code")
        .distinct()
    )


def _insert_cells(
    figure: Figure, group_path: str | None, group_prefix: str, months: list[dt.date] | None
) -> int:
    """Write the figure's cells by month, region, industry division, size and key into
    ``Fact`` with one ``INSERT … SELECT … GROUP BY`` (the database aggregates; no row comes
    to Python). Per cluster or chain, a record counts once per group (a count counts
    distinct rows; an amount sums the rows of the group's members: the records are joined to
    the distinct (organisation, group) pairs, so an enterprise on two nodes of one chain
    adds its project once). Cells that differ only in an empty vs missing division or size
    are one cell. Returns the rows written."""
    amount = bool(figure.amount)
    inner, inner_params = _figure_rows(
        figure, months, member=bool(group_path), value=amount
    ).query.sql_with_params()
    params: list = [figure.name]
    join, join_params = "", ()
    if group_path:
        members, join_params = _group_members(group_path).query.sql_with_params()
        join = f" INNER JOIN ({members}) g ON g.f_oid = t.f_org"
        group = "CAST(%s AS TEXT) || g.f_code"
        params.append(group_prefix)
    else:
        group = "''"
    having = ""
    if amount:  # a cell whose amounts are all missing is no cell
        total, having = "ROUND(SUM(t.f_v), 2)", " HAVING SUM(t.f_v) IS NOT NULL"
    elif group_path:
        total = "COUNT(DISTINCT t.f_pk)"
    else:
        total = "COUNT(t.f_pk)"
    # A missing key reads "None", as str(None) did when the cells were folded in Python.
    key = "COALESCE(SUBSTR(t.f_key, 1, 60), 'None')" if figure.key else "''"
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Fact._meta.get_field(f).column) for f in FIELDS)
    # Table and column names come from model metadata and the figure's SQL from the ORM;
    # every value is a parameter.
    sql = (
        f"INSERT INTO {quote(Fact._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT CAST(%s AS TEXT), {key}, t.f_month, t.f_prov, t.f_city, t.f_region, "
        f"COALESCE(t.f_div, ''), COALESCE(t.f_size, ''), {group}, {total} "
        f"FROM ({inner}) t{join} "
        f"GROUP BY 2, 3, 4, 5, 6, 7, 8, 9{having}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params, *join_params])
        return max(cursor.rowcount, 0)


def _insert_coarse(months: list[dt.date] | None) -> int:
    """The same figures without the industry and size split (division and size "*"): what a
    dashboard without those two filters reads — about a hundred times fewer rows; then summed
    over the industry only (division "*", each size): what a dashboard filtered by size alone
    reads, instead of every division's detail rows of the scope. Both summed in the database
    from the detail rows just written (of ``months`` only, when incremental)."""
    quote = connection.ops.quote_name
    names = [quote(Fact._meta.get_field(f).column) for f in FIELDS]
    kept = [names[i] for i in (0, 1, 2, 3, 4, 5, 8)]  # all but division, size and value
    where, params = f"{names[6]} <> '{ALL}'", []
    if months is not None:
        where += f" AND {names[2]} IN ({', '.join(['%s'] * len(months))})"
        params = [m.isoformat() for m in months]
    table = quote(Fact._meta.db_table)
    written = 0
    for size, group_by in ((f"'{ALL}'", kept), (names[7], [*kept, names[7]])):
        sql = (
            f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608
            f"SELECT {', '.join(kept[:6])}, '{ALL}', {size}, {kept[6]}, "
            f"ROUND(SUM({names[9]}), 2) FROM {table} WHERE {where} GROUP BY {', '.join(group_by)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            written += max(cursor.rowcount, 0)
    return written


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


def _write(months: list[dt.date] | None) -> int:
    """Every figure's cells (all organisations, per cluster, per chain), then the "*" rows."""
    written = 0
    for figure in figures():
        written += _insert_cells(figure, None, "", months)
        written += _insert_cells(figure, "clusters__code", "cluster:", months)
        written += _insert_cells(figure, "chain_nodes__chain__code", "chain:", months)
    return written + _insert_coarse(months)


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
    with transaction.atomic():
        if months is None:
            Fact.objects.all().delete()
        elif months:
            Fact.objects.filter(month__in=months).delete()
        rows = _write(months) if months is None or months else 0
        DirtyMonth.objects.filter(pk__lte=marker).delete()
        for label, (_model, high) in now.items():
            SourceWatermark.objects.update_or_create(source=label, defaults={"last_pk": high})
        refresh = Refresh.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            rows=rows,
            duration_ms=int((time.perf_counter() - clock) * 1000),
            incremental=months is not None,
            months=[m.isoformat() for m in months or []],
        )
    if connection.vendor == "sqlite" and months is None:
        refresh_statistics(Fact._meta.db_table)
    return refresh


def last_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-finished_at", "-id").first()
