"""Fast inserts for bulk writes (imports, demo data).

``bulk_create`` spends most of its time compiling SQL value by value (measured: about 75% of
an import's write phase). For the few tables that imports fill, rows are prepared once per
column type and written with the driver's ``executemany`` inside the caller's transaction.
Audited models written this way get their audit entries written the same way, by the caller.

Writes that Django sends no model signal for (``QuerySet.update()``, ``bulk_update()``, links
written through a many-to-many table) are wrapped in ``bulk_write(model, pks)`` so that the
listeners that keep derived data current (the insights summary tables' dirty months) see them:
``bulk_write_started`` is sent before the write and ``bulk_write_finished`` after it, both with
the primary keys and one ``state`` dict the listeners share between the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Model
from django.dispatch import Signal

bulk_write_started = Signal()
bulk_write_finished = Signal()


@contextmanager
def bulk_write(model: type[Model], pks: Iterable[int]) -> Iterator[list[int]]:
    """Announce a write to ``model``'s rows ``pks`` that sends no model signal. Use inside the
    caller's transaction, around the write itself:

        with bulk_write(Assessment, ids):
            Assessment.objects.filter(pk__in=ids).update(is_latest=False)
    """
    ids = list(pks)
    state: dict[str, Any] = {}
    if ids:
        bulk_write_started.send(sender=model, pks=ids, state=state)
    yield ids
    if ids:
        bulk_write_finished.send(sender=model, pks=ids, state=state)


def prepare_json(model: type[Model], field_name: str, value: Any) -> Any:
    """A JSON value as the database driver takes it (a string on SQLite, Jsonb on PostgreSQL)."""
    return model._meta.get_field(field_name).get_db_prep_save(value, connection)


def insert_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 5000,
) -> int:
    """INSERT ``rows`` (values already prepared for the database) into ``model``'s table."""
    opts = model._meta
    columns = [opts.get_field(name).column for name in fields]
    quote = connection.ops.quote_name
    # Table and column names come from model metadata, never from input; values are parameters.
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    if connection.vendor == "postgresql":
        return _copy_rows(opts.db_table, columns, rows)
    written = 0
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def datetime_value(value) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def decimal_value(value, max_digits: int = 16, decimal_places: int = 2) -> Any:
    if value is None:
        return None
    return connection.ops.adapt_decimalfield_value(value, max_digits, decimal_places)


def _copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL: COPY is several times faster than executemany for many rows."""
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def refresh_statistics(table: str) -> None:
    """After a bulk write, give the query planner fresh statistics (SQLite keeps none by itself;
    PostgreSQL's autovacuum would, but later)."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
