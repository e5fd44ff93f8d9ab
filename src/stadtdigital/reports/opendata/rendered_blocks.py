"""Stored renderings of the download `anliegen` (CSV, GeoJSON), block by block of report ids (decision 0029).

Formatting a public report as a CSV record or a GeoJSON feature costs about 12 µs in CPython with its
database reads, and a million reports are more than the throughput asked for allows (6.7 µs per CSV row);
yet almost all of them are the same bytes as yesterday. So:

- the reports are cut into blocks of BLOCK_IDS consecutive ids; the daily job (`refresh`) renders every
  block whose stored rendering is missing or may be out of date, with the code of a live download, and
  stores its bytes (`RenderedBlock`, zlib-compressed: a fifth of the size, 1 µs per row to unpack);
- database triggers note the block of every change that can change its rows (`RenderedBlockChange`): a
  public report inserted, deleted, or changed in a column the file shows (REPORT_SOURCE_FIELDS), a public
  text of the city (event) written or removed, a photo or an answer changed. Triggers, not signals: queryset
  updates, raw SQL and deletions would pass signals by, and a stale block would be silently wrong;
- what is outside a block's own rows (category, department and state names, the public questions, the URLs,
  the time zone, the code that formats) goes into the `key` of a rendering: a stored block is served only
  under the key of the download, so a renamed category or a new version of the code makes every block live
  until the job has rendered it again;
- a download without a period walks the blocks in id order and copies each stored block that is current,
  rendering the others live (always the newest block: new reports land there), so it has the bytes a live
  download has; a period download is rendered live (it is a small part of the data).

SQLite: Django's schema editor rebuilds a table for many field changes and drops its triggers;
`ensure_after_migrate` puts them back after every `migrate` and, if they were missing, forgets every stored
block (writes made meanwhile left no mark). `OPENDATA_RENDERED_BLOCKS=false` turns the store off.
"""

import functools
import hashlib
import logging
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.db import transaction

from stadtdigital.core.triggers import ChangeTriggers, read_marks
from stadtdigital.opendata import writers
from stadtdigital.reports.models import RenderedBlock, RenderedBlockChange
from stadtdigital.reports.selectors.opendata import REPORT_SOURCE_FIELDS, public_id_bounds

logger = logging.getLogger(__name__)

BLOCK_IDS = 5000  # ids per block: one batch of the live export (reports.selectors.opendata.BATCH_SIZE)
COMPRESSION_LEVEL = 1  # 150-200 MB/s to pack, 4-7x smaller; unpacking costs the same at every level

CHANGES = RenderedBlockChange._meta.db_table
PUBLIC = "'public'"  # Visibility.PUBLIC
REPORTS, EVENTS = "reports_report", "reports_event"
PHOTOS, ANSWERS = "reports_photo", "reports_attributevalue"
_WATCHED_REPORT_COLUMNS = tuple(column for column in REPORT_SOURCE_FIELDS if column != "id")


@dataclass(frozen=True)
class Watched:
    table: str
    id_column: str  # the report id of a row
    relevant: str | None  # SQL on {row} (OLD/NEW): the row can show in the file; None: every row
    columns: tuple[str, ...] | None  # an UPDATE matters only if one of these changed; None: any UPDATE


WATCHED = (
    Watched(REPORTS, "id", f"{{row}}.visibility = {PUBLIC}", _WATCHED_REPORT_COLUMNS),
    # Public texts of the city only; the kind and the text are checked when the file is written.
    Watched(EVENTS, "report_id", "{row}.is_public", None),
    Watched(PHOTOS, "report_id", None, None),
    Watched(ANSWERS, "report_id", None, None),
)


