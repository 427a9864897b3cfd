"""Reads of the dashboards: figures from the summary table for a scope and filters, in a fixed
number of queries whatever the size of the registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from zhizao.registry.enums import SizeClass
from zhizao.registry.models import Cluster, IndustrialChain, Industry, Region
from zhizao_core.insights import add_months, burn_down, month_label, months_between

from .access import COLUMN, Scope
from .models import Fact, Jurisdiction, Refresh
from .providers import Figure, figure, figures

ALL = "*"
SIZE_CODES = [*(str(v) for v in SizeClass.values), ""]
CHILD_LEVEL = {"": "province", "province": "city", "city": "district", "district": ""}


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters, already inside the scope."""

    scope: Scope
    cluster: str = ""
    chain: str = ""
    division: str = ""
    size: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def group(self) -> str:
        if self.cluster:
            return f"cluster:{self.cluster}"
        if self.chain:
            return f"chain:{self.chain}"
        return ""

    def fact_kwargs(self) -> dict:
        """Summary-table lookups: the rows summed over industry and size ("*") unless one of
        those two filters is set; with the size alone, the rows summed over industry."""
        kwargs = {"group": self.group, **self.scope.filter_kwargs()}
        if not self.division:
            kwargs.update(industry_division=ALL, size=self.size or ALL)
            return kwargs
        kwargs["industry_division"] = self.division
        if self.size:
            kwargs["size"] = self.size
        else:
            kwargs["size__in"] = SIZE_CODES
        return kwargs

    def record_params(self) -> dict[str, str]:
        """The filters as the records pages (and the registry list) take them."""
        params = {
            "region": self.scope.code,
            "cluster": self.cluster,
            "chain": self.chain,
            "division": self.division,
            "size": self.size,
        }
        return {k: v for k, v in params.items() if v}

    def query(self, **extra) -> str:
        params = self.record_params()
        if self.start:
            params["start"] = month_label(self.start)
        if self.end:
            params["end"] = month_label(self.end)
        params.update({k: v for k, v in extra.items() if v is not None})
        return urlencode(params)


@dataclass
class FigureValue:
    figure: Figure
    value: Decimal
    link: str
    keys: list[dict] = field(default_factory=list)


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    end = dt.date(today.year, today.month, 1)
    return add_months(end, -17), end


def records_url(
    fig: Figure, filters: Filters, *, key: str = "", month: dt.date | None = None
) -> str:
    """The records behind a number: the owning app's list when it has one, else the records
    page of the figure (same filters, same scope)."""
    if fig.records is not None and not key and month is None:
        return fig.records(filters.record_params())
    # A drawn dashboard asks for ~700 of these (every figure, key and month); the parts are
    # encoded once each: the filters' part, then key, start and end, in that order (the same
    # string as one urlencode of them all).
    parts = [_params_query(filters), urlencode({"key": key}) if key else ""]
    if month is not None:
        parts.append(_period_query(month, month))
    elif not fig.stock:
        parts.append(_period_query(filters.start, filters.end))
    query = "&".join(p for p in parts if p)
    return f"{_records_path(fig.name)}?{query}"


@lru_cache(maxsize=256)
def _params_query(filters: Filters) -> str:
    return urlencode(filters.record_params())


@lru_cache(maxsize=1024)
def _period_query(start: dt.date | None, end: dt.date | None) -> str:
    period = {
        "start": month_label(start) if start else None,
        "end": month_label(end) if end else None,
    }
    return urlencode({k: v for k, v in period.items() if v})


@cache
def _records_path(name: str) -> str:
    return reverse("insights:records", args=[name])


