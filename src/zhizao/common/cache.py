"""The database cache with an atomic ``incr``, and its table created by every ``migrate``
(before the migrations run, since a data migration may write through the cache).

Django's database cache increments by reading the value and writing it back, so two app
processes counting the same login attempt at once could both write the same number. Here the
row is locked first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite transactions already take
the write lock when they begin), and the expiry time is kept, as Redis keeps a key's TTL.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.management import call_command
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        db_key = self.make_and_validate_key(key, version=version)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote_name('cache_key')} FROM {table} "  # noqa: S608 (quoted names)
                f"WHERE {quote_name('cache_key')} = %s{lock}",
                [db_key],
            )
            value = self.get(key, version=version)  # None when missing or expired
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s "  # noqa: S608 (quoted names)
                f"WHERE {quote_name('cache_key')} = %s",
                [encoded, db_key],
            )
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)


def create_cache_tables(sender, *, using: str = "default", verbosity: int = 1, **kwargs) -> None:
    """``pre_migrate``: a migrated database has the table of every configured database cache
    (``createcachetable`` skips tables that exist)."""
    call_command("createcachetable", database=using, verbosity=0)