def _sqlite_triggers() -> dict[str, str]:
    triggers = {}
    for watched in WATCHED:
        name = f"{watched.table}_blocks"

        def when(row: str, watched=watched) -> str:
            return "1" if watched.relevant is None else watched.relevant.format(row=row)

        mark = f"INSERT INTO {CHANGES} (block) SELECT {{row}}.{watched.id_column} / {BLOCK_IDS}"  # noqa: S608
        triggers[f"{name}_insert"] = (
            f"CREATE TRIGGER IF NOT EXISTS {name}_insert AFTER INSERT ON {watched.table} "
            f"WHEN {when('new')} BEGIN {mark.format(row='new')}; END"
        )
        changed = (
            " OR ".join(f"old.{column} IS NOT new.{column}" for column in watched.columns)
            if watched.columns
            else "1"
        )
        triggers[f"{name}_update"] = (
            f"CREATE TRIGGER IF NOT EXISTS {name}_update AFTER UPDATE ON {watched.table} "
            f"WHEN ({when('old')} OR {when('new')}) AND ({changed}) BEGIN "
            f"{mark.format(row='old')} UNION SELECT new.{watched.id_column} / {BLOCK_IDS}; END"
        )
        triggers[f"{name}_delete"] = (
            f"CREATE TRIGGER IF NOT EXISTS {name}_delete AFTER DELETE ON {watched.table} "
            f"WHEN {when('old')} BEGIN {mark.format(row='old')}; END"
        )
    return triggers


def _pg_function(watched: Watched) -> str:
    def mark(row: str, skipped_operation: str) -> str:
        condition = f"TG_OP <> '{skipped_operation}'"
        if watched.relevant:
            condition += f" AND {watched.relevant.format(row=row)}"
        return f"""
    IF {condition} THEN
        INSERT INTO {CHANGES} (block) VALUES ({row}.{watched.id_column} / {BLOCK_IDS});
    END IF;"""  # noqa: S608

    return f"""
CREATE OR REPLACE FUNCTION {watched.table}_blocks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{mark("OLD", "INSERT")}{mark("NEW", "DELETE")}
    RETURN NULL;
END $$
"""


def _pg_triggers() -> dict[str, tuple[str, str]]:
    triggers = {}
    for watched in WATCHED:
        name, function = f"{watched.table}_blocks", f"{watched.table}_blocks_changed()"
        triggers[f"{name}_insert_delete"] = (
            watched.table,
            f"CREATE TRIGGER {name}_insert_delete AFTER INSERT OR DELETE ON {watched.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}",
        )
        when = ""
        if watched.columns:
            when = (
                "WHEN ("
                + " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in watched.columns)
                + ") "
            )
        triggers[f"{name}_update"] = (
            watched.table,
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {watched.table} FOR EACH ROW "
            f"{when}EXECUTE FUNCTION {function}",
        )
    return triggers


TRIGGERS = ChangeTriggers(
    tables=tuple(watched.table for watched in WATCHED),
    marks_table=CHANGES,
    sqlite=_sqlite_triggers(),
    postgresql=_pg_triggers(),
    pg_functions={f"{watched.table}_blocks_changed()": _pg_function(watched) for watched in WATCHED},
    stored_tables=(RenderedBlock._meta.db_table,),
)
# Creates the missing triggers; True if any was (every stored block is then forgotten).
ensure_change_triggers = TRIGGERS.ensure
remove_change_triggers = TRIGGERS.remove
ensure_after_migrate = TRIGGERS.ensure_after_migrate


# --- what a rendering depends on besides its rows ----------------------------------------------------------

# The modules whose code decides the bytes of a row: a new version of any of them gives every stored block
# a different key, so a deployment never serves bytes its own code would not write.
_FORMATTING_MODULES = (
    "stadtdigital.reports.opendata.reports",
    "stadtdigital.reports.selectors.opendata",
    "stadtdigital.reports.selectors.answers",
    "stadtdigital.opendata.writers",
    "stadtdigital.core.csvfiles",
)


@functools.cache
def _code_digest() -> str:
    import importlib

    digest = hashlib.sha256(django.get_version().encode())
    for name in _FORMATTING_MODULES:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    return digest.hexdigest()