def dashboard(filters: Filters) -> dict:
    """Every registered figure's total (stocks up to the end of the period, flows within it),
    its split by key and the monthly series. One query on the summary table."""
    start, end = filters.start, filters.end
    base = Fact.objects.filter(**filters.fact_kwargs())
    if end:
        base = base.filter(month__lte=end)
    registered = figures()
    stocks = {f.name for f in registered if f.stock}
    totals: dict[tuple[str, str], Decimal] = {}
    series: dict[str, dict[dt.date, Decimal]] = {}
    opening: dict[str, Decimal] = {}
    budgeted = {f.name for f in registered if f.budgets is not None}
    key_months: dict[tuple[str, str], dict[dt.date, Decimal]] = {}
    rows = base.values_list("figure", "key", "month").annotate(v=Sum("value")).order_by()
    for name, key, month, value in rows:
        if name in budgeted:
            by_key = key_months.setdefault((name, key), {})
            by_key[month] = by_key.get(month, Decimal("0")) + value
        before = bool(start) and month < start
        if before and name not in stocks:
            continue
        totals[(name, key)] = totals.get((name, key), Decimal("0")) + value
        if before:
            opening[name] = opening.get(name, Decimal("0")) + value
        else:
            by_month = series.setdefault(name, {})
            by_month[month] = by_month.get(month, Decimal("0")) + value
    months = months_between(start, end) if start and end else []
    by_figure: dict[str, list[tuple[str, Decimal]]] = {}
    for (name, key), value in totals.items():
        by_figure.setdefault(name, []).append((key, value))
    values: dict[str, FigureValue] = {}
    for fig in registered:
        parts = by_figure.get(fig.name, [])
        labels = fig.key_labels() if fig.key_labels and parts else {}
        # keys in the order their labels are declared (大, 中, 小, 微 — not by code), then any
        # key without a label in code order
        declared = {k: i for i, k in enumerate(labels)}
        keys = sorted(
            (k for k, _v in parts if k), key=lambda k: (declared.get(k, len(declared)), k)
        )
        split = dict(parts)
        values[fig.name] = FigureValue(
            figure=fig,
            value=sum((v for _k, v in parts), Decimal("0")),
            link=records_url(fig, filters),
            keys=[
                {
                    "key": k,
                    "label": labels.get(k, k),
                    "value": split[k],
                    "link": records_url(fig, filters, key=k),
                }
                for k in keys
            ],
        )
    monthly = {}
    for fig in registered:
        points = []
        running = opening.get(fig.name, Decimal("0"))
        mine = series.get(fig.name, {})
        for month in months:
            v = mine.get(month, Decimal("0"))
            running += v
            points.append(
                {
                    "month": month,
                    "label": month_label(month),
                    "value": running if fig.stock else v,
                    "link": records_url(fig, filters, month=month),
                }
            )
        monthly[fig.name] = points
    return {
        "values": values,
        "monthly": monthly,
        "months": months,
        "budgets": _budgets(registered, key_months, months, start),
    }


def _budgets(registered, key_months, months, start) -> list[dict]:
    """Each budgeted key (a policy) with its budget, what was paid (within the scope) up to
    the end of the period and the budget left at the end of each month."""
    out = []
    for fig in registered:
        if fig.budgets is None:
            continue
        budgets = fig.budgets()
        labels = fig.key_labels() if fig.key_labels else {}
        for (name, key), by_month in sorted(key_months.items()):
            if name != fig.name or key not in budgets:
                continue
            budget = Decimal(budgets[key])
            opening = sum((v for m, v in by_month.items() if start and m < start), Decimal("0"))
            points = burn_down(budget - opening, by_month, months)
            paid = opening + (points[-1].paid_to_date if points else Decimal("0"))
            out.append(
                {
                    "figure": fig,
                    "key": key,
                    "label": labels.get(key, key),
                    "budget": budget,
                    "paid": paid,
                    "remaining": budget - paid,
                    "points": [
                        {"month": p.month, "label": month_label(p.month), "value": p.remaining}
                        for p in points
                    ],
                }
            )
    return out


