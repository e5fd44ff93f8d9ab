"""The report's charts as inline SVG, made with matplotlib's object-oriented API.

Thread-safe: every chart uses its own `Figure` and `FigureCanvasSVG`; pyplot and its global figure registry
are never touched. The only process-wide settings are constant rcParams applied once on import
(matplotlib reads them only from rcParams): `svg.hashsalt` (stable element ids), `svg.fonttype = "none"`
(text stays text, so it is searchable in the PDF and readable by screen readers) and the DejaVu Sans font.

Output is deterministic: fixed hash salt, no date metadata, element ids prefixed per chart so several charts
can be inlined into one document. Colours: Okabe-Ito palette (safe for colour-vision deficiencies); every
chart is accompanied by a data table in the report, and carries a <title>/<desc> text alternative.
"""

import io
import json
import re
import textwrap
from decimal import Decimal
from functools import lru_cache
from html import escape

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from stadtdigital.core.numbers import format_integer_de
from stadtdigital.portfolio.annual_report.formatting import eur_short, to_decimal

matplotlib.rcParams.update(
    {
        "svg.hashsalt": "stadtdigital-annual-report",
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
    }
)

# Okabe & Ito (2008), colour-blind safe.
STATUS_COLOURS = {
    "idea": "#CC79A7",
    "preparation": "#E69F00",
    "implementation": "#0072B2",
    "completed": "#009E73",
    "paused": "#56B4E9",
    "cancelled": "#D55E00",
}
BLUE, SKY, GREEN, INK, GRID = "#0072B2", "#56B4E9", "#009E73", "#1b1f24", "#d4d9e0"
WIDTH_IN = 6.4
FONT_SIZE = 9


def _figure(height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(WIDTH_IN, height), dpi=72, layout="constrained")
    FigureCanvasSVG(fig)
    ax = fig.add_subplot()
    ax.tick_params(labelsize=FONT_SIZE, colors=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#6b7480")
    ax.set_axisbelow(True)
    return fig, ax


def _svg(fig: Figure, chart_id: str, title: str, description: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{chart_id}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{chart_id}-\1"', svg)
    svg = svg.replace(
        "<svg ",
        f'<svg class="chart-svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" ',
        1,
    )
    head_end = svg.index(">") + 1
    alt = (
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    # Drop matplotlib's <metadata> block (RDF creator info): not needed, and keeps the output version-stable.
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    return svg[:head_end] + alt + svg[head_end:].strip()


def _no_data(ax, text: str = "Keine Daten zum Stichtag") -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=FONT_SIZE + 1, color="#4a5360")


def status_chart(data: dict) -> str:
    """Bar chart: number of projects per status."""
    labels = [s["label"] for s in data["statuses"]]
    codes = [s["code"] for s in data["statuses"]]
    values = [data["projects_by_status"][c] for c in codes]
    fig, ax = _figure(2.9)
    if not any(values):
        _no_data(ax)
    else:
        bars = ax.bar(
            [textwrap.fill(label, 10, break_long_words=False) for label in labels],
            values,
            color=[STATUS_COLOURS.get(c, BLUE) for c in codes],
            edgecolor=INK,
            linewidth=0.4,
        )
        ax.bar_label(
            bars, labels=[format_integer_de(v) for v in values], fontsize=FONT_SIZE, padding=2, color=INK
        )
        ax.set_ylabel("Anzahl Projekte", fontsize=FONT_SIZE)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_integer_de(int(v))))
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_ylim(0, max(values) * 1.15)
    description = "; ".join(
        f"{label}: {format_integer_de(v)}" for label, v in zip(labels, values, strict=True)
    )
    return _svg(fig, "chart-status", "Projekte nach Status", description)


