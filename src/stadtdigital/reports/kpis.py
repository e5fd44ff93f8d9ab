"""Live key figures of the Mängelmelder for its project in the portfolio (see core/kpis.py).

The project is the one with the slug in the setting REPORTS_PORTFOLIO_PROJECT_SLUG (default: the demo's
"Reallabor Anliegenmanagement: Online-Mängelmelder"). Definitions, each "as of" the end of a day
(Europe/Berlin) or now:
- received: reports created by then, except those still waiting for email confirmation;
- share closed: of those, the share closed by then (closed_at on or before the time);
- share fixed: of those, the share closed as "erledigt" by then;
- median days to resolution: median of closed_at - created_at over the reports closed by then, in days.
Figures for "now" are cached for five minutes (the median reads every closed report's two dates).
"""

import datetime
import statistics

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from stadtdigital.core.kpis import LiveKpi, LiveKpis
from stadtdigital.reports.models import Report, State, Visibility

DEFAULT_PROJECT_SLUG = "reallabor-anliegenmanagement-online-maengelmelder"
CACHE_SECONDS = 300


def _percent(part: int, whole: int) -> str | None:
    return f"{100 * part / whole:.1f}" if whole else None


def compute(until: datetime.datetime) -> dict:
    received = Report.objects.filter(created_at__lte=until).exclude(
        visibility=Visibility.PENDING_CONFIRMATION
    )
    closed = received.filter(closed_at__isnull=False, closed_at__lte=until)
    durations = [
        (closed_at - created_at).total_seconds() / 86400
        for created_at, closed_at in closed.values_list("created_at", "closed_at").iterator(chunk_size=10000)
    ]
    total = received.count()
    return {
        "received": total,
        "closed": len(durations),
        "fixed": closed.filter(state=State.FIXED).count(),
        "median_days": statistics.median(durations) if durations else None,
    }


class ReportsKpiProvider:
    source = "Mängelmelder"

    def project_slugs(self) -> set[str]:
        return {settings.REPORTS_PORTFOLIO_PROJECT_SLUG}

    def figures(self, as_of: datetime.date | None = None) -> dict:
        if as_of is None:
            key = "reports:live-kpis"
            figures = cache.get(key)
            if figures is None:
                figures = compute(timezone.now())
                cache.set(key, figures, CACHE_SECONDS)
            return figures
        end_of_day = datetime.datetime.combine(as_of, datetime.time.max)
        return compute(timezone.make_aware(end_of_day))

    def live_kpis(self, as_of: datetime.date | None = None) -> LiveKpis:
        f = self.figures(as_of)
        median = f["median_days"]
        return LiveKpis(
            source=self.source,
            as_of=(as_of or timezone.localdate()).isoformat(),
            items=[
                LiveKpi("reports_received", "eingegangene Anliegen", str(f["received"])),
                LiveKpi("share_closed", "Anteil abgeschlossen", _percent(f["closed"], f["received"]), "%"),
                LiveKpi("share_fixed", "Anteil erledigt (behoben)", _percent(f["fixed"], f["received"]), "%"),
                LiveKpi(
                    "median_days_to_resolution",
                    "Median Tage bis zum Abschluss",
                    f"{median:.1f}" if median is not None else None,
                    "Tage",
                ),
            ],
        )


PROVIDER = ReportsKpiProvider()
