"""Which months of the summary tables a write touched (the incremental refresh rebuilds only
those).

The hook is ``mark_months`` / ``mark_organizations``; it is wired to the model signals of
every registered figure when the app starts, so the apps' services need no change:

- a row of a figure saved or deleted marks the month of its date before and after the write;
- a row on the date path of a figure (a name list whose announcement dates its entries)
  marks the months of its date field before and after;
- an organisation whose region, industry, size, kind or activity changed, or which joined
  or left a cluster or chain node, marks every month in which it has rows in any figure.

Writes that bypass model signals are handled as follows: new rows (``bulk_create``, imports,
the demo generators) are found by the refresh itself through a per-source watermark (the
highest primary key it has seen); queryset ``update()``, ``bulk_update()`` and links written
through a many-to-many table are wrapped by the services in ``common.bulk.bulk_write(model,
pks)``, whose signals mark the months of those rows before and after the write (for
organisations: every month in which they have rows). ``tests/insights/test_bulk_writes.py``
lists every such write on a source model and fails on a new one that is not wrapped."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils import timezone

from zhizao.common.bulk import bulk_write_finished, bulk_write_started

from .models import DirtyMonth
from .providers import figures

CHUNK = 900  # primary keys per IN (...) list

ORG_DIMENSIONS = (
    "region_id",
    "province_code",
    "city_code",
    "industry_division",
    "size",
    "kind",
    "is_active",
)


def month_of(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return dt.date(value.year, value.month, 1)


def mark_months(values: Iterable) -> int:
    """Mark the months of ``values`` (dates or datetimes; None ignored) for the next
    incremental refresh. Written in the caller's transaction."""
    months = {m for m in (month_of(v) for v in values) if m is not None}
    DirtyMonth.objects.bulk_create([DirtyMonth(month=m) for m in sorted(months)])
    return len(months)


def mark_everything() -> None:
    """The next incremental refresh rebuilds every month."""
    DirtyMonth.objects.create(month=None)


def organization_months(org_ids: Iterable[int]) -> set[dt.date]:
    ids = list(org_ids)
    months: set[dt.date] = set()
    if not ids:
        return months
    for fig in figures():
        path = f"{fig.organization}__in" if fig.organization else "pk__in"
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            qs = fig.queryset().filter(**{path: chunk, f"{fig.date}__isnull": False})
            for value in qs.order_by().values_list(fig.date, flat=True).distinct():
                months.add(month_of(value))
    return months


def mark_organizations(org_ids: Iterable[int]) -> int:
    """Mark every month in which these organisations have rows in any figure (after a change
    of region, industry, size or membership moves all their rows between cells)."""
    return mark_months(organization_months(org_ids))


# --- wiring ---------------------------------------------------------------------------------


def _sources() -> dict[type, set[str]]:
    """Each model whose writes move a figure, with the date paths to read from its rows."""
    sources: dict[type, set[str]] = defaultdict(set)
    for fig in figures():
        model = fig.queryset().model
        sources[model].add(fig.date)
        parts = fig.date.split("__")
        owner = model
        for part in parts[:-1]:
            owner = owner._meta.get_field(part).related_model
        if owner is not model:
            sources[owner].add(parts[-1])
    return sources


def _dates(model, pk, paths: list[str]) -> list:
    row = model._default_manager.filter(pk=pk).values_list(*paths).first()
    return list(row) if row else []


def _many_dates(model, pks: list[int], paths: list[str]) -> list:
    values: list = []
    for start in range(0, len(pks), CHUNK):
        rows = model._default_manager.filter(pk__in=pks[start : start + CHUNK]).values_list(*paths)
        for row in rows.order_by().distinct():
            values.extend(row)
    return values


def _connect_source(model, paths: list[str]) -> None:
    uid = f"insights-dirty-{model._meta.label_lower}"

    def before_save(sender, instance, raw=False, **kwargs):
        if raw or instance.pk is None:
            return
        instance._insights_dates = _dates(sender, instance.pk, paths)

    def after_save(sender, instance, raw=False, **kwargs):
        if raw:
            return
        old = getattr(instance, "_insights_dates", [])
        instance._insights_dates = []
        mark_months([*old, *_dates(sender, instance.pk, paths)])

    def before_delete(sender, instance, **kwargs):
        mark_months(_dates(sender, instance.pk, paths))

    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=f"{uid}-pre")
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=f"{uid}-post")
    pre_delete.connect(before_delete, sender=model, weak=False, dispatch_uid=f"{uid}-del")

    def before_bulk(sender, pks, state, **kwargs):
        state[uid] = _many_dates(sender, pks, paths)

    def after_bulk(sender, pks, state, **kwargs):
        mark_months([*state.pop(uid, []), *_many_dates(sender, pks, paths)])

    bulk_write_started.connect(before_bulk, sender=model, weak=False, dispatch_uid=f"{uid}-bb")
    bulk_write_finished.connect(after_bulk, sender=model, weak=False, dispatch_uid=f"{uid}-ba")


def _connect_organizations() -> None:
    from zhizao.registry.models import Organization

    def before_save(sender, instance, raw=False, **kwargs):
        if raw or instance.pk is None:
            return
        instance._insights_dims = (
            sender._default_manager.filter(pk=instance.pk).values_list(*ORG_DIMENSIONS).first()
        )

    def after_save(sender, instance, raw=False, **kwargs):
        if raw:
            return
        before = getattr(instance, "_insights_dims", None)
        instance._insights_dims = None
        if before is not None and before != tuple(getattr(instance, f) for f in ORG_DIMENSIONS):
            mark_organizations([instance.pk])

    def membership(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("pre_clear", "post_add", "post_remove"):
            return
        if not reverse:
            mark_organizations([instance.pk])
        elif action == "pre_clear":
            mark_organizations(instance.organizations.values_list("pk", flat=True))
        else:
            mark_organizations(pk_set or [])

    def before_bulk(sender, pks, state, **kwargs):
        # the rows' months under their old cells (the write may move them to new ones)
        state["insights-dirty-organization"] = organization_months(pks)

    def after_bulk(sender, pks, state, **kwargs):
        before = state.pop("insights-dirty-organization", set())
        mark_months(before | organization_months(pks))

    uid = "insights-dirty-organization"
    bulk_write_started.connect(
        before_bulk, sender=Organization, weak=False, dispatch_uid=f"{uid}-bb"
    )
    bulk_write_finished.connect(
        after_bulk, sender=Organization, weak=False, dispatch_uid=f"{uid}-ba"
    )
    pre_save.connect(before_save, sender=Organization, weak=False, dispatch_uid=f"{uid}-pre")
    post_save.connect(after_save, sender=Organization, weak=False, dispatch_uid=f"{uid}-post")
    for through in (Organization.clusters.through, Organization.chain_nodes.through):
        m2m_changed.connect(
            membership, sender=through, weak=False, dispatch_uid=f"{uid}-{through.__name__}"
        )


def connect() -> None:
    """Wire the hooks to every registered figure's models (``InsightsConfig.ready``)."""
    for model, paths in _sources().items():
        _connect_source(model, sorted(paths))
    _connect_organizations()
