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

import dataclasses
import functools
import re
import unicodedata

import Stemmer
from django.db.models import BooleanField, Expression
from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from django.db.models.sql.where import AND

SQLITE_TERMS_FUNCTION = "stadtdigital_german_terms"
MAX_QUERY_WORDS = 8
# Letters and digits: the characters FTS5's unicode61 tokenizer keeps together. Not "_" (which \w includes):
# FTS5 splits "a_b" into two tokens, and the quoted term "a_b" became a phrase query, which an index
# without positions (detail=none) refuses: a search for "foo_bar" answered 503.
_WORD = re.compile(r"[^\W_]+")


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


def _fold_diacritics(stem: str) -> str:
    """The stem as FTS5's unicode61 tokenizer stores it ("café" -> "cafe"; Snowball already folded
    umlauts), so that the vocabulary look-up finds its terms."""
    return "".join(c for c in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(c))


# A prefix with more terms than this in the vocabulary (a short word: "ab") stays a prefix query.
MAX_PREFIX_TERMS = 32


def sqlite_match(cursor, vocabulary: str, stems: list[str]) -> str:
    """The FTS5 query for `stems` with each prefix replaced by the terms of the index that start with it:
    `("schlagloch" OR "schlaglochgefahr") AND ("laterne")`. Same rows as `fts5_match`, read lazily.
    `vocabulary` is an fts5vocab table (type row) of the FTS5 table."""
    groups = []
    for stem in map(_fold_diacritics, stems):
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


@dataclasses.dataclass(frozen=True)
class SqliteIndex:
    """Where an FTS5 index lives and what its rowid means.

    The rowid is an order key: `(seconds of created_at) * 2**ID_BITS + id`, so FTS5 yields the hits newest
    first by itself (`ORDER BY rowid DESC` reads a named term's list lazily, from its end). `only` is the
    (column, value) every indexed row has (visibility = public): the only other filter a query may have
    for the index alone to choose its first rows.
    """

    table: str
    vocabulary: str  # fts5vocab (type row) of `table`
    newest_first: tuple[str, ...]  # the ordering the rowid follows, e.g. ("-created_at", "-id")
    only: tuple[str, str]


ID_BITS = 31  # ids below 2**31 (2.1 billion); the seconds above them reach the year 2106
ID_MASK = 2**ID_BITS - 1
LOWEST_KEY = -(2**63) + 1


def sqlite_order_key(created_at_sql: str, id_sql: str) -> str:
    """The SQL of a row's FTS5 rowid (see SqliteIndex) from its created_at text (UTC) and id."""
    return f"(CAST(strftime('%s', substr({created_at_sql}, 1, 19)) AS INTEGER) * {2**ID_BITS} + {id_sql})"


