"""The report's formats: charts in HTML and PDF, reproducible bytes, CSV annex, no internal fields."""

import csv
import datetime
import io
import json
import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from stadtdigital.portfolio import services
from stadtdigital.portfolio.annual_report import charts, render
from stadtdigital.portfolio.annual_report.figures import build_report_data
from stadtdigital.portfolio.models import KPI, Milestone, Partner, Status

D = datetime.date
AS_OF = D(2021, 6, 30)


def pdf_text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


@pytest.fixture
def portfolio(make_project, other_field_of_action):
    a = make_project(
        "Tablets für Grundschulen",
        summary="Jede Grundschule erhält Tablets.",
        contact_person="Erika Geheimperson",
        internal_notes="GEHEIMNOTIZ intern",
        planned_budget=Decimal("1250000.00"),
        funding_amount=Decimal("800000.00"),
        funding_source="DigitalPakt Schule",
    )
    a.partners.add(Partner.objects.create(name="Hochschule Musterstadt", kind="university"))
    services.change_status(a, Status.IMPLEMENTATION, effective_date=D(2020, 3, 1))
    Milestone.objects.create(project=a, title="Geräte beschafft", due=D(2020, 9, 1), done_on=D(2020, 8, 20))
    KPI.objects.create(project=a, name="Tablets im Einsatz", unit="Stück", target=2000, current=1114)
    b = make_project("Glasfaser Gewerbegebiet", field_of_action=other_field_of_action)
    services.change_status(b, Status.COMPLETED, effective_date=D(2021, 2, 1))
    make_project('=HYPERLINK("x") Formel', planned_budget=None)
    return a, b


@pytest.fixture
def data(portfolio):
    return build_report_data(AS_OF)


def test_html_is_standalone_with_three_accessible_svg_charts(data):
    html = render.render_html(data)
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg ") == 3
    assert html.count('role="img"') == 3
    for title in ("Projekte nach Status", "Geplantes Budget nach Handlungsfeld", "Abgeschlossene Projekte"):
        assert title in html
    assert "Daten zu Abbildung 1" in html  # the data table next to each chart
    assert "<link" not in html and "<script" not in html  # no external assets
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids must be unique across the inlined charts"
    assert "1,3\u00a0Mio.\u00a0€" in html  # German money format


def test_charts_are_deterministic_and_have_no_date(data):
    charts._all_charts.cache_clear()
    first = charts.status_chart(data)
    assert first == charts.status_chart(data)
    assert "<dc:date>" not in first and "Date" not in first
    assert "<title" in first and "<desc" in first


def test_same_data_gives_identical_bytes_in_every_format(data):
    assert render.render_html(data) == render.render_html(data)
    assert render.render_json(data) == render.render_json(data)
    assert render.render_annex_csv(data) == render.render_annex_csv(data)
    charts._all_charts.cache_clear()
    assert render.render_pdf(data) == render.render_pdf(data)


def test_pdf_contains_the_charts_and_headline_figures(data, tmp_path):
    pdf = render.render_pdf(data)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    # Text that only the charts draw (legends, axis labels):
    assert "geplantes Budget aller Projekte" in text
    assert "abgeschlossen insgesamt" in text
    assert "Anzahl Projekte" in text
    assert "Digitalisierungsbericht 2021" in text
    assert "Tablets für Grundschulen" in text
    assert "Seite 2 von" in text
    assert "Erika Geheimperson" not in text and "GEHEIMNOTIZ" not in text


def test_synthetic_notice(data, tmp_path):
    assert "Demodaten" not in render.render_html(data)
    data = {**data, "is_synthetic": True}
    assert "Dieser Bericht beruht auf synthetisch erzeugten Daten" in render.render_html(data)
    assert "synthetisch" in pdf_text(render.render_pdf(data), tmp_path)


def test_json_annex(data):
    parsed = json.loads(render.render_json(data).decode("utf-8"))
    assert parsed == data
    assert parsed["projects_by_status"]["implementation"] == 1
    assert parsed["implementation_cost_eur"] == "1250000.00"


def test_csv_annex_one_row_per_project_german_headers_bom(data):
    raw = render.render_annex_csv(data)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Stichtag", "Handlungsfeld", "Handlungsfeld (Kurzname)", "Projekt"]
    assert "Geplantes Budget (EUR)" in header and "Fördermittel (EUR)" in header
    assert len(body) == 3
    by_title = {row[header.index("Projekt")]: dict(zip(header, row, strict=True)) for row in body}
    tablets = by_title["Tablets für Grundschulen"]
    assert tablets["Geplantes Budget (EUR)"] == "1250000,00"
    assert tablets["Status"] == "in Umsetzung"
    assert tablets["Partner"] == "Hochschule Musterstadt"
    assert tablets["Meilensteine erreicht"] == "1"
    assert "Tablets im Einsatz: 1.114 von 2.000 Stück" in tablets["Kennzahlen"]
    # Formula injection is neutralised.
    assert '\'=HYPERLINK("x") Formel' in by_title


def test_internal_fields_never_appear_in_any_output(data):
    outputs = [
        render.render_html(data).encode(),
        render.render_json(data),
        render.render_annex_csv(data),
    ]
    for output in outputs:
        assert b"Geheimperson" not in output
        assert b"GEHEIMNOTIZ" not in output


def test_big_portfolios_get_one_line_per_project(data, monkeypatch):
    monkeypatch.setattr(render, "COMPACT_THRESHOLD", 1)
    html = render.render_html(data)
    assert 'class="project-lines"' in html
    assert "Tablets für Grundschulen – in Umsetzung" in html
    assert '<article class="project"' not in html
