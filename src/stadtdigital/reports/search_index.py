"""The full-text index of public reports' public text (description and address), decision 0025.

Only public columns are indexed (never internal notes, event data or personal data), and on SQLite only
PUBLIC reports: hiding a report removes it from the index, publishing it puts it back (the triggers also
fire on UPDATE OF visibility). So the index alone answers how many public reports match, and a hidden
report cannot match even if a query forgot the visibility filter.

PostgreSQL: the generated column `reports_report.search_vector` and the partial GIN index
`report_public_search_gin` (public reports only, the only ones any search reads).
SQLite: the FTS5 table `reports_report_search` (rowid = an order key from created_at and the report id,
core.fulltext.SqliteIndex) and three triggers on `reports_report`.
Django's SQLite schema editor rebuilds a table for many field changes (a new table, copy, drop, rename),
which drops the table's triggers; `ensure_search_index` (after every `migrate`) puts them back and then
rebuilds the index, since writes made without the triggers would be missing.
"""

from django.db import connection as default_connection

from stadtdigital.core.fulltext import SQLITE_TERMS_FUNCTION, FullTextMatch, SqliteIndex, sqlite_order_key

TABLE = "reports_report"
SQLITE_TABLE = "reports_report_search"
SQLITE_VOCABULARY = "reports_report_search_terms"  # fts5vocab: the terms, for prefix look-ups
PG_COLUMN = "search_vector"
PG_INDEX = "report_public_search_gin"
SEARCHED = ("description", "address")
PUBLIC = "public"  # Visibility.PUBLIC (no model import: migrations import this module)

SQLITE_INDEX = SqliteIndex(
    table=SQLITE_TABLE,
    vocabulary=SQLITE_VOCABULARY,
    newest_first=("-created_at", "-id"),
    only=("visibility", PUBLIC),
)

_TERMS_OF_NEW = f"{SQLITE_TERMS_FUNCTION}({', '.join(f'new.{c}' for c in SEARCHED)})"
_KEY_OF_NEW = sqlite_order_key("new.created_at", "new.id")
_KEY_OF_OLD = sqlite_order_key("old.created_at", "old.id")
_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in (*SEARCHED, "visibility", "created_at"))
SQLITE_TRIGGERS = {
    "reports_report_public_search_insert": (
        f"CREATE TRIGGER IF NOT EXISTS reports_report_public_search_insert AFTER INSERT ON {TABLE} "  # noqa: S608
        f"WHEN new.visibility = '{PUBLIC}' BEGIN "
        f"INSERT INTO {SQLITE_TABLE}(rowid, terms) VALUES ({_KEY_OF_NEW}, {_TERMS_OF_NEW}); END"
    ),
    # Text edits and visibility changes: out of the index, and back in with the new text if public.
    "reports_report_public_search_update": (
        f"CREATE TRIGGER IF NOT EXISTS reports_report_public_search_update "  # noqa: S608
        f"AFTER UPDATE OF {', '.join(SEARCHED)}, visibility, created_at ON {TABLE} WHEN {_CHANGED} BEGIN "
        f"DELETE FROM {SQLITE_TABLE} WHERE rowid = {_KEY_OF_OLD}; "
        f"INSERT INTO {SQLITE_TABLE}(rowid, terms) SELECT {_KEY_OF_NEW}, {_TERMS_OF_NEW} "
        f"WHERE new.visibility = '{PUBLIC}'; END"
    ),
    "reports_report_public_search_delete": (
        f"CREATE TRIGGER IF NOT EXISTS reports_report_public_search_delete AFTER DELETE ON {TABLE} "  # noqa: S608
        f"WHEN old.visibility = '{PUBLIC}' BEGIN DELETE FROM {SQLITE_TABLE} WHERE rowid = {_KEY_OF_OLD}; END"
    ),
}
# Names of 0002's triggers (every report, no visibility), dropped by migration 0003.
OLD_SQLITE_TRIGGERS = (
    "reports_report_search_insert",
    "reports_report_search_update",
    "reports_report_search_delete",
)
OLD_PG_INDEX = "report_search_gin"


def matching(text: str, *, lookups: bool = True) -> FullTextMatch:
    """A filter() condition: reports whose public text contains every word of `text` (German stems).
    On SQLite it also means "public" (only public reports are indexed); callers filter visibility anyway.
    `lookups=False`: no SQLite look-ups before the query (see FullTextMatch)."""
    return FullTextMatch(text, table=TABLE, sqlite=SQLITE_INDEX, pg_column=PG_COLUMN, sqlite_lookups=lookups)


def _sqlite_names(cursor, kind: str) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = %s", [kind])
    return {name for (name,) in cursor.fetchall()}


def rebuild_sqlite(cursor) -> None:
    cursor.execute(f"DELETE FROM {SQLITE_TABLE}")  # noqa: S608
    columns = ", ".join(SEARCHED)
    cursor.execute(
        f"INSERT INTO {SQLITE_TABLE}(rowid, terms) "  # noqa: S608
        f"SELECT {sqlite_order_key('created_at', 'id')}, {SQLITE_TERMS_FUNCTION}({columns}) "
        f"FROM {TABLE} WHERE visibility = '{PUBLIC}'"
    )
    cursor.execute(f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('optimize')")  # noqa: S608


def _ensure_postgresql(cursor) -> None:
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
    cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [PG_INDEX])
    if cursor.fetchone() is None:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} USING GIN ({PG_COLUMN}) "
            f"WHERE visibility = '{PUBLIC}'"
        )


def ensure_search_index(connection=None) -> bool:
    """Creates what is missing of the index (idempotent); True if the SQLite index had to be rebuilt."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _ensure_postgresql(cursor)
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
        if SQLITE_VOCABULARY not in tables:
            cursor.execute(f"CREATE VIRTUAL TABLE {SQLITE_VOCABULARY} USING fts5vocab({SQLITE_TABLE}, row)")
        for sql in SQLITE_TRIGGERS.values():
            cursor.execute(sql)
        if rebuild:
            rebuild_sqlite(cursor)
        return rebuild


def drop_search_index(connection, *, sqlite_triggers=SQLITE_TRIGGERS, pg_index=PG_INDEX) -> None:
    """Removes the SQLite table and triggers, or the PostgreSQL index (migrations 0002/0003)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {pg_index}")
        elif connection.vendor == "sqlite":
            for name in sqlite_triggers:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_VOCABULARY}")
            cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")


def ensure_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (see module doc)."""
    from django.db import connections

    ensure_search_index(connections[using])
