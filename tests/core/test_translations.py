"""The English catalogue is complete and compiled, and the public pages switch to English."""

import ast
import datetime
import gettext
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

import stadtdigital
from stadtdigital.core.models import Department
from stadtdigital.portfolio import services
from stadtdigital.portfolio.annual_report.figures import build_report_data, headline_figures
from stadtdigital.portfolio.models import FieldOfAction, PublishedReport, Status
from stadtdigital.reports.models import Category, CategoryGroup

CATALOGUE_DIR = Path(stadtdigital.__file__).parent / "locale" / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"

# msgids deliberately left without an English msgstr (Django then shows the German source text).
DELIBERATELY_UNTRANSLATED: frozenset[str] = frozenset()

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def parse_po(path: Path) -> list[dict]:
    """The catalogue's entries (header excluded) as dicts: msgctxt, msgid, msgid_plural, msgstr, flags.

    msgstr is a string, or for plural entries a dict {index: string}. Obsolete (#~) entries are skipped.
    """
    entries, entry, field, flags = [], None, None, set()

    def finish():
        if entry is not None and entry.get("msgid", "") != "":
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += text
            else:
                entry[field] += text
            continue
        keyword, _, value = line.partition(" ")
        text = ast.literal_eval(value)
        if keyword in ("msgctxt", "msgid") and (entry is None or "msgstr" in entry):
            finish()
            entry, flags = {"flags": flags}, set()
        if keyword.startswith("msgstr["):
            index = int(keyword[len("msgstr[") : -1])
            entry.setdefault("msgstr", {})[index] = text
            field = ("msgstr", index)
        else:
            entry[keyword] = text
            field = keyword
    finish()
    return entries


def translations(entry: dict) -> list[str]:
    msgstr = entry["msgstr"]
    return list(msgstr.values()) if isinstance(msgstr, dict) else [msgstr]


@pytest.fixture(scope="module")
def entries():
    assert PO_FILE.is_file(), f"{PO_FILE} is missing; run makemessages -l en"
    parsed = parse_po(PO_FILE)
    assert len(parsed) > 300  # the whole UI, not a stub
    return parsed


def test_catalogue_header_is_not_fuzzy_and_declares_english_plurals():
    header = PO_FILE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header
    assert '"Language: en\\n"' in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header


def test_every_msgid_is_translated_and_none_is_fuzzy(entries):
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert fuzzy == [], f"fuzzy entries are ignored by Django: {fuzzy}"
    empty = [
        e["msgid"]
        for e in entries
        if e["msgid"] not in DELIBERATELY_UNTRANSLATED and not all(translations(e))
    ]
    assert empty == [], f"untranslated: {empty}"


def test_plural_entries_have_both_english_forms(entries):
    plurals = [e for e in entries if "msgid_plural" in e]
    assert plurals
    for entry in plurals:
        assert sorted(entry["msgstr"]) == [0, 1], entry["msgid"]


