"""German full-text search on both databases (decision 0025).

PostgreSQL: a stored generated `tsvector` column with the `german` configuration (Snowball stemmer and
stop words) and a GIN index; the database keeps it current on every write.

SQLite: an FTS5 table whose rowid is the row's id and whose text is the Snowball stems of the searchable
columns. FTS5 has no German stemmer, so the stems come from PyStemmer (the same Snowball algorithm that
PostgreSQL uses), registered as the SQL function `stadtdigital_german_terms(a, b, ...)` on every SQLite
connection; triggers on the searched table call it on INSERT, UPDATE of the searched columns and DELETE, so
every write path (forms, services, `QuerySet.update`, bulk loads) keeps the index current.

Queries: every word of the search, stemmed, must occur, matched as a prefix ("Bahnhof" finds
"Bahnhofstraße", "Schlaglöcher" finds "Schlagloch": both stem to "schlagloch").
"""

import functools
import re

import Stemmer
from django.db.models import BooleanField, Expression

SQLITE_TERMS_FUNCTION = "stadtdigital_german_terms"
MAX_QUERY_WORDS = 8
_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=1)
def _stemmer():
    return Stemmer.Stemmer("german")


def german_stems(text: str) -> list[str]:
    """Snowball (German) stems of the words of `text`, lower case, umlauts folded as Snowball does."""
    words = _WORD.findall(text.lower())
    return _stemmer().stemWords(words) if words else []


def german_terms(*texts) -> str:
    """The text FTS5 indexes for a row: the stems of all `texts` (None counts as empty), space-separated."""
    return " ".join(german_stems(" ".join(text for text in texts if text)))


def query_stems(text: str) -> list[str]:
    """The stems a search for `text` requires (at most MAX_QUERY_WORDS words, repeats dropped)."""
    words = _WORD.findall((text or "").lower())[:MAX_QUERY_WORDS]
    return list(dict.fromkeys(_stemmer().stemWords(words))) if words else []


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: the stemming function the FTS triggers call, on every SQLite
    connection (a connection without it cannot write the indexed tables: "no such function")."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_TERMS_FUNCTION, -1, german_terms, deterministic=True)


def fts5_match(stems: list[str]) -> str:
    """An FTS5 query: every stem as a quoted prefix term (stems are word characters only, no quotes)."""
    return " ".join(f'"{stem}"*' for stem in stems)


def tsquery(words: list[str]) -> str:
    """A `to_tsquery('german', ...)` text: every word as a prefix, AND-ed. The words go unstemmed to
    PostgreSQL's own stemmer; they are word characters only, so nothing can break out of the quotes."""
    return " & ".join(f"'{word}':*" for word in words)


class FullTextMatch(Expression):
    """A WHERE condition: the row of `table` (by its `id`) matches every word of the search.

    `sqlite_table`: the FTS5 table (rowid = id); `pg_column`: the generated tsvector column.

    SQLite plans without knowing how many rows an FTS5 query yields, and either plan is slow for the other
    kind of search: reading the hits one by one by primary key costs one table look-up per hit (67,000
    for "Schlaglöcher" at 1,000,000 reports), walking the caller's order index and testing each row
    against the hits reads the whole index when there are few. So the hits are counted first (the FTS5
    table alone, no table look-ups) and above SQLITE_FREQUENT the id is written `+id`, which rules the
    primary key look-up out: SQLite then walks the order index and stops at the page's end.
    """

    conditional = True
    output_field = BooleanField()
    SQLITE_FREQUENT = 2000

    def __init__(self, text: str, *, table: str, sqlite_table: str, pg_column: str):
        super().__init__()
        self.text, self.table, self.sqlite_table, self.pg_column = text, table, sqlite_table, pg_column
        self._sqlite_hits = None  # kept on the instance: a queryset's clones (count, page) share it

    def sqlite_hits(self, connection, match: str) -> int:
        if self._sqlite_hits is None:
            fts = connection.ops.quote_name(self.sqlite_table)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH %s", [match])  # noqa: S608
                self._sqlite_hits = cursor.fetchone()[0]
        return self._sqlite_hits

    def as_sqlite(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.table)
        fts = connection.ops.quote_name(self.sqlite_table)
        match = fts5_match(query_stems(self.text))
        column = f'{table}."id"'
        if match and self.sqlite_hits(connection, match) > self.SQLITE_FREQUENT:
            column = f"+{column}"
        return f"{column} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [match]  # noqa: S608

    def as_postgresql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.table)
        column = connection.ops.quote_name(self.pg_column)
        words = _WORD.findall((self.text or "").lower())[:MAX_QUERY_WORDS]
        return f"{table}.{column} @@ to_tsquery('german'::regconfig, %s)", [tsquery(words)]

    def as_sql(self, compiler, connection):
        raise NotImplementedError(f"full-text search is not available on {connection.vendor}")