def key_of(fmt: str, inputs: tuple) -> str:
    """The key of a rendering: the format, the code, and `inputs` (everything outside the rows that the
    formatter reads: names, labels, questions, URLs, time zone), as given by the dataset."""
    digest = hashlib.sha256(f"{fmt}\n{_code_digest()}\n".encode())
    digest.update(repr(inputs).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class BlockRenderer:
    """How the dataset renders one distribution: `key` as of now, and the bytes of a range of ids."""

    format: str
    key: str
    render: Callable[[int, int], writers.Encoded]  # public reports with ids in [first, end)


def enabled() -> bool:
    return settings.OPENDATA_RENDERED_BLOCKS


# --- downloads --------------------------------------------------------------------------------------------


def _noted_blocks() -> set[int]:
    return set(RenderedBlockChange.objects.order_by().values_list("block", flat=True).distinct())


def blocks(renderer: BlockRenderer) -> Iterator[writers.Encoded]:
    """Every public report, block by block in id order: stored blocks that are current are copied, the
    others rendered live. One query per stored block, none held open while the client reads."""
    bounds = public_id_bounds()
    if bounds is None:
        return
    current = RenderedBlock.objects.filter(format=renderer.format, key=renderer.key)
    stored = set(current.values_list("block", flat=True))
    noted = _noted_blocks()
    for block in range(bounds[0] // BLOCK_IDS, bounds[1] // BLOCK_IDS + 1):
        if block in stored and block not in noted:
            # Rows and bytes read together: the job may have rendered the block again meanwhile.
            found = current.filter(block=block).values_list("rows", "content").first()
            if found is not None:
                yield writers.Encoded(zlib.decompress(found[1]), found[0])
                continue
        yield renderer.render(block * BLOCK_IDS, (block + 1) * BLOCK_IDS)


# --- the daily job ----------------------------------------------------------------------------------------


def refresh(progress: Callable[[str, int, int], None] | None = None) -> int:
    """Daily job: renders and stores every block that has no current rendering (missing, another key, or a
    change noted for it) and forgets blocks outside the reports. Returns the number of blocks rendered.

    The noted changes are read first and only those are deleted at the end: a change that arrives while the
    job renders keeps its mark, and its block is rendered live until the next run."""
    from stadtdigital.reports.opendata.reports import block_renderers

    if not enabled():
        RenderedBlock.objects.all().delete()
        RenderedBlockChange.objects.all().delete()
        return 0
    marks = read_marks(RenderedBlockChange, "block")
    noted = marks.values
    bounds = public_id_bounds()
    rendered = 0
    for renderer in block_renderers():
        if bounds is None:
            RenderedBlock.objects.filter(format=renderer.format).delete()
            continue
        first, last = bounds[0] // BLOCK_IDS, bounds[1] // BLOCK_IDS
        current = set(
            RenderedBlock.objects.filter(format=renderer.format, key=renderer.key).values_list(
                "block", flat=True
            )
        )
        due = [block for block in range(first, last + 1) if block not in current or block in noted]
        for done, block in enumerate(due, 1):
            encoded = renderer.render(block * BLOCK_IDS, (block + 1) * BLOCK_IDS)
            content = zlib.compress(encoded.data, COMPRESSION_LEVEL)
            with transaction.atomic():
                RenderedBlock.objects.update_or_create(
                    format=renderer.format,
                    block=block,
                    defaults={"key": renderer.key, "rows": encoded.rows, "content": content},
                )
            rendered += 1
            if progress:
                progress(renderer.format, done, len(due))
        stored = RenderedBlock.objects.filter(format=renderer.format)
        stored.exclude(block__gte=first, block__lte=last).delete()
    marks.forget()
    logger.info("Open data: %d block(s) rendered, %d noted change(s) cleared", rendered, marks.count)
    return rendered