def test_placeholders_are_kept(entries):
    for entry in entries:
        source = set(PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for text in translations(entry):
            if text:
                assert set(PLACEHOLDER.findall(text)) <= source, entry["msgid"]
        if "msgid_plural" not in entry and entry["msgstr"]:
            assert set(PLACEHOLDER.findall(entry["msgstr"])) == source, entry["msgid"]


def test_compiled_catalogue_is_current(entries):
    """django.mo ships in the package (users installing with pip may lack gettext) and matches the .po."""
    assert MO_FILE.is_file(), f"{MO_FILE} is missing; run compilemessages"
    with MO_FILE.open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    for entry in entries:
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            lookup = lambda n, e=entry: compiled.npgettext(e["msgctxt"], e["msgid"], e["msgid_plural"], n)  # noqa: E731
            single = compiled.pgettext(entry["msgctxt"], msgid)
        else:
            lookup = lambda n, e=entry: compiled.ngettext(e["msgid"], e["msgid_plural"], n)  # noqa: E731
            single = compiled.gettext(msgid)
        if "msgid_plural" in entry:
            assert lookup(1) == entry["msgstr"][0], msgid
            assert lookup(2) == entry["msgstr"][1], msgid
        elif entry["msgstr"]:
            assert single == entry["msgstr"], f"django.mo is stale for {msgid!r}; run compilemessages"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools not installed")
def test_catalogue_compiles_with_format_checks(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- Pages in English ---------------------------------------------------------------------------------


@pytest.fixture
def english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


@pytest.fixture
def portfolio(department):
    field = FieldOfAction.objects.create(name="Schulen und Bildung", slug="schulen", position=1)
    project = services.create_project(
        title="Tablets für Grundschulen",
        effective_date=datetime.date(2020, 1, 15),
        field_of_action=field,
        department=department,
        status=Status.PREPARATION,
        planned_budget=Decimal("150000.00"),
    )
    services.change_status(project, Status.IMPLEMENTATION, effective_date=datetime.date(2020, 3, 1))
    PublishedReport.objects.create(
        year=2021,
        as_of=datetime.date(2021, 6, 30),
        title="Digitalisierungsbericht 2021",
        figures=headline_figures(build_report_data(datetime.date(2021, 6, 30))),
        report_json=b"{}",
        report_html=b"",
        report_pdf=b"",
        annex_csv=b"",
    )
    return project


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert '<html lang="en">' in html, path
    return html


def assert_english(html: str, english_to_german: dict[str, str]) -> None:
    for english_text, german_text in english_to_german.items():
        assert english_text in html, english_text
        assert german_text not in html, german_text


# Footer and header texts every page shows.
LAYOUT = {
    "Skip to content": "Zum Inhalt springen",
    "Main navigation": "Hauptnavigation",
    "A service of the City of": "Ein Angebot der Stadt",
    "Staff sign-in": "Anmeldung für Mitarbeitende",
    ">Projects<": ">Projekte<",
    ">Annual reports<": ">Berichte<",
    ">Reports<": ">Anliegen<",
}


def test_landing_page_in_english(english, db):
    html = page(english, "/")
    assert_english(html, LAYOUT)
    assert_english(
        html,
        {
            "Digital projects": "Digitalprojekte",
            "Digitalisation report": "Digitalisierungsbericht",
            "The annual report as a web page, PDF and machine-readable annex.": "Der jährliche Bericht",
        },
    )


def test_project_list_in_english(english, portfolio):
    html = page(english, "/projekte/")
    assert_english(html, LAYOUT)
    assert "Tablets für Grundschulen" in html  # data stays as entered
    assert_english(
        html,
        {
            "Filter projects": "Projekte filtern",
            "Field of action": "Handlungsfeld",
            "Department": "Fachbereich",
            "1 project": "1 Projekt",
            "Overview": "Überblick",
            "planned budget": "geplantes Budget",
            "costs to date": "bisherige Kosten",
            "in implementation": "in Umsetzung",
        },
    )


def test_report_list_in_english(english, portfolio):
    html = page(english, "/berichte/")
    assert_english(html, LAYOUT)
    assert "Digitalisierungsbericht 2021" in html  # the stored title of a frozen report
    assert_english(
        html,
        {
            "Digitalisation reports": "Digitalisierungsberichte",
            "Reference date 30.06.2021": "Stichtag",
            "published on": "veröffentlicht am",
            "Budget of projects in implementation": "Budget der Projekte in Umsetzung",
            "Read report": "Bericht lesen",
            "Annex CSV": "Anhang CSV",
        },
    )


def test_login_page_in_english(english, db):
    html = page(english, "/verwaltung/anmelden/")
    assert_english(html, LAYOUT)
    assert_english(html, {"Username": "Benutzername", "Password": "Passwort", "Sign in": "Anmelden"})


def test_issue_reporter_pages_in_english(english, db):
    group = CategoryGroup.objects.create(name="Straße und Verkehr", position=1)
    Category.objects.create(
        code="schlagloch",
        name="Straßenschäden und Schlaglöcher",
        group=group,
        department=Department.objects.create(name="Tiefbauamt", slug="tiefbau"),
    )
    html = page(english, "/anliegen/")
    assert_english(html, LAYOUT)
    assert_english(
        html,
        {
            "Report an issue": "Anliegen melden",
            "Filter reports": "Anliegen filtern",
            "Email alerts": "Benachrichtigung per E-Mail",
            "Skip map, go to list view": "Karte überspringen",
        },
    )
    html = page(english, "/anliegen/neu/")
    assert_english(html, LAYOUT)
    assert "Straßenschäden und Schlaglöcher" in html  # category names stay as entered
    assert_english(
        html,
        {
            "What is the problem?": "Was ist das Problem?",
            "Where is it?": "Wo ist es?",
            "Use my location": "Meinen Standort verwenden",
            "What and where": "Was und wo",
        },
    )


def test_german_stays_the_default(client, db):
    html = client.get("/").content.decode()
    assert '<html lang="de">' in html
    assert "Zum Inhalt springen" in html and "Skip to content" not in html
