"""Make payments (拨付) append-only in the database itself, on SQLite and PostgreSQL, as the
audit log is (common/0002)."""

from django.db import migrations

SQLITE_UP = [
    "CREATE TRIGGER policies_payment_no_update BEFORE UPDATE ON policies_payment "
    "BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;",
    "CREATE TRIGGER policies_payment_no_delete BEFORE DELETE ON policies_payment "
    "BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS policies_payment_no_update;",
    "DROP TRIGGER IF EXISTS policies_payment_no_delete;",
]
PG_UP = [
    """CREATE OR REPLACE FUNCTION policies_payment_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'payments are append-only'; END; $$ LANGUAGE plpgsql;""",
    "CREATE TRIGGER policies_payment_no_change BEFORE UPDATE OR DELETE ON policies_payment "
    "FOR EACH ROW EXECUTE FUNCTION policies_payment_append_only();",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS policies_payment_no_change ON policies_payment;",
    "DROP FUNCTION IF EXISTS policies_payment_append_only();",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        return
    for sql in PG_UP if vendor == "postgresql" else SQLITE_UP:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        return
    for sql in PG_DOWN if vendor == "postgresql" else SQLITE_DOWN:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
