"""Small database helpers shared by the apps."""

import json
from collections.abc import Sequence
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Expression, Func, IntegerField, QuerySet


class IdList(Expression):
    """Many integer ids as ONE query parameter, for `filter(x__in=IdList(ids))`.

    `x__in=[...1000 ids...]` makes Django prepare every id on its own and the database parse 1000
    parameters (about 2 ms per 1000 on SQLite); one JSON text (SQLite's json_each) or one array
    (PostgreSQL's unnest) costs a fraction of that and yields the same rows.
    """

    output_field = IntegerField()

    def __init__(self, ids):
        super().__init__()
        self.ids = [int(value) for value in ids]

    def as_sql(self, compiler, connection):
        return "(SELECT unnest(%s::bigint[]))", [self.ids]

    def as_sqlite(self, compiler, connection):
        return "(SELECT value FROM json_each(%s))", [self.parameter(self.ids, connection.vendor)]

    @staticmethod
    def parameter(ids, vendor: str):
        """The one query parameter that carries `ids` (for SQL compiled once, see CompiledValues)."""
        ids = [int(value) for value in ids]
        return json.dumps(ids) if vendor == "sqlite" else ids


class CompiledValues(NamedTuple):
    """The SQL of a `.values()` query, compiled once and run many times with other parameters: building and
    compiling a query with the ORM costs more than running it for small answers (decision 0025).
    `slot` is the place of the one parameter that changes from run to run."""

    sql: str
    params: tuple
    names: tuple[str, ...]
    slot: int | None = None
    # PostgreSQL: run as a prepared statement (see _prepared_statement_cursor). Only for SQL compiled once
    # per process: a list page's SQL repeats per shape too, but a generic plan for its filters' values read
    # a category's page or a district's box 3-5x slower than a plan for the values at hand.
    prepared: bool = True

    @classmethod
    def of(cls, queryset: QuerySet, sentinel=None) -> "CompiledValues":
        """Compiles `queryset` (a `.values()` queryset); `sentinel` is the value of the changing parameter
        as it appears among the compiled parameters. Raises EmptyResultSet for a query that finds nothing
        by construction (e.g. `pk__in=[]`)."""
        query = queryset.query
        sql, params = query.sql_with_params()
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        slot = None if sentinel is None else list(params).index(sentinel)
        return cls(sql, tuple(params), names, slot)

    def dicts(self, value=None) -> list[dict]:
        """The rows as dicts of the column names, read straight from the cursor: no model converters, so
        SQLite answers booleans as 0/1 and datetimes as text (use EpochSeconds for datetimes)."""
        params: Sequence = self.params
        if self.slot is not None:
            params = (*params[: self.slot], value, *params[self.slot + 1 :])
        with _prepared_statement_cursor() if self.prepared else connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            names = self.names
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _prepared_statement_cursor():
    """On PostgreSQL a cursor with server-side binding, which psycopg turns into a prepared statement once
    the same SQL has run `prepare_threshold` times (settings: DB_PREPARE_THRESHOLD): PostgreSQL then skips
    planning, 0.4 of the 0.75 ms of Open311's single-request query. Django's own cursors bind client-side
    and are never prepared. Wrapped as Django wraps its cursors, so query logging and counting still see it.
    Elsewhere Django's cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg

    connection.ensure_connection()
    return connection._prepare_cursor(psycopg.Cursor(connection.connection))


def values_dicts(queryset: QuerySet) -> list[dict]:
    """`list(queryset)` of a `.values()` queryset, read as CompiledValues.dicts() does (the same caveats)."""
    try:
        return CompiledValues.of(queryset)._replace(prepared=False).dicts()
    except EmptyResultSet:
        return []


class EpochSeconds(Func):
    """Whole seconds since 1970-01-01 UTC of a datetime column, computed by the database; NULL stays NULL.

    Django reads a datetime through a converter in Python (SQLite: parse the text; PostgreSQL: its own
    time zone loader): 8-15 ms per 1000 rows x 3 columns. An integer is read for free and
    `datetime.fromtimestamp(value, tz)` is cheap, for output that shows whole seconds anyway (Open311).
    """

    output_field = IntegerField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            # Django stores "YYYY-MM-DD HH:MM:SS.ffffff" (UTC); the first 19 characters are the whole
            # seconds (strftime would round .9995 up). '%%%%' survives both the template's and the SQLite
            # backend's %-formatting as one '%'.
            template="CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER)",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(FLOOR(EXTRACT(EPOCH FROM %(expressions)s)) AS BIGINT)",
            **extra_context,
        )


class Unindexed(Func):
    """A column's value that SQLite's planner will not look up in an index on that column.

    SQLite plans without statistics and sometimes picks an index that makes a query slow (see decisions
    0011 and 0012); the unary `+` (a no-op, also on text) is SQLite's documented way to rule an index out.
    PostgreSQL plans from statistics and gets the plain column. Give `output_field` as the column's field.
    """

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


# Rows SQLite's ANALYZE reads per index (PRAGMA analysis_limit; 0 = all). A sample of 2,000 estimated
# `visibility` as nearly unique, and SQLite then sorted every public report for `updated_after` instead
# of walking report_updated_idx; full statistics take seconds at a million rows and plan right.
SQLITE_ANALYSIS_LIMIT = 0


# Indexes that only queries naming them (INDEXED BY) should use. With statistics SQLite otherwise read
# Open311 boxes through report_nearby_idx (category, is_open, lat) category by category, fetching every
# report of the latitude band for its longitude, instead of report_map_idx, which covers lon.
SQLITE_NAMED_ONLY_INDEXES = ("report_nearby_idx",)


def _pin_sqlite_index_statistics(cursor) -> None:
    """Writes the statistics of SQLITE_NAMED_ONLY_INDEXES as 'every prefix matches every row' and
    `noskipscan`, so the planner never prefers them, and reloads the statistics. (Without `noskipscan`,
    one value per column made a skip-scan over them look free: the duplicate look-up read its box through
    report_nearby_idx, 14 ms at a million reports instead of 1 ms through report_map_idx.)"""
    for name in SQLITE_NAMED_ONLY_INDEXES:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = %s", [name])
        found = cursor.fetchone()
        if found is None:
            continue
        values = [value for value in found[0].split() if value.isdigit()]
        cursor.execute(
            "UPDATE sqlite_stat1 SET stat = %s WHERE idx = %s",
            [" ".join([values[0]] * len(values) + ["noskipscan"]), name],
        )
    cursor.execute("ANALYZE sqlite_schema")


def update_planner_statistics(using: str = "default") -> str:
    """Refreshes the query planner's statistics (decision 0025): SQLite `ANALYZE` (sampled), PostgreSQL
    `ANALYZE`. Run after `migrate`, after bulk loads and as a daily job; returns what was run."""
    from django.db import connections

    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
            _pin_sqlite_index_statistics(cursor)
            cursor.execute("PRAGMA optimize")
            return "sqlite: ANALYZE, PRAGMA optimize"
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
            return "postgresql: ANALYZE"
    return "nothing to do"


def update_statistics_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: new indexes (and SQLite's first ones) get statistics straight away."""
    update_planner_statistics(using)