def budget_chart(data: dict) -> str:
    """Horizontal bars per field of action: planned budget of all projects and of those in implementation."""
    fields = data["fields_of_action"]
    fig, ax = _figure(max(2.2, 0.42 * len(fields) + 1.2))
    if not fields:
        _no_data(ax)
        return _svg(fig, "chart-budget", "Budget nach Handlungsfeld", "Keine Daten")
    names = [textwrap.fill(f["name"], 30) for f in fields][::-1]
    total = [float(to_decimal(f["planned_budget_eur"])) for f in fields][::-1]
    implementation = [float(to_decimal(f["implementation_cost_eur"])) for f in fields][::-1]
    positions = range(len(fields))
    height = 0.38
    bars_total = ax.barh(
        [p + height / 2 for p in positions], total, height, color=SKY, label="geplantes Budget aller Projekte"
    )
    bars_impl = ax.barh(
        [p - height / 2 for p in positions],
        implementation,
        height,
        color=BLUE,
        label="davon Projekte in Umsetzung",
    )
    for bars, values in ((bars_total, total), (bars_impl, implementation)):
        ax.bar_label(
            bars,
            labels=[eur_short(Decimal(str(v))) if v else "" for v in values],
            fontsize=FONT_SIZE - 1,
            padding=3,
            color=INK,
        )
    ax.set_yticks(list(positions), names)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: eur_short(Decimal(str(v)))))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_xlim(0, (max(total + implementation) or 1) * 1.22)
    ax.legend(fontsize=FONT_SIZE - 1, frameon=False, loc="lower center", bbox_to_anchor=(0.4, 1.0), ncols=2)
    description = "; ".join(
        f"{f['name']}: {eur_short(f['planned_budget_eur'])} geplant, "
        f"davon in Umsetzung {eur_short(f['implementation_cost_eur'])}"
        for f in fields
    )
    return _svg(fig, "chart-budget", "Geplantes Budget nach Handlungsfeld", description)


def completion_series(data: dict) -> tuple[str, list[dict]]:
    """Quarters while they fit on one chart (up to 16), otherwise years."""
    quarters = data["completions"]["by_quarter"]
    if len(quarters) <= 16:
        return "Quartal", quarters
    return "Jahr", data["completions"]["by_year"]


def period_label(period: str) -> str:
    """ "2021-Q2" -> "Q2 2021"; "2021" stays."""
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return f"Q{quarter} {year}"
    return period


def completions_chart(data: dict) -> str:
    """Bars: projects completed per quarter (or year); line: completed in total."""
    unit, series = completion_series(data)
    fig, ax = _figure(2.9)
    if not series:
        _no_data(ax, "Zum Stichtag ist noch kein Projekt abgeschlossen")
        return _svg(fig, "chart-completions", "Abschlüsse im Zeitverlauf", "Keine abgeschlossenen Projekte")
    labels = [period_label(s["period"]).replace(" ", "\n") for s in series]
    counts = [s["completed"] for s in series]
    cumulative = [s["cumulative"] for s in series]
    positions = list(range(len(series)))
    bars = ax.bar(positions, counts, 0.6, color=GREEN, label=f"abgeschlossen im {unit}")
    ax.bar_label(
        bars, labels=[format_integer_de(v) if v else "" for v in counts], fontsize=FONT_SIZE - 1, padding=2
    )
    ax.step(positions, cumulative, where="mid", color=INK, linewidth=1.4, label="abgeschlossen insgesamt")
    ax.set_xticks(positions, labels)
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_integer_de(int(v))))
    ax.set_ylabel("Anzahl Projekte", fontsize=FONT_SIZE)
    ax.set_ylim(0, max(cumulative) * 1.15 or 1)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.legend(fontsize=FONT_SIZE - 1, frameon=False, loc="upper left")
    description = "; ".join(
        f"{period_label(s['period'])}: {s['completed']} abgeschlossen, {s['cumulative']} insgesamt"
        for s in series
    )
    return _svg(fig, "chart-completions", "Abgeschlossene Projekte im Zeitverlauf", description)


CHART_KEYS = ("statuses", "projects_by_status", "fields_of_action", "completions")


def all_charts(data: dict) -> dict[str, str]:
    """The three charts; memoised on the figures they show (HTML and PDF of one report share them)."""
    key = json.dumps({k: data[k] for k in CHART_KEYS}, sort_keys=True)
    return dict(_all_charts(key))


@lru_cache(maxsize=8)
def _all_charts(key: str) -> tuple[tuple[str, str], ...]:
    data = json.loads(key)
    return (
        ("status", status_chart(data)),
        ("budget", budget_chart(data)),
        ("completions", completions_chart(data)),
    )
