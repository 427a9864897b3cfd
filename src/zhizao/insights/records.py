"""The records behind a number: the rows of a figure's queryset with the dashboard's filters
and the membership's scope, listed with the shared list machinery (``lists.RECORDS``).

Each figure reads its own model, so ``records_rows`` annotates every figure's rows with the
same names (``rec_date``, ``rec_day``, ``rec_org``, ``rec_org_sort``, ``rec_uscc``,
``rec_key``, ``rec_amount``) that the spec searches, filters and sorts on, and
``records_provider`` is the list's provider hook: it labels each chunk of rows (the item's
name, the organisation's and the record's links) and names the export's columns of the
figure (no item column for a private figure, no amount column for a count)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import DecimalField, F, Value
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhizao.common.lists import Column, Provider
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


def _field(model, path: str):
    """The model field at the end of ``path`` (``enterprise__created_at``)."""
    *relations, last = path.split("__")
    for name in relations:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last)


def records_rows(fig: Figure, filters: Filters, *, key: str = ""):
    """The figure's records as rows with the names ``lists.RECORDS`` reads (values rows)."""
    org = f"{fig.organization}__" if fig.organization else ""
    qs = records_queryset(fig, filters, key=key)
    is_datetime = isinstance(_field(qs.model, fig.date), models.DateTimeField)
    return qs.annotate(
        rec_date=F(fig.date),
        rec_day=TruncDate(fig.date) if is_datetime else F(fig.date),
        rec_org_id=F(f"{org}pk"),
        rec_org=F(f"{org}name"),
        rec_org_sort=F(f"{org}name_sort"),
        rec_uscc=F(f"{org}uscc"),
        # a private figure's key (an enterprise's level) is neither shown, searched nor sorted
        rec_key=F(fig.key) if fig.key and not fig.private else Value(""),
        rec_amount=F(fig.amount)
        if fig.amount
        else Value(None, output_field=DecimalField(max_digits=20, decimal_places=2)),
    ).values("pk", "rec_date", "rec_day", "rec_org_id", "rec_org", "rec_key", "rec_amount")


def _date(value):
    return value.date() if isinstance(value, dt.datetime) else value


def records_provider(fig: Figure) -> Provider:
    """The list's provider hook for ``fig``: labelled rows and the figure's export columns."""
    shows_key = bool(fig.key) and not fig.private
    model = fig.queryset().model

    def rows(chunk: list) -> list:
        labels = fig.key_labels() if shows_key and fig.key_labels else {}
        details = {}
        if fig.detail is not None and chunk:
            ids = [row["pk"] for row in chunk]
            details = {obj.pk: fig.detail(obj) for obj in model.objects.filter(pk__in=ids)}
        out = []
        for row in chunk:
            date = row["rec_date"]
            if isinstance(date, dt.datetime):
                date = timezone.localtime(date) if timezone.is_aware(date) else date
            out.append(
                {
                    "date": _date(date),
                    "organization_id": row["rec_org_id"],
                    "organization": row["rec_org"],
                    "organization_url": reverse(
                        "registry:organization_detail", args=[row["rec_org_id"]]
                    ),
                    "detail": details.get(row["pk"], ""),
                    "key": labels.get(str(row["rec_key"]), row["rec_key"]) if shows_key else "",
                    "amount": row["rec_amount"],
                }
            )
        return out

    columns = [
        Column(_("Date"), lambda r: r["date"].isoformat() if r["date"] else ""),
        Column(_("Organisation"), lambda r: r["organization"]),
    ]
    if shows_key:
        columns.append(Column(_("Item"), lambda r: str(r["key"])))
    if fig.amount:
        columns.append(Column(_("Amount (yuan)"), lambda r: r["amount"]))
    return Provider(rows=rows, columns=tuple(columns))
