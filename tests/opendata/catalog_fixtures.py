"""Fixtures for the catalogue tests: a synthetic registry, real data and the official DCAT-AP.de shapes.

Test modules load it with `pytest_plugins = ["tests.opendata.catalog_fixtures"]` (not by importing it, so
pytest registers the fixtures without shadowing warnings).

The synthetic datasets look like the real ones (portfolio, a published report with a stored PDF, citizens'
reports with a period filter, monthly statistics) but need no database rows, so the catalogue's mapping can
be tested on its own. Their texts switch language like gettext_lazy strings do.
"""

import datetime
import functools
import os
from pathlib import Path

import pytest
import rdflib
from django.utils import timezone, translation
from django.utils.functional import lazy

from stadtdigital.opendata.registry import FORMATS, Dataset, Distribution
from stadtdigital.portfolio import services
from stadtdigital.portfolio.annual_report.publishing import publish_report
from stadtdigital.portfolio.models import FieldOfAction, Status
from stadtdigital.reports.models import OPEN_STATES, Category, CategoryGroup, Report, State, Visibility
from stadtdigital.reports.services.history import record_event


def _shapes_dir() -> Path:
    """The official DCAT-AP.de shapes: DCAT_AP_DE_SHAPES, else `shared/dcat-ap-de` next to the checkout
    (where the project's shared files live on the development and CI machines), else /work/shared."""
    candidates = [
        os.environ.get("DCAT_AP_DE_SHAPES", ""),
        Path(__file__).resolve().parents[3] / "shared" / "dcat-ap-de",
        "/work/shared/dcat-ap-de",
    ]
    found = [Path(candidate) for candidate in candidates if candidate and Path(candidate).is_dir()]
    return found[0] if found else Path(candidates[1])


SHAPES_DIR = _shapes_dir()

# With microseconds, which the catalogue drops.
MODIFIED = timezone.make_aware(datetime.datetime(2024, 5, 2, 14, 30, 15, 123456))
ISSUED = timezone.make_aware(datetime.datetime(2021, 7, 15, 9, 0))
PDF_BYTES = b"%PDF-1.7\n% synthetic report\n%%EOF\n"


def bilingual(german: str, english: str):
    """A lazy text like gettext_lazy's: German by default, English under translation.override('en')."""
    return lazy(lambda: english if translation.get_language() == "en" else german, str)()


