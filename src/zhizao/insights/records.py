"""The records behind a number: the rows of a figure's queryset with the dashboard's filters
and the membership's scope, one page at a time."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from zhizao_core.insights import add_months

from .access import COLUMN
from .providers import Figure
from .selectors import Filters


def _moment(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the current time zone (a date field takes its date)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def records_queryset(fig: Figure, filters: Filters, *, key: str = ""):
    org = f"{fig.organization}__" if fig.organization else ""
    qs = fig.queryset().filter(**{f"{fig.date}__isnull": False})
    scope = filters.scope
    if scope.code:
        qs = qs.filter(
            **{f"{org}{COLUMN[scope.level].replace('region_code', 'region_id')}": scope.code}
        )
    if filters.division:
        qs = qs.filter(**{f"{org}industry_division": filters.division})
    if filters.size:
        qs = qs.filter(**{f"{org}size": filters.size})
    if filters.cluster:
        qs = qs.filter(**{f"{org}clusters__code": filters.cluster})
    elif filters.chain:
        qs = qs.filter(**{f"{org}chain_nodes__chain__code": filters.chain}).distinct()
    if filters.end:
        qs = qs.filter(**{f"{fig.date}__lt": _moment(add_months(filters.end, 1))})
    if filters.start and not fig.stock:
        qs = qs.filter(**{f"{fig.date}__gte": _moment(filters.start)})
    if key and fig.key:
        qs = qs.filter(**{fig.key: key})
    return qs


def records_page(fig: Figure, filters: Filters, *, key: str = "", page=None):
    org = f"{fig.organization}__" if fig.organization else ""
    values = ["pk", fig.date, f"{org}pk" if org else "pk", f"{org}name" if org else "name"]
    if fig.key:
        values.append(fig.key)
    if fig.amount:
        values.append(fig.amount)
    qs = records_queryset(fig, filters, key=key).order_by(f"-{fig.date}", "-pk")
    paginator = Paginator(qs.values_list(*values), 50)
    page_obj = paginator.get_page(page)
    labels = fig.key_labels() if fig.key_labels else {}
    model = fig.queryset().model
    details = {}
    if fig.detail is not None:
        ids = [row[0] for row in page_obj.object_list]
        details = {obj.pk: fig.detail(obj) for obj in model.objects.filter(pk__in=ids)}
    rows = []
    for row in page_obj.object_list:
        date = row[1]
        if isinstance(date, dt.datetime):
            date = date.date()
        entry = {
            "date": date,
            "organization_id": row[2],
            "organization": row[3],
            "organization_url": reverse("registry:organization_detail", args=[row[2]]),
            "detail": details.get(row[0], ""),
        }
        i = 4
        if fig.key:
            entry["key"] = "" if fig.private else labels.get(str(row[i]), row[i])
            i += 1
        if fig.amount:
            entry["amount"] = row[i]
        rows.append(entry)
    page_obj.object_list = rows
    return page_obj
