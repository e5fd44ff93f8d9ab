"""The dataset `projekte`: the portfolio of digital projects, public fields only, as CSV, JSON and XLSX.

One row per project, ordered by slug. CSV and XLSX have flat columns: lists hold one entry per line
within the cell, an entry's parts separated by " | " (as in the back office export). JSON keeps the lists
as arrays of objects. Money and KPI values are exact decimals ("150000.00"); dates are ISO dates.
Column names are the JSON keys, so every format reads the same way.
"""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from stadtdigital.opendata import writers
from stadtdigital.opendata.registry import Dataset, Period, Progress, streamed
from stadtdigital.opendata.texts import lazy_format
from stadtdigital.portfolio import selectors as portfolio
from stadtdigital.portfolio.selectors import PublicProjectRow
from stadtdigital.portfolio.tabular import join_parts

NAME = "projekte"

COLUMNS = (
    "slug",
    "title",
    "summary",
    "description",
    "url",
    "field_of_action",
    "status",
    "status_label",
    "status_since",
    "department",
    "priority",
    "priority_label",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "planned_budget_eur",
    "cost_to_date_eur",
    "funding_eur",
    "funding_source",
    "partners",
    "tags",
    "milestones",
    "kpis",
    "links",
)


def project_object(row: PublicProjectRow) -> dict:
    """A project as a JSON object, keys in COLUMNS order."""
    return {
        "slug": row.slug,
        "title": row.title,
        "summary": row.summary,
        "description": row.description,
        "url": row.url,
        "field_of_action": row.field_of_action,
        "status": row.status,
        "status_label": row.status_label,
        "status_since": row.status_since,
        "department": row.department,
        "priority": row.priority,
        "priority_label": row.priority_label,
        "planned_start": row.planned_start,
        "planned_end": row.planned_end,
        "actual_start": row.actual_start,
        "actual_end": row.actual_end,
        "planned_budget_eur": row.planned_budget,
        "cost_to_date_eur": row.cost_to_date,
        "funding_eur": row.funding_amount,
        "funding_source": row.funding_source,
        "partners": [{"name": p.name, "kind": p.kind, "kind_label": p.kind_label} for p in row.partners],
        "tags": list(row.tags),
        "milestones": [{"title": m.title, "due": m.due, "done_on": m.done_on} for m in row.milestones],
        "kpis": [
            {"name": k.name, "unit": k.unit, "target": k.target, "current": k.current, "as_of": k.as_of}
            for k in row.kpis
        ],
        "links": [{"title": link.title, "url": link.url} for link in row.links],
    }


def _entry(first: str, *keyword_values: tuple[str, object]) -> str:
    """'Titel | fällig: 2021-06-30': the first part bare, the others with keyword, empty ones left out."""
    parts = [first] + [
        f"{keyword}: {_cell_text(value)}" for keyword, value in keyword_values if value not in (None, "")
    ]
    return join_parts(parts)


def _cell_text(value) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def project_cells(row: PublicProjectRow) -> list:
    """A project as a flat CSV/XLSX row in COLUMNS order (Decimal and dates left to the writer)."""
    values = project_object(row)
    values["partners"] = "\n".join(_entry(p.name, ("Art", p.kind_label)) for p in row.partners)
    values["tags"] = "\n".join(row.tags)
    values["milestones"] = "\n".join(
        _entry(m.title, ("fällig", m.due), ("erreicht", m.done_on)) for m in row.milestones
    )
    values["kpis"] = "\n".join(
        _entry(k.name, ("Einheit", k.unit), ("Ziel", k.target), ("aktuell", k.current), ("Stand", k.as_of))
        for k in row.kpis
    )
    values["links"] = "\n".join(join_parts([link.title, link.url]) for link in row.links)
    return [values[column] for column in COLUMNS]


def _csv(period: Period, progress: Progress | None) -> Iterator[bytes]:
    rows = (project_cells(row) for row in portfolio.public_project_rows())
    return writers.csv_chunks(COLUMNS, rows, progress)


def _json(period: Period, progress: Progress | None) -> Iterator[bytes]:
    return writers.json_chunks((project_object(row) for row in portfolio.public_project_rows()), progress)


def _xlsx(period: Period, progress: Progress | None) -> Iterator[bytes]:
    rows = (project_cells(row) for row in portfolio.public_project_rows())
    return writers.xlsx_chunks(COLUMNS, rows, progress, sheet_title="Projekte", modified=_modified())


def _modified() -> datetime.datetime | None:
    from stadtdigital.opendata.selectors import noted_change

    stamps = [stamp for stamp in (portfolio.portfolio_changed_at(), noted_change(NAME)) if stamp is not None]
    return max(stamps) if stamps else None


def watch() -> None:
    """Moves Last-Modified/ETag on for changes that leave no timestamp on a project (see DataChange)."""
    from stadtdigital.opendata import services

    services.watch_changes(NAME, portfolio.PUBLIC_ROW_SOURCES)


def datasets() -> list[Dataset]:
    return [
        Dataset(
            name=NAME,
            title=lazy_format(gettext_noop("Digitalprojekte der Stadt %(city)s"), city=settings.CITY_NAME),
            description=lazy_format(
                gettext_noop(
                    "Das Projektportfolio der Stadt %(city)s: alle Digitalprojekte mit Handlungsfeld, Status "
                    "(seit wann), Fachbereich, Zeitplan, geplantem Budget, bisherigen Kosten, Fördermitteln, "
                    "Partnern, Priorität, Schlagwörtern, Meilensteinen, Kennzahlen und Links; eine Zeile je "
                    "Projekt, tagesaktuell. Beträge in Euro mit Punkt als Dezimaltrennzeichen, Datumsangaben "
                    "im Format JJJJ-MM-TT."
                ),
                city=settings.CITY_NAME,
            ),
            keywords=(
                _("Digitalisierung"),
                _("Digitalprojekte"),
                _("Projektportfolio"),
                _("Verwaltungsdigitalisierung"),
                _("Smart City"),
                _("Haushalt"),
            ),
            themes=("GOVE", "TECH"),
            frequency="IRREG",
            distributions=streamed(csv=_csv, json=_json, xlsx=_xlsx),
            modified=_modified,
            temporal=portfolio.portfolio_date_range,
            row_count=lambda period: portfolio.public_project_count(),
            supports_period=False,
            landing_page=lambda: reverse("portfolio:project-list"),
            issued=portfolio.portfolio_first_created_at,
        )
    ]
