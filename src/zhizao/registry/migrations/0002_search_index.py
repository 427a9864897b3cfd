"""On PostgreSQL, a trigram index makes the substring search over the registry an index scan.

SQLite has no equivalent; it scans ``search_text`` (measured in docs/benchmarks.md).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm;")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registry_organization_search_trgm "
        "ON registry_organization USING gin (search_text gin_trgm_ops);"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS registry_organization_search_trgm;")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
