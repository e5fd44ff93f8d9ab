"""The report's formats, all from the dict of `figures.build_report_data`: HTML, PDF, JSON, CSV annex.

Reproducible: the same data gives byte-identical HTML, JSON and CSV; the PDF's dates are fixed to the
Stichtag (no "now" anywhere), so the PDF is byte-identical too for the same WeasyPrint version and fonts.
The report is rendered in German whatever the request's language (it is a German publication).
"""

import datetime
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import npgettext

from stadtdigital.core import csvfiles
from stadtdigital.core.numbers import format_decimal_de, format_integer_de
from stadtdigital.portfolio.annual_report.formatting import (
    MINUS,
    date_de,
    date_long_de,
    eur,
    eur_short,
    number_de,
    percent_de,
    signed,
    signed_eur_short,
    to_decimal,
)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "portfolio"
# Above this many projects the report lists each project on one line instead of a full profile: a readable
# document for the council, and a PDF of 10,000 projects in seconds rather than minutes. Every figure of
# every project stays in the JSON and CSV annex.
COMPACT_THRESHOLD = 400
FRAGMENT_START = "<!-- report:start -->"
FRAGMENT_END = "<!-- report:end -->"
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}
FILE_NAMES = {"html": "bericht.html", "pdf": "bericht.pdf", "json": "anhang.json", "csv": "anhang.csv"}


