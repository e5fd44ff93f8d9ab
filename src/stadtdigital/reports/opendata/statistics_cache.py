"""The stored figures of ended months for `anliegen-monatsstatistik` (decision 0028).

Computing the statistics from a million reports reads every report and every closing (seconds); the figures
of a month that has ended change only when a report of that month changes. So:

- the daily job (`refresh`) computes every ended month that has no stored figures or whose figures may be
  out of date, and stores them (`MonthlyFigures`, one row per category and department, and
  `MonthlyFiguresMonth` naming the month as complete);
- database triggers on `reports_report` note the UTC day of receipt and of closing, before and after, of
  every public report inserted, deleted or changed in a column the statistics read (visibility, dates,
  open/closed, state, category, department) in `MonthlyFiguresChange`. Triggers, not signals: queryset
  updates, raw SQL and deletions would pass signals by, and a figure served from a stale month would be
  silently wrong;
- a download uses the stored figures of a month only when it is complete and no noted day touches it; every
  other month (always the current one) is computed live, by the same code the job uses, so both give the
  same bytes.

SQLite: Django's schema editor rebuilds a table for many field changes and drops its triggers; after every
`migrate` `ensure_change_triggers` puts them back and, if they were missing, forgets every stored month
(writes made meanwhile left no mark).
"""

import datetime
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from stadtdigital.core.triggers import ChangeTriggers, read_marks
from stadtdigital.reports.models import MonthlyFigures, MonthlyFiguresChange, MonthlyFiguresMonth

logger = logging.getLogger(__name__)

TABLE = "reports_report"
CHANGES = MonthlyFiguresChange._meta.db_table
# What the statistics read of a report; a change of anything else (texts, supporters, ...) leaves no mark.
WATCHED = ("visibility", "created_at", "closed_at", "is_open", "state", "category_id", "department_id")
PUBLIC = "'public'"  # Visibility.PUBLIC

_SQLITE_CHANGED = " OR ".join(f"old.{column} IS NOT new.{column}" for column in WATCHED)
SQLITE_TRIGGERS = {
    "reports_figures_insert": (
        f"CREATE TRIGGER IF NOT EXISTS reports_figures_insert AFTER INSERT ON {TABLE} "  # noqa: S608
        f"WHEN new.visibility = {PUBLIC} BEGIN "
        f"INSERT INTO {CHANGES} (utc_day) SELECT substr(new.created_at, 1, 10) "
        f"UNION SELECT substr(new.closed_at, 1, 10) WHERE new.closed_at IS NOT NULL; END"
    ),
    "reports_figures_update": (
        f"CREATE TRIGGER IF NOT EXISTS reports_figures_update AFTER UPDATE ON {TABLE} "  # noqa: S608
        f"WHEN (old.visibility = {PUBLIC} OR new.visibility = {PUBLIC}) AND ({_SQLITE_CHANGED}) BEGIN "
        f"INSERT INTO {CHANGES} (utc_day) SELECT DISTINCT substr(at, 1, 10) FROM ("
        "SELECT old.created_at AS at, old.visibility AS visibility UNION ALL "
        "SELECT old.closed_at, old.visibility UNION ALL "
        "SELECT new.created_at, new.visibility UNION ALL "
        f"SELECT new.closed_at, new.visibility) WHERE at IS NOT NULL AND visibility = {PUBLIC}; END"
    ),
    "reports_figures_delete": (
        f"CREATE TRIGGER IF NOT EXISTS reports_figures_delete AFTER DELETE ON {TABLE} "  # noqa: S608
        f"WHEN old.visibility = {PUBLIC} BEGIN "
        f"INSERT INTO {CHANGES} (utc_day) SELECT substr(old.created_at, 1, 10) "
        f"UNION SELECT substr(old.closed_at, 1, 10) WHERE old.closed_at IS NOT NULL; END"
    ),
}


def _pg_mark(row: str, skipped_operation: str) -> str:
    """plpgsql: note the UTC days of receipt and closing of OLD or NEW when that row is public."""
    return f"""
    IF TG_OP <> '{skipped_operation}' AND {row}.visibility = {PUBLIC} THEN
        INSERT INTO {CHANGES} (utc_day)
        SELECT DISTINCT (stamp AT TIME ZONE 'UTC')::date::text
        FROM unnest(ARRAY[{row}.created_at, {row}.closed_at]) AS stamp
        WHERE stamp IS NOT NULL;
    END IF;"""  # noqa: S608


PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION reports_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{_pg_mark("OLD", "INSERT")}{_pg_mark("NEW", "DELETE")}
    RETURN NULL;