def _stream(body: bytes):
    def stream(period, progress):
        yield body[: len(body) // 2]
        yield body[len(body) // 2 :]
        if progress:
            progress(2)

    return stream


def _distribution(key: str, body: bytes, *, stored: bool = False) -> Distribution:
    return Distribution(FORMATS[key], _stream(body), (lambda: len(body)) if stored else None)


def synthetic_datasets() -> list[Dataset]:
    return [
        Dataset(
            name="projekte",
            title=bilingual("Digitalisierungsprojekte", "Digital projects"),
            description=bilingual(
                "Alle öffentlichen Angaben zu den Digitalisierungsprojekten der Stadt.",
                "All public information about the city's digital projects.",
            ),
            keywords=(bilingual("Digitalisierung", "digitalisation"), "Projekte"),
            themes=("GOVE", "TECH"),
            frequency="DAILY",
            distributions=(
                _distribution("csv", b"id,titel\r\n1,Tablets\r\n"),
                _distribution("json", b'[{"id":1,"titel":"Tablets"}]\n'),
                _distribution("xlsx", b"PK\x03\x04 synthetic workbook"),
            ),
            modified=lambda: MODIFIED,
            temporal=lambda: (datetime.date(2019, 1, 1), datetime.date(2024, 5, 2)),
            row_count=lambda period: 1,
            landing_page=lambda: "/projekte/",
        ),
        Dataset(
            name="digitalisierungsbericht-2021",
            title="Digitalisierungsbericht 2021",
            description=bilingual(
                "Der Digitalisierungsbericht zum Stichtag 30.06.2021 mit Anhang.",
                "The digitalisation report as of 30 June 2021 with its annex.",
            ),
            keywords=(bilingual("Bericht", "report"),),
            themes=("GOVE",),
            frequency="NEVER",
            distributions=(
                _distribution("pdf", PDF_BYTES, stored=True),
                _distribution("csv", b"kennzahl,wert\r\nprojekte,102\r\n"),
                _distribution("json", b'{"projekte":102}\n'),
            ),
            modified=lambda: ISSUED,
            temporal=lambda: (datetime.date(2019, 1, 1), datetime.date(2021, 6, 30)),
            row_count=lambda period: None,
            landing_page=lambda: "/berichte/2021/",
            issued=lambda: ISSUED,
        ),
        Dataset(
            name="anliegen",
            title=bilingual("Anliegen aus dem Mängelmelder", "Reports from the issue reporter"),
            description=bilingual(
                "Gemeldete Mängel im öffentlichen Raum, ohne personenbezogene Daten.",
                "Problems reported in public space, without personal data.",
            ),
            keywords=(bilingual("Mängelmelder", "issue reporting"),),
            themes=("REGI", "GOVE"),
            frequency="DAILY",
            distributions=(
                _distribution("csv", b"id,kategorie\r\n7,Schlagloch\r\n"),
                _distribution("geojson", b'{"type":"FeatureCollection","features":[]}\n'),
            ),
            modified=lambda: MODIFIED,
            temporal=lambda: (datetime.date(2022, 5, 1), datetime.date(2024, 5, 2)),
            row_count=lambda period: 1,
            supports_period=True,
            landing_page=lambda: "/anliegen/",
        ),
        Dataset(
            name="anliegen-statistik",
            title=bilingual("Monatsstatistik der Anliegen", "Monthly statistics of reports"),
            description=bilingual(
                "Eingegangene, erledigte und behobene Anliegen je Monat, Kategorie und Fachbereich.",
                "Reports received, closed and fixed per month, category and department.",
            ),
            keywords=(),
            themes=("REGI",),
            frequency="MONTHLY",
            distributions=(_distribution("csv", b"monat,eingegangen\r\n2024-04,3\r\n"),),
            modified=lambda: None,  # a dataset without data yet: no dates at all
            temporal=lambda: None,
            row_count=lambda period: 0,
        ),
    ]


@pytest.fixture
def synthetic_registry(db, monkeypatch):
    """Replaces the registry's dataset modules by the synthetic datasets (for views and the catalogue)."""
    datasets = synthetic_datasets()
    monkeypatch.setattr("stadtdigital.opendata.registry.collect", lambda: datasets)
    return datasets


@functools.cache
def shapes_graph() -> rdflib.Graph:
    """All official DCAT-AP 3.0 / DCAT-AP.de 3.0 shapes in one graph, parsed once per test session."""
    graph = rdflib.Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


REPORTER = {
    "reporter_name": "Max Geheimmelder",
    "reporter_email": "max.geheim@example.org",
    "reporter_phone": "+49 170 9876543",
}
PROJECT_CONTACT = "Erika Geheimperson"


@pytest.fixture
def real_data(department):
    """Real rows behind the real registry: projects, a published Digitalisierungsbericht and reports.

    Personal data is planted everywhere it could leak from (a project's contact person and notes, the
    reporters of a public and of a hidden report); the fixture returns those texts.
    """
    field = FieldOfAction.objects.create(name="Schulen und Bildung", slug="schulen", position=1)
    project = services.create_project(
        title="Tablets für Grundschulen",
        effective_date=datetime.date(2020, 1, 15),
        field_of_action=field,
        department=department,
        status=Status.PREPARATION,
        contact_person=PROJECT_CONTACT,
        internal_notes="GEHEIMNOTIZ-4711",
    )
    services.change_status(project, Status.IMPLEMENTATION, effective_date=datetime.date(2020, 3, 1))
    services.create_project(
        title="Digitales Bürgerbüro",
        effective_date=datetime.date(2020, 6, 1),
        field_of_action=field,
        department=department,
        status=Status.PREPARATION,
    )
    publish_report(as_of=datetime.date(2021, 6, 30))

    group = CategoryGroup.objects.create(name="Straße und Verkehr", position=1)
    category = Category.objects.create(
        code="schlagloch", name="Straßenschäden", group=group, department=department, target_days=10
    )
    for state, visibility, description in [
        (State.RECEIVED, Visibility.PUBLIC, "Tiefes Schlagloch"),
        (State.FIXED, Visibility.PUBLIC, "Ampel defekt"),
        (State.RECEIVED, Visibility.HIDDEN, "Versteckt"),
    ]:
        created = timezone.now() - datetime.timedelta(days=3)
        report = Report.objects.create(
            category=category,
            department=department,
            state=state,
            is_open=state in OPEN_STATES,
            visibility=visibility,
            description=description,
            lat=49.142,
            lon=9.21,
            created_at=created,
            updated_at=created,
            closed_at=None if state in OPEN_STATES else created,
            **REPORTER,
        )
        record_event(report, "created", to_state=State.RECEIVED, at=created)
    return (*REPORTER.values(), PROJECT_CONTACT, "GEHEIMNOTIZ-4711", "Versteckt")