@cache
def stylesheet(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def _period(start: str | None, end: str | None) -> str:
    if not start and not end:
        return "–"
    return f"{date_de(start) if start else 'offen'} – {date_de(end) if end else 'offen'}"


def _project_view(p: dict) -> dict:
    return {
        **p,
        "status_since_de": date_de(p["status_since"]),
        "planned_period": _period(p["planned_start"], p["planned_end"]),
        "actual_period": _period(p["actual_start"], p["actual_end"])
        if p["actual_start"] or p["actual_end"]
        else "",
        "planned_budget": eur(p["planned_budget_eur"]),
        "planned_budget_short": eur_short(p["planned_budget_eur"]),
        "cost_to_date": eur(p["cost_to_date_eur"]),
        "funding": eur(p["funding_eur"]) if p["funding_eur"] else "",
        "partner_names": ", ".join(partner["name"] for partner in p["partners"]),
        "milestone_views": [
            {**m, "due_de": date_de(m["due"]) if m["due"] else "", "done_de": date_de(m["done_on"])}
            for m in p["milestones"]
        ],
        "kpi_views": [
            {
                **k,
                "current_de": number_de(k["current"]),
                "target_de": number_de(k["target"]),
                "as_of_de": date_de(k["as_of"]) if k["as_of"] else "",
            }
            for k in p["kpis"]
        ],
    }


def status_word(code: str, count: int, label: str) -> str:
    """The status after a count: "1 Idee", "2 Ideen"; the other statuses are adjectives ("2 pausiert")."""
    if code == "idea":
        return npgettext("Anzahl Projekte im Status", "Idee", "Ideen", count)
    return label


def _status_rows(counts: dict, statuses: list[dict], total: int) -> list[dict]:
    return [
        {
            "code": s["code"],
            "label": s["label"],
            "count": format_integer_de(counts[s["code"]]),
            "share": percent_de(counts[s["code"]], total),
        }
        for s in statuses
    ]


def context(data: dict) -> dict:
    """Template context: the data plus display strings (German number and date formats)."""
    statuses = data["statuses"]
    labels = {s["code"]: s["label"] for s in statuses}
    compact = data["total_projects"] > COMPACT_THRESHOLD
    implementation_cost = to_decimal(data["implementation_cost_eur"])
    projects_by_field: dict[str, list] = {}
    for p in data["projects"]:
        projects_by_field.setdefault(p["field_of_action"], []).append(p if compact else _project_view(p))
    fields = []
    for number, f in enumerate(data["fields_of_action"], start=1):
        fields.append(
            {
                **f,
                "number": number,
                "anchor": f"handlungsfeld-{f['slug']}",
                "status_summary": ", ".join(
                    f"{format_integer_de(count)} {status_word(code, count, labels[code])}"
                    for code, count in f["projects_by_status"].items()
                    if count
                ),
                "planned_budget": eur(f["planned_budget_eur"]),
                "planned_budget_short": eur_short(f["planned_budget_eur"]),
                "implementation_cost": eur(f["implementation_cost_eur"]),
                "implementation_cost_short": eur_short(f["implementation_cost_eur"]),
                "implementation_share": percent_de(
                    to_decimal(f["implementation_cost_eur"]), implementation_cost
                ),
                "cost_to_date": eur(f["cost_to_date_eur"]),
                "funding": eur(f["funding_eur"]),
                "projects": projects_by_field.get(f["slug"], []),
            }
        )
    if compact:
        for f in fields:
            f["projects"] = [
                {
                    "title": p["title"],
                    "status": p["status"],
                    "status_label": p["status_label"],
                    "department": p["department"]["short_name"] or p["department"]["name"],
                    "budget": eur_short(p["planned_budget_eur"]),
                }
                for p in f["projects"]
            ]
    largest = data["largest_field_of_action_by_cost"]
    comparison = data["comparison"]
    comparison_view = None
    if comparison:
        comparison_view = {
            "previous_title": comparison["previous"]["title"],
            "previous_as_of": date_de(comparison["previous"]["as_of"]),
            "summary": comparison["summary"],
            "rows": [
                {
                    "label": "Projekte insgesamt",
                    "previous": format_integer_de(comparison["total_projects"]["previous"]),
                    "current": format_integer_de(comparison["total_projects"]["current"]),
                    "delta": signed(comparison["total_projects"]["delta"]),
                }
            ]
            + [
                {
                    "label": labels[code],
                    "previous": format_integer_de(row["previous"]),
                    "current": format_integer_de(row["current"]),
                    "delta": signed(row["delta"]),
                }
                for code, row in comparison["projects_by_status"].items()
            ]
            + [
                {
                    "label": "Kosten der Projekte in Umsetzung",
                    "previous": eur_short(comparison["implementation_cost_eur"]["previous"]),
                    "current": eur_short(comparison["implementation_cost_eur"]["current"]),
                    "delta": signed_eur_short(comparison["implementation_cost_eur"]["delta"]),
                }
            ],
        }
    # matplotlib (and numpy with it) loads when a report is rendered, not with the URLconf: a web process that
    # never renders one does not carry it (tests/reports/test_assist_loaded_on_first_use.py).
    from stadtdigital.portfolio.annual_report import charts

    unit, completion_series = charts.completion_series(data)
    counts = data["projects_by_status"]
    return {
        "data": data,
        "compact": compact,
        "as_of_long": date_long_de(data["as_of"]),
        "as_of_de": date_de(data["as_of"]),
        "total": format_integer_de(data["total_projects"]),
        "headline": [
            (format_integer_de(counts["completed"]), labels["completed"]),
            (format_integer_de(counts["implementation"]), labels["implementation"]),
            (format_integer_de(counts["preparation"]), labels["preparation"]),
        ],
        "other_statuses": ", ".join(
            f"{format_integer_de(counts[code])} {status_word(code, counts[code], labels[code])}"
            for code in ("idea", "paused", "cancelled")
            if counts.get(code)
        ),
        "implementation_cost": eur(data["implementation_cost_eur"]),
        "implementation_cost_short": eur_short(data["implementation_cost_eur"]),
        "planned_budget_total": eur(data["planned_budget_total_eur"]),
        "planned_budget_total_short": eur_short(data["planned_budget_total_eur"]),
        "cost_to_date_total": eur(data["cost_to_date_total_eur"]),
        "funding_total": eur(data["funding_total_eur"]),
        "largest": largest
        and {
            **largest,
            "cost": eur(largest["implementation_cost_eur"]),
            "cost_short": eur_short(largest["implementation_cost_eur"]),
            "share": percent_de(to_decimal(largest["implementation_cost_eur"]), implementation_cost),
        },
        "status_rows": _status_rows(counts, statuses, data["total_projects"]),
        "fields": fields,
        "comparison": comparison_view,
        "completion_unit": unit,
        "completion_rows": [
            {
                "period": charts.period_label(s["period"]),
                "completed": format_integer_de(s["completed"]),
                "cumulative": format_integer_de(s["cumulative"]),
            }
            for s in completion_series
        ],
        "charts": charts.all_charts(data),
    }


def _document(data: dict, medium: str) -> str:
    with translation.override("de"):
        ctx = context(data)
        css = stylesheet("report.css")
        css += "\n" + stylesheet("report-print.css" if medium == "pdf" else "report-document.css")
        as_of = datetime.date.fromisoformat(data["as_of"])
        ctx.update(
            {
                "css": css,
                "medium": medium,
                # WeasyPrint takes the PDF's creation/modification dates from these: fixed to the Stichtag.
                "document_date": as_of.isoformat(),
                "fragment_start": FRAGMENT_START,
                "fragment_end": FRAGMENT_END,
            }
        )
        return render_to_string("portfolio/reports/document.html", ctx)


def render_html(data: dict) -> str:
    """The report as one standalone HTML document (inline CSS and SVG charts, no external assets)."""
    return _document(data, "html")


def render_pdf(data: dict) -> bytes:
    """The report as an A4 PDF (WeasyPrint): title page, contents, page numbers, charts."""
    from weasyprint import HTML

    html = _pdf_chart_alternatives(_document(data, "pdf"))
    document = HTML(string=html, base_url=str(STATIC_DIR)).render()
    # PDF/UA-1: tagged (structure tree, tables as tables, figures with /Alt), language, displayed title.
    return document.write_pdf(uncompressed_pdf=False, pdf_variant="pdf/ua-1")


CHART_TEXT = re.compile(
    r'(<title id="([\w-]+)-title">)(.*?)(</title><desc id="\2-desc">)(.*?)(</desc>)', re.S
)


def _pdf_chart_alternatives(html: str) -> str:
    """WeasyPrint takes a chart's PDF /Alt from the SVG <title> alone: put the description (the values)
    there too, so the PDF's text alternative says what the chart shows, not only its name."""
    return CHART_TEXT.sub(lambda m: f"{m[1]}{m[3]}. {m[5]}{m[4]}{m[5]}{m[6]}", html)


def html_fragment(html: str) -> str:
    """The <article> of a standalone report document, for embedding it into a site page."""
    start, end = html.find(FRAGMENT_START), html.find(FRAGMENT_END)
    if start < 0 or end < 0:
        return ""
    return html[start + len(FRAGMENT_START) : end]


def render_json(data: dict) -> bytes:
    """The machine-readable annex (docs/annual-report-json.md): UTF-8, stable key order, indented."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# The annex, one row per project, in two CSV dialects (core.csvfiles): the German spreadsheet annex stored at
# publication (German headers, dates and amounts) and the open data CSV (RFC 4180, ISO dates, decimal point;
# `None` as name: German only). (German header, open data name, kind, value): the value is the key of the
# project's field in the report data, or a function of (report data, project) for anything derived.
ANNEX_COLUMNS = (
    ("Stichtag", "stichtag", "text", lambda d, p: d["as_of"]),
    ("Handlungsfeld", "handlungsfeld", "text", "_field_name"),
    ("Handlungsfeld (Kurzname)", "handlungsfeld_kurzname", "text", "field_of_action"),
    ("Projekt", "projekt", "text", "title"),
    ("Kurzname", "kurzname", "text", "slug"),
    ("Status", "status_bezeichnung", "text", "status_label"),
    ("Status (Code)", "status", "text", "status"),
    ("Status seit", "status_seit", "date", "status_since"),
    ("Fachbereich", "fachbereich", "text", lambda d, p: p["department"]["name"]),
    ("Priorität", "prioritaet", "text", "priority_label"),
    ("Geplanter Beginn", "geplanter_beginn", "date", "planned_start"),
    ("Geplantes Ende", "geplantes_ende", "date", "planned_end"),
    ("Tatsächlicher Beginn", "tatsaechlicher_beginn", "date", "actual_start"),
    ("Tatsächliches Ende", "tatsaechliches_ende", "date", "actual_end"),
    ("Geplantes Budget (EUR)", "geplantes_budget_eur", "money", "planned_budget_eur"),
    ("Bisherige Kosten (EUR)", "bisherige_kosten_eur", "money", "cost_to_date_eur"),
    ("Fördermittel (EUR)", "foerdermittel_eur", "money", "funding_eur"),
    ("Fördermittelgeber", "foerdermittelgeber", "text", "funding_source"),
    ("Partner", "partner", "text", lambda d, p: " | ".join(x["name"] for x in p["partners"])),
    ("Schlagwörter", "schlagwoerter", "text", lambda d, p: " | ".join(p["tags"])),
    ("Meilensteine gesamt", "meilensteine_gesamt", "text", lambda d, p: len(p["milestones"])),
    (
        "Meilensteine erreicht",
        "meilensteine_erreicht",
        "text",
        lambda d, p: sum(1 for m in p["milestones"] if m["done_on"]),
    ),
    ("Meilensteine", None, "text", lambda d, p: " | ".join(_milestone_text(m) for m in p["milestones"])),
    (
        "Kennzahlen",
        None,
        "text",
        lambda d, p: " | ".join(
            f"{k['name']}: {number_de(k['current'])} von {number_de(k['target'])} {k['unit']}".rstrip()
            for k in p["kpis"]
        ),
    ),
    ("Kurzbeschreibung", "kurzbeschreibung", "text", "summary"),
    ("Adresse", "adresse", "text", "url"),
)
OPEN_DATA_COLUMNS = tuple(column for column in ANNEX_COLUMNS if column[1])


def _milestone_text(m: dict) -> str:
    if m["done_on"]:
        return f"{m['title']} (erreicht {date_de(m['done_on'])})"
    return f"{m['title']} (fällig {date_de(m['due'])})" if m["due"] else m["title"]


def _german(kind: str, value):
    if kind == "date":
        return date_de(value) if value else ""
    if kind == "money":  # German decimal notation without grouping ("13500000,00"), as spreadsheets expect
        return csvfiles.Number(format_decimal_de(value, 2, minus=MINUS, group_sep="")) if value else ""
    return value


def _open_data(kind: str, value):
    if kind == "money":
        return None if value in (None, "") else Decimal(value)
    return value


def _annex_rows(data: dict, columns, formatted) -> Iterator[list]:
    # .get: a stored report without projects (or an older JSON) still gives a header-only annex, never a 500.
    names = {f["slug"]: f["name"] for f in data.get("fields_of_action", [])}
    for project in data.get("projects", []):
        row = {**project, "_field_name": names.get(project["field_of_action"], "")}
        yield [formatted(kind, _value(source, data, row)) for _german_header, _name, kind, source in columns]


def _value(source, data: dict, project: dict):
    return project[source] if isinstance(source, str) else source(data, project)


def render_annex_csv(data: dict) -> bytes:
    """The annex for German spreadsheets (core.csvfiles' German dialect: UTF-8 with BOM, ';', German numbers
    and dates, German headers); stored at publication. Open data gets RFC 4180 (`annex_open_data_csv`)."""
    header = [column[0] for column in ANNEX_COLUMNS]
    return csvfiles.german_bytes(header, _annex_rows(data, ANNEX_COLUMNS, _german))


def annex_open_data_csv(data: dict) -> bytes:
    """The annex as open data CSV (core.csvfiles' RFC 4180 dialect). Made from the report's frozen JSON, so
    a published report's open data CSV never changes either (docs/decisions/0017)."""
    header = [column[1] for column in OPEN_DATA_COLUMNS]
    return b"".join(csvfiles.chunks(header, _annex_rows(data, OPEN_DATA_COLUMNS, _open_data)))


def render(data: dict, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(data).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(data)
    if fmt == "json":
        return render_json(data)
    if fmt == "csv":
        return render_annex_csv(data)
    raise ValueError(f"Unbekanntes Format: {fmt}")


__all__ = [
    "render_html",
    "render_pdf",
    "render_json",
    "render_annex_csv",
    "annex_open_data_csv",
    "render",
    "html_fragment",
    "context",
    "MEDIA_TYPES",
    "FILE_NAMES",
]
