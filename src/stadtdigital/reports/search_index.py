"""The full-text index of reports' public text (description and address), decision 0025.

Only public columns are indexed: never internal notes, event data or personal data. The index holds every
report (visibility is filtered by the query, as everywhere), so publishing or hiding a report needs no
index write.

PostgreSQL: the generated column `reports_report.search_vector` and the GIN index `report_search_gin`.
SQLite: the FTS5 table `reports_report_search` and three triggers on `reports_report`. Django's SQLite
schema editor rebuilds a table for many field changes (a new table, copy, drop, rename), which drops the
table's triggers; `ensure_search_index` (after every `migrate`) puts them back and then rebuilds the index,
since writes made without the triggers would be missing.
"""

from django.db import connection as default_connection

from stadtdigital.core.fulltext import SQLITE_TERMS_FUNCTION, FullTextMatch

TABLE = "reports_report"
SQLITE_TABLE = "reports_report_search"
PG_COLUMN = "search_vector"
SEARCHED = ("description", "address")

_TERMS_OF_NEW = f"{SQLITE_TERMS_FUNCTION}({', '.join(f'new.{c}' for c in SEARCHED)})"
_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in SEARCHED)
SQLITE_TRIGGERS = {
    "reports_report_search_insert": (
        f"CREATE TRIGGER IF NOT EXISTS reports_report_search_insert AFTER INSERT ON {TABLE} BEGIN "  # noqa: S608
        f"INSERT INTO {SQLITE_TABLE}(rowid, terms) VALUES (new.id, {_TERMS_OF_NEW}); END"
    ),
    "reports_report_search_update": (
        f"CREATE TRIGGER IF NOT EXISTS reports_report_search_update "  # noqa: S608
        f"AFTER UPDATE OF {', '.join(SEARCHED)} ON {TABLE} WHEN {_CHANGED} BEGIN "
        f"UPDATE {SQLITE_TABLE} SET terms = {_TERMS_OF_NEW} WHERE rowid = new.id; END"
    ),
    "reports_report_search_delete": (
        f"CREATE TRIGGER IF NOT EXISTS reports_report_search_delete AFTER DELETE ON {TABLE} BEGIN "  # noqa: S608
        f"DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id; END"
    ),
}


def matching(text: str) -> FullTextMatch:
    """A filter() condition: reports whose public text contains every word of `text` (German stems)."""
    return FullTextMatch(text, table=TABLE, sqlite_table=SQLITE_TABLE, pg_column=PG_COLUMN)


def _sqlite_names(cursor, kind: str) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = %s", [kind])
    return {name for (name,) in cursor.fetchall()}


def rebuild_sqlite(cursor) -> None:
    cursor.execute(f"DELETE FROM {SQLITE_TABLE}")  # noqa: S608
    columns = ", ".join(SEARCHED)
    cursor.execute(
        f"INSERT INTO {SQLITE_TABLE}(rowid, terms) SELECT id, {SQLITE_TERMS_FUNCTION}({columns}) FROM {TABLE}"  # noqa: S608
    )
    cursor.execute(f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('optimize')")  # noqa: S608


def ensure_search_index(connection=None) -> bool:
    """Creates what is missing of the index (idempotent); True if the SQLite index had to be rebuilt."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Look first: ALTER TABLE / CREATE INDEX even "IF NOT EXISTS" fail inside a transaction that has
            # pending trigger events (e.g. a migrate run after inserts in the same transaction).
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                [TABLE, PG_COLUMN],
            )
            if cursor.fetchone() is None:
                cursor.execute(
                    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector GENERATED ALWAYS AS "
                    f"(to_tsvector('german'::regconfig, "
                    + " || ' ' || ".join(f"coalesce({c}, '')" for c in SEARCHED)
                    + ")) STORED"
                )
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'report_search_gin'")
            if cursor.fetchone() is None:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS report_search_gin ON {TABLE} USING GIN ({PG_COLUMN})"
                )
            return False
        if connection.vendor != "sqlite":
            return False
        tables, triggers = _sqlite_names(cursor, "table"), _sqlite_names(cursor, "trigger")
        if TABLE not in tables:
            return False
        rebuild = SQLITE_TABLE not in tables or not set(SQLITE_TRIGGERS) <= triggers
        if SQLITE_TABLE not in tables:
            # detail=none: only which rows hold a term (no positions), the smallest index; enough for
            # AND-ed words and prefixes. The stored text is stems already, so unicode61 only splits it.
            cursor.execute(f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(terms, detail=none)")
        for sql in SQLITE_TRIGGERS.values():
            cursor.execute(sql)
        if rebuild:
            rebuild_sqlite(cursor)
        return rebuild


def ensure_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (see module doc)."""
    from django.db import connections

    ensure_search_index(connections[using])
