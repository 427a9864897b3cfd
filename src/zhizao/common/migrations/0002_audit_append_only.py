"""Make the audit log append-only in the database itself, on SQLite and PostgreSQL."""

from django.db import migrations

SQLITE_UP = [
    "CREATE TRIGGER common_auditentry_no_update BEFORE UPDATE ON common_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    "CREATE TRIGGER common_auditentry_no_delete BEFORE DELETE ON common_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS common_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS common_auditentry_no_delete;",
]
PG_UP = [
    """CREATE OR REPLACE FUNCTION common_auditentry_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
    "CREATE TRIGGER common_auditentry_no_change BEFORE UPDATE OR DELETE ON common_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION common_auditentry_append_only();",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS common_auditentry_no_change ON common_auditentry;",
    "DROP FUNCTION IF EXISTS common_auditentry_append_only();",
]


def forwards(apps, schema_editor):
    statements = PG_UP if schema_editor.connection.vendor == "postgresql" else SQLITE_UP
    if schema_editor.connection.vendor not in {"postgresql", "sqlite"}:
        return
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = PG_DOWN if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN
    if schema_editor.connection.vendor not in {"postgresql", "sqlite"}:
        return
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
