"""German full-text search of reports' public text (decision 0025): PostgreSQL tsvector + GIN, SQLite FTS5
with Snowball stems maintained by triggers. Raw SQL: neither is part of Django's model state."""

from django.db import migrations


def install(apps, schema_editor):
    from stadtdigital.reports.search_index import ensure_search_index

    ensure_search_index(schema_editor.connection)


def uninstall(apps, schema_editor):
    from stadtdigital.reports.search_index import (
        OLD_SQLITE_TRIGGERS,
        PG_COLUMN,
        SQLITE_TABLE,
        SQLITE_TRIGGERS,
        SQLITE_VOCABULARY,
        TABLE,
    )

    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {PG_COLUMN}")
    elif connection.vendor == "sqlite":
        for name in (*OLD_SQLITE_TRIGGERS, *SQLITE_TRIGGERS):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {SQLITE_VOCABULARY}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
