"""Department dashboard figures: open, overdue, received and closed per month, median days to resolution.

Counts and monthly groups are computed in the database (COUNT ... GROUP BY month). The medians are computed
in Python over (category, created_at, closed_at) rows of the reports closed in the window: fine for a
department's year (tens of thousands of rows); for millions of reports this should move to the database
(PERCENTILE_CONT on PostgreSQL) or a nightly aggregate table.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from stadtdigital.reports.models import Report, State, Visibility

MONTHS = 12


@dataclass
class CategoryFigures:
    name: str
    closed: int = 0
    median_days: float | None = None


@dataclass
class DashboardFigures:
    open: int = 0
    overdue: int = 0
    reopened: int = 0
    months: list = field(default_factory=list)  # [{"month": date, "received": n, "closed": n}]
    median_days: float | None = None
    by_category: list = field(default_factory=list)
    closed_in_window: int = 0
    fixed: int = 0
    closed_not_fixed: int = 0
    other_closed: int = 0

    @property
    def share_fixed(self) -> float | None:
        total = self.fixed + self.closed_not_fixed
        return round(100 * self.fixed / total, 1) if total else None

    @property
    def share_not_fixed(self) -> float | None:
        total = self.fixed + self.closed_not_fixed
        return round(100 * self.closed_not_fixed / total, 1) if total else None

    @property
    def max_month(self) -> int:
        return max([1] + [max(m["received"], m["closed"]) for m in self.months])


def month_starts(now, count=MONTHS) -> list[datetime.date]:
    """The first days of the last `count` months, oldest first, the current month last."""
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date().replace(day=1)
    months = []
    year, month = local.year, local.month
    for _index in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _key(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _days(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 86400


def dashboard(departments, now=None) -> DashboardFigures:
    """Figures for the reports of `departments` (a queryset or list), as of `now`."""
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    reports = Report.objects.filter(department__in=departments).exclude(
        visibility=Visibility.PENDING_CONFIRMATION
    )
    months = month_starts(now)
    window_start = datetime.datetime.combine(months[0], datetime.time.min, tzinfo=tz)
    figures = DashboardFigures()

    current = reports.aggregate(
        open=Count("pk", filter=Q(is_open=True)),
        overdue=Count("pk", filter=Q(is_open=True, due_at__lt=now)),
        reopened=Count("pk", filter=Q(state=State.REOPENED)),
    )
    figures.open, figures.overdue, figures.reopened = current["open"], current["overdue"], current["reopened"]

    received = dict(
        reports.filter(created_at__gte=window_start)
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    closed_reports = reports.filter(is_open=False, closed_at__gte=window_start, closed_at__lte=now)
    closed = dict(
        closed_reports.annotate(month=TruncMonth("closed_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    received = {_key(k): v for k, v in received.items()}
    closed = {_key(k): v for k, v in closed.items()}
    figures.months = [
        {"month": m, "received": received.get(m, 0), "closed": closed.get(m, 0)} for m in months
    ]

    by_state = dict(closed_reports.values("state").annotate(n=Count("pk")).values_list("state", "n"))
    figures.fixed = by_state.get(State.FIXED, 0)
    figures.closed_not_fixed = by_state.get(State.CLOSED_NOT_FIXED, 0)
    figures.closed_in_window = sum(by_state.values())
    figures.other_closed = figures.closed_in_window - figures.fixed - figures.closed_not_fixed

    # Time to resolution: reports closed as fixed or not fixed (duplicates, rejections and forwardings are
    # not resolutions and would flatter the figure).
    durations = defaultdict(list)
    for name, created_at, closed_at in closed_reports.filter(
        state__in=[State.FIXED, State.CLOSED_NOT_FIXED]
    ).values_list("category__name", "created_at", "closed_at"):
        durations[name].append(_days(closed_at - created_at))
    all_durations = [d for values in durations.values() for d in values]
    figures.median_days = round(statistics.median(all_durations), 1) if all_durations else None
    figures.by_category = sorted(
        (
            CategoryFigures(name=name, closed=len(values), median_days=round(statistics.median(values), 1))
            for name, values in durations.items()
        ),
        key=lambda row: row.name,
    )
    return figures
