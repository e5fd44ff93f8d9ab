"""German full-text search on both databases (decision 0025).

PostgreSQL: a stored generated `tsvector` column with the `german` configuration (Snowball stemmer and
stop words) and a GIN index; the database keeps it current on every write.

SQLite: an FTS5 table whose rowid is the row's id and whose text is the Snowball stems of the searchable
columns. FTS5 has no German stemmer, so the stems come from PyStemmer (the same Snowball algorithm that
PostgreSQL uses), registered as the SQL function `stadtdigital_german_terms(a, b, ...)` on every SQLite
connection; triggers on the searched table call it on INSERT, UPDATE of the searched columns and DELETE, so
every write path (forms, services, `QuerySet.update`, bulk loads) keeps the index current.

Queries: every word of the search, stemmed, must occur, matched as a prefix ("Bahnhof" finds
"Bahnhofstraße", "Schlaglöcher" finds "Schlagloch": both stem to "schlagloch"). On SQLite the prefix is
looked up in the index's vocabulary first and the query names the terms it found (see `sqlite_match`):
FTS5 merges a prefix query's rows into one list before it yields the first (14 ms for 67,000 rows),
while named terms are read lazily, newest first, and a page stops early.
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


# A prefix with more terms than this in the vocabulary (a short word: "ab") stays a prefix query.
MAX_PREFIX_TERMS = 32


def sqlite_match(cursor, vocabulary: str, stems: list[str]) -> str:
    """The FTS5 query for `stems` with each prefix replaced by the terms of the index that start with it:
    `("schlagloch" OR "schlaglochgefahr") AND ("laterne")`. Same rows as `fts5_match`, read lazily.
    `vocabulary` is an fts5vocab table (type row) of the FTS5 table."""
    groups = []
    for stem in stems:
        cursor.execute(
            f"SELECT term FROM {vocabulary} WHERE term >= %s AND term < %s LIMIT %s",  # noqa: S608
            [stem, stem + "\U0010ffff", MAX_PREFIX_TERMS + 1],
        )
        terms = [term for (term,) in cursor.fetchall()]
        if len(terms) > MAX_PREFIX_TERMS:
            groups.append(f'"{stem}"*')
        else:  # no term: the stem itself, which matches nothing, as the prefix would
            groups.append("(" + " OR ".join(f'"{term}"' for term in terms or [stem]) + ")")
    return " AND ".join(groups)


def tsquery(words: list[str]) -> str:
    """A `to_tsquery('german', ...)` text: every word as a prefix, AND-ed. The words go unstemmed to
    PostgreSQL's own stemmer; they are word characters only, so nothing can break out of the quotes."""
    return " & ".join(f"'{word}':*" for word in words)


class FullTextMatch(Expression):
    """A WHERE condition: the row of `table` (by its `id`) matches every word of the search.

    `sqlite_table`: the FTS5 table (rowid = id), `sqlite_vocabulary` its fts5vocab table; `pg_column`:
    the generated tsvector column.

    SQLite plans without knowing how many rows an FTS5 query yields, and either plan is slow for the other
    kind of search: reading the hits one by one by primary key costs one table look-up per hit (67,000
    for "Schlaglöcher" at 1,000,000 reports), walking the caller's order index and testing each row
    against the hits reads the whole index when there are few. So the hits are counted first, up to
    SQLITE_FREQUENT (the FTS5 table alone, no table look-ups), and above it the id is written `+id`, which
    rules the primary key look-up out: SQLite then walks the order index and stops at the page's end.
    """

    conditional = True
    output_field = BooleanField()
    SQLITE_FREQUENT = 2000

    def __init__(self, text: str, *, table: str, sqlite_table: str, sqlite_vocabulary: str, pg_column: str):
        super().__init__()
        self.text, self.table, self.pg_column = text, table, pg_column
        self.sqlite_table, self.sqlite_vocabulary = sqlite_table, sqlite_vocabulary
        self._sqlite_plan = None  # kept on the instance: a queryset's clones (count, page) share it

    def sqlite_plan(self, connection) -> tuple[str, bool]:
        """(FTS5 query, frequent?), looked up once."""
        if self._sqlite_plan is None:
            fts = connection.ops.quote_name(self.sqlite_table)
            with connection.cursor() as cursor:
                match = sqlite_match(
                    cursor, connection.ops.quote_name(self.sqlite_vocabulary), query_stems(self.text)
                )
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH %s LIMIT %s)",  # noqa: S608
                    [match, self.SQLITE_FREQUENT + 1],
                )
                self._sqlite_plan = match, cursor.fetchone()[0] > self.SQLITE_FREQUENT
        return self._sqlite_plan

    def as_sqlite(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.table)
        fts = connection.ops.quote_name(self.sqlite_table)
        match, frequent = self.sqlite_plan(connection)
        column = f'+{table}."id"' if frequent else f'{table}."id"'
        return f"{column} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [match]  # noqa: S608

    def as_postgresql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.table)
        column = connection.ops.quote_name(self.pg_column)
        words = _WORD.findall((self.text or "").lower())[:MAX_QUERY_WORDS]
        return f"{table}.{column} @@ to_tsquery('german'::regconfig, %s)", [tsquery(words)]

    def as_sql(self, compiler, connection):
        raise NotImplementedError(f"full-text search is not available on {connection.vendor}")
