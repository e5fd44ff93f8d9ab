"""Database triggers that note changes in a table of marks, kept in place across migrations.

Stored results (the monthly statistics of decision 0028, the rendered open data blocks of 0029) stay correct
only if every way of writing the data they come from leaves a mark: saves, queryset updates, raw SQL and
deletions. Signals miss all but the first; triggers do not. SQLite drops a table's triggers when Django's
schema editor rebuilds the table for a later migration, so `ensure_after_migrate` (a post_migrate receiver)
puts back what is missing, and empties the stored results, since writes made without the triggers left no
mark.
"""

from dataclasses import dataclass, field

from django.db import connection as default_connection
from django.db import transaction


@dataclass(frozen=True)
class ChangeTriggers:
    tables: tuple[str, ...]  # the tables the triggers are on
    marks_table: str  # where they note changes
    sqlite: dict[str, str]  # trigger name -> CREATE TRIGGER IF NOT EXISTS ...
    postgresql: dict[str, tuple[str, str]]  # trigger name -> (its table, CREATE TRIGGER ...)
    pg_functions: dict[str, str]  # "name()" -> CREATE OR REPLACE FUNCTION ... (the triggers call them)
    stored_tables: tuple[str, ...]  # the stored results, emptied when a trigger had to be created

    def _existing(self, connection, cursor) -> set[str]:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname = ANY(%s) AND NOT t.tgisinternal",
                [list(self.tables)],
            )
        else:
            marks = ", ".join(["%s"] * len(self.tables))
            cursor.execute(
                f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",  # noqa: S608
                list(self.tables),
            )
        return {name for (name,) in cursor.fetchall()}

    def ensure(self, connection=None) -> bool:
        """Creates the triggers that are missing (idempotent). True if any was: the stored results are then
        emptied."""
        connection = connection or default_connection
        if connection.vendor not in ("sqlite", "postgresql"):
            return False
        with connection.cursor() as cursor:
            existing = self._existing(connection, cursor)
            if connection.vendor == "postgresql":
                wanted = {name: sql for name, (_table, sql) in self.postgresql.items()}
            else:
                wanted = self.sqlite
            missing = [name for name in wanted if name not in existing]
            if not missing:
                return False
            if connection.vendor == "postgresql":
                for function in self.pg_functions.values():
                    cursor.execute(function)
            for name in missing:
                cursor.execute(wanted[name])
            for table in self.stored_tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        return True

    def remove(self, connection) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for name, (table, _sql) in self.postgresql.items():
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                for function in self.pg_functions:
                    cursor.execute(f"DROP FUNCTION IF EXISTS {function}")
            else:
                for name in self.sqlite:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")

    def ensure_after_migrate(self, sender, using="default", **kwargs) -> None:
        """post_migrate: puts back triggers a table rebuild dropped (only once the tables exist)."""
        from django.db import connections

        connection = connections[using]
        present = set(connection.introspection.table_names())
        if self.marks_table in present and all(table in present for table in self.tables):
            self.ensure(connection)


@dataclass
class ReadMarks:
    """The marks a job has read: the values they note, and their ids as ranges, so that the job deletes
    exactly those at its end. A mark that commits while the job works is not among them and stays for the
    next run. Ranges rather than ids: a bulk load leaves a million marks, mostly consecutive."""

    model: type
    values: set = field(default_factory=set)
    ranges: list[list[int]] = field(default_factory=list)  # [first id, last id]

    @property
    def count(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)

    def forget(self) -> None:
        with transaction.atomic():
            for first, last in self.ranges:
                self.model.objects.filter(id__gte=first, id__lte=last).delete()


def read_marks(model, column: str) -> ReadMarks:
    """Every mark of `model` (a table the triggers write), streamed in id order."""
    marks = ReadMarks(model)
    for pk, value in model.objects.order_by("id").values_list("id", column).iterator(chunk_size=10_000):
        if marks.ranges and marks.ranges[-1][1] == pk - 1:
            marks.ranges[-1][1] = pk
        else:
            marks.ranges.append([pk, pk])
        marks.values.add(value)
    return marks