class FullTextMatch(Expression):
    """A WHERE condition: the row of `table` (by its `id`) matches every word of the search.

    `sqlite`: the FTS5 index (SqliteIndex); `pg_column`: the generated tsvector column.

    On SQLite three plans, chosen when the SQL is compiled:
    - The first N rows of a query that only asks for indexed (public) rows, newest first (the public
      list's page, its capped count): the index alone picks them. The N-th newest hit's second is the
      boundary; every hit from that second on is a candidate (ties within a second are ordered by
      created_at and id only by the query itself), read by primary key: about N look-ups whatever the
      number of hits.
    - Otherwise (other filters, other orders) SQLite cannot know how many rows an FTS5 query yields, and
      either plan is slow for the other kind of search: reading the hits one by one by primary key costs
      one table look-up per hit (67,000 for "Schlaglöcher" at 1,000,000 reports), walking the caller's
      order index and testing each row against the hits reads the whole index when there are few. So the
      hits are counted first, up to SQLITE_FREQUENT (the FTS5 table alone), and above it the id is written
      `+id`, which rules the primary key look-up out: SQLite walks the order index and stops at the page's
      end.
    """

    conditional = True
    output_field = BooleanField()
    SQLITE_FREQUENT = 2000
    SQLITE_MAX_FIRST = 2000  # deeper pages take the general plans

    def __init__(self, text: str, *, table: str, sqlite: SqliteIndex, pg_column: str, sqlite_lookups=True):
        super().__init__()
        self.text, self.table, self.sqlite, self.pg_column = text, table, sqlite, pg_column
        # False: no look-up queries before the query itself (prefix query, order index walked), for
        # callers that read a bounded period anyway and count their queries (Open311).
        self.sqlite_lookups = sqlite_lookups
        # Looked up once: compiling works on shallow copies (resolve_expression), which share this dict,
        # as do a queryset's clones (its count and its page).
        self._looked_up = {}

    def sqlite_match(self, connection) -> str:
        if not self.sqlite_lookups:
            return fts5_match(query_stems(self.text))
        if "match" not in self._looked_up:
            vocabulary = connection.ops.quote_name(self.sqlite.vocabulary)
            with connection.cursor() as cursor:
                self._looked_up["match"] = sqlite_match(cursor, vocabulary, query_stems(self.text))
        return self._looked_up["match"]

    def sqlite_frequent(self, connection) -> bool:
        if not self.sqlite_lookups:
            return True
        if "frequent" not in self._looked_up:
            fts = connection.ops.quote_name(self.sqlite.table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH %s LIMIT %s)",  # noqa: S608
                    [self.sqlite_match(connection), self.SQLITE_FREQUENT + 1],
                )
                self._looked_up["frequent"] = cursor.fetchone()[0] > self.SQLITE_FREQUENT
        return self._looked_up["frequent"]

    def newest_rows_wanted(self, query) -> int | None:
        """N if `query` wants its first N rows, newest first (or in any order), and filters nothing but
        this search and the indexed rows' common value; else None."""
        if query.high_mark is None or query.high_mark > self.SQLITE_MAX_FIRST or query.distinct:
            return None
        ordering = tuple(query.order_by) or (
            tuple(query.get_meta().ordering) if query.default_ordering else ()
        )
        if ordering not in ((), self.sqlite.newest_first) or query.extra_order_by:
            return None
        where = query.where
        if where.connector != AND or where.negated or query.combinator:
            return None
        column, value = self.sqlite.only
        searches = 0
        for child in where.children:
            lhs = getattr(child, "lhs", None)
            if isinstance(child, FullTextMatch) or isinstance(
                lhs, FullTextMatch
            ):  # filter(x): Exact(x, True)
                searches += 1
                continue
            if not (
                isinstance(child, Exact)
                and isinstance(lhs, Col)
                and lhs.alias == self.table
                and lhs.target.column == column
                and child.rhs == value
            ):
                return None
        return query.high_mark if searches == 1 else None

    def as_sqlite(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.table)
        fts = connection.ops.quote_name(self.sqlite.table)
        match = self.sqlite_match(connection)
        hits = f"SELECT rowid & {ID_MASK} FROM {fts} WHERE {fts} MATCH %s"  # noqa: S608
        wanted = self.newest_rows_wanted(compiler.query)
        if wanted is not None:
            nth = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s"  # noqa: S608
            boundary = f"coalesce((({nth}) >> {ID_BITS}) << {ID_BITS}, {LOWEST_KEY})"
            return f'{table}."id" IN ({hits} AND rowid >= {boundary})', [match, match, wanted - 1]
        column = f'+{table}."id"' if self.sqlite_frequent(connection) else f'{table}."id"'
        return f"{column} IN ({hits})", [match]

    def as_postgresql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.table)
        column = connection.ops.quote_name(self.pg_column)
        words = _WORD.findall((self.text or "").lower())[:MAX_QUERY_WORDS]
        return f"{table}.{column} @@ to_tsquery('german'::regconfig, %s)", [tsquery(words)]

    def as_sql(self, compiler, connection):
        raise NotImplementedError(f"full-text search is not available on {connection.vendor}")
