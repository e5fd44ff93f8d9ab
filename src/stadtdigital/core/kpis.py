"""Live key figures that one app provides for a project of the portfolio, without the apps importing each
other: core keeps the registry, the providing app registers, the portfolio asks core.

An app's AppConfig may declare `live_kpi_providers = ("dotted.path.to.provider",)`. A provider is an object
with `project_slugs() -> set[str]` (the portfolio projects it reports on) and
`live_kpis(as_of: datetime.date | None) -> LiveKpis` (figures now, or as at the end of a past day).
"""

import datetime
import logging
from dataclasses import asdict, dataclass, field

from django.apps import apps
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveKpi:
    key: str  # stable, e.g. "reports_received"
    label: str  # German label
    value: str | None  # a number as a string ("5000", "81.3"), None when it cannot be computed yet
    unit: str = ""  # "%", "Tage", ""


@dataclass(frozen=True)
class LiveKpis:
    source: str  # e.g. "Mängelmelder"
    as_of: str  # ISO date or date-time the figures are for
    items: list[LiveKpi] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def providers() -> list:
    found = []
    for config in apps.get_app_configs():
        for path in getattr(config, "live_kpi_providers", ()):
            try:
                found.append(import_string(path))
            except ImportError:
                logger.exception("Live KPI provider %s cannot be imported", path)
    return found


def live_kpis_for(project_slug: str, as_of: datetime.date | None = None) -> list[LiveKpis]:
    """Every provider's figures for the project; empty when no provider reports on it."""
    result = []
    for provider in providers():
        if project_slug in provider.project_slugs():
            result.append(provider.live_kpis(as_of))
    return result


def project_slugs_with_live_kpis() -> set[str]:
    return {slug for provider in providers() for slug in provider.project_slugs()}