END $$
"""
_PG_CHANGED = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in WATCHED)
PG_TRIGGERS = {
    "reports_figures_insert_delete": (
        f"CREATE TRIGGER reports_figures_insert_delete AFTER INSERT OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION reports_figures_changed()"
    ),
    "reports_figures_update": (
        f"CREATE TRIGGER reports_figures_update AFTER UPDATE ON {TABLE} FOR EACH ROW "
        f"WHEN ({_PG_CHANGED}) EXECUTE FUNCTION reports_figures_changed()"
    ),
}


TRIGGERS = ChangeTriggers(
    tables=(TABLE,),
    marks_table=CHANGES,
    sqlite=SQLITE_TRIGGERS,
    postgresql={name: (TABLE, sql) for name, sql in PG_TRIGGERS.items()},
    pg_functions={"reports_figures_changed()": PG_FUNCTION},
    stored_tables=(MonthlyFiguresMonth._meta.db_table, MonthlyFigures._meta.db_table),
)
# Creates the missing triggers; True if any was (every stored month is then forgotten).
ensure_change_triggers = TRIGGERS.ensure
remove_change_triggers = TRIGGERS.remove
ensure_after_migrate = TRIGGERS.ensure_after_migrate


# --- reading ----------------------------------------------------------------------------------------------


def _months_of_day(utc_day: str, tz) -> set[str]:
    """The local months ("YYYY-MM") that the UTC day touches (two where a month begins in it)."""
    try:
        start = datetime.datetime.fromisoformat(utc_day).replace(tzinfo=datetime.UTC)
    except ValueError:
        return set()
    last = start + datetime.timedelta(days=1) - datetime.timedelta(microseconds=1)
    return {start.astimezone(tz).strftime("%Y-%m"), last.astimezone(tz).strftime("%Y-%m")}


def stale_months() -> set[str]:
    """Months that a change noted since the last refresh touches."""
    tz = ZoneInfo(settings.TIME_ZONE)
    days = MonthlyFiguresChange.objects.order_by().values_list("utc_day", flat=True).distinct()
    return {month for day in days for month in _months_of_day(day, tz)}


def stored_figures(labels: list[str]) -> dict[str, dict[tuple[int, int], tuple]]:
    """Month -> {(category id, department id): (received, closed, fixed, median tenths or None)} for the
    months of `labels` whose stored figures are complete and up to date."""
    complete = set(
        MonthlyFiguresMonth.objects.filter(month__in=labels, time_zone=settings.TIME_ZONE).values_list(
            "month", flat=True
        )
    )
    if not complete:
        return {}
    usable = complete - stale_months()
    result: dict[str, dict[tuple[int, int], tuple]] = {label: {} for label in usable}
    rows = MonthlyFigures.objects.filter(month__in=usable).values_list(
        "month", "category_id", "department_id", "received", "closed", "fixed", "median_tenths"
    )
    for month, category_id, department_id, *figures in rows:
        result[month][category_id, department_id] = tuple(figures)
    return result


# --- the daily job ----------------------------------------------------------------------------------------


def refresh(now: datetime.datetime | None = None) -> int:
    """Daily job: stores the figures of every ended month that has none or whose stored ones a noted change
    touches; forgets months outside the data. Returns the number of months computed.

    The noted changes are read first and only those are deleted at the end: a change that arrives while
    the job computes keeps its mark, and its month is computed live until the next run."""
    from stadtdigital.opendata.registry import Period
    from stadtdigital.reports.opendata.report_statistics import live_figures, months

    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    marks = read_marks(MonthlyFiguresChange, "utc_day")
    stale = {month for day in marks.values for month in _months_of_day(day, tz)}

    month_list = months(Period())
    labels = [month.label for month in month_list]
    complete = set(
        MonthlyFiguresMonth.objects.filter(time_zone=settings.TIME_ZONE).values_list("month", flat=True)
    )
    due = [
        month
        for month in month_list
        if month.end <= now and (month.label not in complete or month.label in stale)
    ]
    computed = 0
    for run in _consecutive(due):
        for month, figures in live_figures(run, whole_table=len(run) == len(month_list)):
            _store(month.label, figures, now)
            computed += 1
    with transaction.atomic():
        MonthlyFiguresMonth.objects.exclude(month__in=labels, time_zone=settings.TIME_ZONE).delete()
        MonthlyFigures.objects.exclude(month__in=labels).delete()
        marks.forget()
    logger.info("Monthly statistics: %d month(s) computed, %d noted change(s) cleared", computed, marks.count)
    return computed


def _consecutive(month_list: list) -> list[list]:
    """Runs of months that follow each other (live_figures computes one run per pass)."""
    runs: list[list] = []
    for month in month_list:
        if runs and runs[-1][-1].end == month.start:
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs


def _store(label: str, figures: dict, now: datetime.datetime) -> None:
    with transaction.atomic():
        MonthlyFigures.objects.filter(month=label).delete()
        MonthlyFigures.objects.bulk_create(
            [
                MonthlyFigures(
                    month=label,
                    category_id=category_id,
                    department_id=department_id,
                    received=received,
                    closed=closed,
                    fixed=fixed,
                    median_tenths=None if median is None else int(median * 10),
                )
                for (category_id, department_id), (received, closed, fixed, median) in figures.items()
            ]
        )
        MonthlyFiguresMonth.objects.update_or_create(
            month=label, defaults={"computed_at": now, "time_zone": settings.TIME_ZONE}
        )
