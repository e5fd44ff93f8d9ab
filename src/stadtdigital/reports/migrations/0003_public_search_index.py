"""The search index holds public reports only (decision 0025): SQLite's FTS5 table is rebuilt with the
public reports and triggers that also follow visibility; PostgreSQL's GIN index becomes a partial index on
public reports. Raw SQL: neither is part of Django's model state."""

from django.db import migrations


def public_only(apps, schema_editor):
    from stadtdigital.reports import search_index

    connection = schema_editor.connection
    search_index.drop_search_index(
        connection,
        sqlite_triggers=(*search_index.OLD_SQLITE_TRIGGERS, *search_index.SQLITE_TRIGGERS),
        pg_index=search_index.OLD_PG_INDEX,
    )
    search_index.ensure_search_index(connection)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_fulltext_search")]

    # Backwards: the public-only index still answers every search (all of them filter visibility).
    operations = [migrations.RunPython(public_only, migrations.RunPython.noop, elidable=False)]
