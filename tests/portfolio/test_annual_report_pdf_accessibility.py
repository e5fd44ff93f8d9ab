"""The annual report PDF is tagged PDF/UA-1: structure tree, /MarkInfo, language, displayed title, every
chart a /Figure with a text alternative that names its values, tables as tables."""

import io

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from stadtdigital.portfolio.annual_report import render
from stadtdigital.portfolio.annual_report.figures import build_report_data
from tests.portfolio.test_annual_report_render import AS_OF, portfolio  # noqa: F401  (fixture)


@pytest.fixture
def pdf(portfolio):  # noqa: F811
    data = build_report_data(AS_OF)
    # Same data, same bytes: test_annual_report_render.test_same_data_gives_identical_bytes_in_every_format.
    return PdfReader(io.BytesIO(render.render_pdf(data)))


def resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def structure_elements(node):
    """Every structure element below `node` (depth first)."""
    node = resolve(node)
    kids = node.get("/K") if hasattr(node, "get") else None
    if kids is None:
        return
    kids = resolve(kids)
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = resolve(kid)
        if hasattr(kid, "get") and "/S" in kid:
            yield kid
            yield from structure_elements(kid)


def test_pdf_is_tagged_with_language_and_displayed_title(pdf):
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(resolve(root["/MarkInfo"])["/Marked"])
    assert str(root["/Lang"]).startswith("de")
    assert bool(resolve(root["/ViewerPreferences"])["/DisplayDocTitle"])
    assert pdf.metadata.title.startswith("Digitalisierungsbericht")
    assert b"pdfuaid" in resolve(root["/Metadata"]).get_data()  # the PDF/UA identification


def test_every_chart_is_a_figure_with_its_values_as_text(pdf):
    elements = list(structure_elements(pdf.trailer["/Root"]["/StructTreeRoot"]))
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) == 3  # status, budget per field of action, completions
    alternatives = [str(f.get("/Alt", "")) for f in figures]
    assert all(alternatives), alternatives
    assert any(text.startswith("Projekte nach Status") or "Status" in text for text in alternatives)
    assert all(any(ch.isdigit() for ch in text) for text in alternatives), alternatives  # the values


def test_tables_are_tagged_as_tables_with_header_cells(pdf):
    elements = list(structure_elements(pdf.trailer["/Root"]["/StructTreeRoot"]))
    kinds = [str(e["/S"]) for e in elements]
    assert kinds.count("/Table") >= 4
    assert "/TH" in kinds and "/TD" in kinds and "/Caption" in kinds
    assert "/H1" in kinds and "/H2" in kinds
