"""Fast bulk generation of synthetic reports, for benchmarks (1,000,000 reports in minutes on SQLite).

Unlike the demo loader this writes no rich history: each report gets exactly one CREATED event (so every
report page and the Open311 history still work), and its state, `is_open`, `closed_at` and `updated_at` are
set directly. The benchmarks measure nearby look-ups and map clustering, which read only the report rows.
About 10 % of the reports are open. No personal data is written. `events=False` skips even the CREATED
events (pages then show no history for those reports). Rows are written with plain INSERTs through
`executemany`, not bulk_create, which spends most of its time building SQL (50,000 reports: 6 s vs 13 s).
"""

import datetime
import random
import uuid
from collections.abc import Callable

from django.db import connection, models, transaction
from django.utils import timezone

from stadtdigital.core.db import update_planner_statistics
from stadtdigital.core.models import SyntheticDataMarker
from stadtdigital.reports.demo import catalogue
from stadtdigital.reports.demo import texts as demo_texts
from stadtdigital.reports.demo.loader import HISTORY_DAYS, Places, _clip, ensure_catalogue
from stadtdigital.reports.demo.streets import load_city
from stadtdigital.reports.models import Event, EventKind, Report, Source, State, Visibility

DATASET = "reports-generated"
OPEN_SHARE = 0.10
CLOSED = (
    (State.FIXED, 80),
    (State.CLOSED_NOT_FIXED, 6),
    (State.REJECTED, 4),
    (State.DUPLICATE, 7),
    (State.NOT_RESPONSIBLE, 3),
)
OPEN = ((State.RECEIVED, 30), (State.IN_REVIEW, 15), (State.IN_PROGRESS, 50), (State.REOPENED, 5))


REPORT_FIELDS = (
    "category_id",
    "department_id",
    "state",
    "is_open",
    "visibility",
    "description",
    "lat",
    "lon",
    "address",
    "created_at",
    "updated_at",
    "closed_at",
    "due_at",
    "supporters_count",
    "forwarded_to",
    "needs_triage",
    "source",
    "api_client",
    "device_id",
    "account_id",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "show_name",
    "confirmation_token",
)
EVENT_FIELDS = (
    "report_id",
    "created_at",
    "kind",
    "from_state",
    "to_state",
    "is_public",
    "public_text",
    "internal_note",
    "data",
)


def _insert(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """A plain multi-row INSERT (executemany): 3-4 times faster than bulk_create for millions of rows."""
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert_reports(reports: list[Report]) -> None:
    fields = [Report._meta.get_field(name) for name in REPORT_FIELDS]
    # Only dates and UUIDs need the backend's conversion; strings, numbers and booleans pass as they are.
    convert = [isinstance(f, models.DateTimeField | models.UUIDField) for f in fields]
    rows = []
    for report in reports:
        row = []
        for field, needs in zip(fields, convert, strict=True):
            value = getattr(report, field.attname)
            row.append(field.get_db_prep_save(value, connection) if needs and value is not None else value)
        rows.append(tuple(row))
    _insert(Report, REPORT_FIELDS, rows)


def _insert_created_events(tokens: list[uuid.UUID]) -> None:
    data = Event._meta.get_field("data").get_db_prep_save({}, connection)
    rows = []
    for chunk in range(0, len(tokens), 1000):
        created = Report.objects.filter(confirmation_token__in=tokens[chunk : chunk + 1000]).values_list(
            "pk", "created_at"
        )
        field = Event._meta.get_field("created_at")
        rows += [
            (
                pk,
                field.get_db_prep_save(at, connection),
                EventKind.CREATED.value,
                "",
                State.RECEIVED.value,
                True,
                "",
                "",
                data,
            )
            for pk, at in created
        ]
    _insert(Event, EVENT_FIELDS, rows)


def _enlarge_sqlite_page_cache() -> None:
    """Every batch inserts into each of the report indexes at random places; with SQLite's default 2 MB page
    cache the load slowed from 80,000 to 20,000 reports a minute by half a million reports. 512 MB for this
    connection keeps the indexes' pages in memory (measured in bench/README.md, assist)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -524288")


def generate_reports(
    count: int,
    *,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 5000,
    events: bool = True,
    now: datetime.datetime | None = None,
) -> int:
    """Adds `count` synthetic reports (source DEMO) over the last two years; returns how many.

    Deterministic for a seed and the number of reports already in the database; calling it again adds more.
    """
    categories = list(ensure_catalogue().values())
    specs = {spec.code: spec for spec in catalogue.CATEGORIES}
    weights = [specs[c.code].weight if c.code in specs else 5 for c in categories]
    places = Places(*load_city())
    now = now or timezone.now()
    start = Report.objects.count()
    rng = random.Random(f"stadtdigital-generate-reports:{seed}:{start}")
    closed_states, closed_weights = zip(*CLOSED, strict=True)
    open_states, open_weights = zip(*OPEN, strict=True)
    # The demo's realistic wording (demo/texts.py), from its own generator: places and states stay as before.
    text_rng = random.Random(f"stadtdigital-generate-texts:{seed}:{start}")
    _enlarge_sqlite_page_cache()
    done = 0
    while done < count:
        n = min(batch_size, count - done)
        cats = rng.choices(categories, weights=weights, k=n)
        reports = []
        for category in cats:
            lat, lon, address = places.pick(rng)
            lat, lon = _clip(lat, lon)
            created = now - datetime.timedelta(seconds=rng.random() * HISTORY_DAYS * 86400)
            target = datetime.timedelta(days=category.target_days)
            if rng.random() < OPEN_SHARE:
                state = rng.choices(open_states, weights=open_weights)[0]
                closed_at = None
                updated = created + (now - created) * rng.random() * 0.5
            else:
                state = rng.choices(closed_states, weights=closed_weights)[0]
                closed_at = min(now, created + target * rng.uniform(0.1, 2.5))
                updated = closed_at
            reports.append(
                Report(
                    category_id=category.pk,
                    department_id=category.department_id,
                    state=state,
                    is_open=closed_at is None,
                    visibility=Visibility.PUBLIC,
                    description=demo_texts.description(text_rng, category.code, address),
                    lat=round(lat, 6),
                    lon=round(lon, 6),
                    address=address,
                    created_at=created,
                    updated_at=updated,
                    closed_at=closed_at,
                    due_at=created + target,
                    source=Source.DEMO,
                    confirmation_token=uuid.UUID(int=rng.getrandbits(128), version=4),
                    supporters_count=0,
                    forwarded_to="",
                    needs_triage=False,
                    api_client="",
                    device_id="",
                    account_id="",
                    reporter_name="",
                    reporter_email="",
                    reporter_phone="",
                    show_name=False,
                )
            )
        with transaction.atomic():
            _insert_reports(reports)
            if events:
                _insert_created_events([r.confirmation_token for r in reports])
        done += n
        if progress:
            progress(done, count)
    if count:
        SyntheticDataMarker.objects.get_or_create(dataset=DATASET)
        update_planner_statistics()  # a bulk load changes what the planner should choose
    return count