def by_region(filters: Filters, figure_name: str) -> list[dict]:
    """One figure split by the next region level inside the scope (the table under the map)."""
    fig = figure(figure_name)
    level = CHILD_LEVEL[filters.scope.level]
    if fig is None or not level:
        return []
    column = COLUMN[level]
    qs = Fact.objects.filter(figure=figure_name, **filters.fact_kwargs())
    if filters.end:
        qs = qs.filter(month__lte=filters.end)
    if filters.start and not fig.stock:
        qs = qs.filter(month__gte=filters.start)
    amounts = {
        row[column]: row["v"] for row in qs.values(column).annotate(v=Sum("value")).order_by()
    }
    regions = Region.objects.filter(level=level, valid_to__isnull=True)
    if filters.scope.code:
        regions = regions.filter(code__startswith=filters.scope.prefix)
    out = []
    for region in regions.order_by("code"):
        sub = Filters(
            scope=Scope(code=region.code, level=level, name=region.name),
            cluster=filters.cluster,
            chain=filters.chain,
            division=filters.division,
            size=filters.size,
            start=filters.start,
            end=filters.end,
        )
        value = amounts.get(region.code, Decimal("0"))
        out.append(
            {
                "code": region.code,
                "name": region.name,
                "value": value,
                "link": records_url(fig, sub),
                "drill": f"?{sub.query()}",
            }
        )
    return out


def last_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-finished_at", "-id").first()


def filter_choices(scope: Scope) -> dict:
    """The options of the filter form within the scope."""
    regions = Region.objects.filter(valid_to__isnull=True)
    if scope.code:
        regions = regions.filter(code__startswith=scope.prefix)
    if scope.level not in ("city", "district"):
        regions = regions.exclude(level="district")
    regions = list(regions.order_by("code"))
    return {
        "regions": regions,
        "clusters": list(Cluster.objects.order_by("code")),
        "chains": list(IndustrialChain.objects.order_by("code")),
        "divisions": list(Industry.objects.filter(level="division").order_by("code")),
    }


def filter_names(filters: Filters) -> list[tuple[str, str]]:
    """The dashboard's filters in force as people read them (集群 无锡物联网集群, 企业规模 中型),
    in the dashboard form's words: for the PDF's meta line, never the codes."""
    from django.utils.translation import gettext as _

    out = []
    for label, model, code in (
        (_("Cluster"), Cluster, filters.cluster),
        (_("Industrial chain"), IndustrialChain, filters.chain),
        (_("Industry division"), Industry, filters.division),
    ):
        if code:
            found = model.objects.filter(code=code).first()
            out.append((label, found.name if found is not None else code))
    if filters.size:
        sizes = dict(SizeClass.choices)
        out.append((_("Size"), str(sizes.get(filters.size, filters.size))))
    return out


def region_labels(codes) -> dict[str, str]:
    """Each region code with its names from the province down (江苏省 · 无锡市). One query."""
    codes = {c for c in codes if c}
    wanted = {p for c in codes for p in (c[:2] + "0000", c[:4] + "00", c)}
    names = {r.code: r.name for r in Region.objects.filter(code__in=wanted)}
    return {
        c: " · ".join(
            names[p] for p in dict.fromkeys((c[:2] + "0000", c[:4] + "00", c)) if p in names
        )
        for c in codes
    }


def government_units():
    """The active government units (whose officers see dashboards), in name order."""
    from zhizao.registry.enums import OrganizationKind
    from zhizao.registry.models import Organization

    return Organization.objects.filter(kind=OrganizationKind.GOVERNMENT, is_active=True).order_by(
        "name_sort", "id"
    )


def jurisdiction_rows(units) -> list[dict]:
    """Each unit with the region its officers see: its jurisdiction, or (without one) the
    region of its own address. Two queries for the whole page."""
    units = list(units)
    held = dict(
        Jurisdiction.objects.filter(organization__in=units).values_list(
            "organization_id", "region_id"
        )
    )
    labels = region_labels([*held.values(), *(u.region_id for u in units)])
    return [
        {
            "unit": unit,
            "set": unit.pk in held,
            "region": labels.get(held.get(unit.pk) or unit.region_id, ""),
        }
        for unit in units
    ]


def jurisdiction_of(unit) -> Region | None:
    found = Jurisdiction.objects.filter(organization=unit).select_related("region").first()
    return found.region if found else None
