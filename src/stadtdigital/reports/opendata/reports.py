"""The dataset `anliegen`: every public report of the Mängelmelder, one row (CSV) or feature (GeoJSON) each.

Rows come from `reports.selectors.opendata` (public reports and public columns only) in keyset batches and
are written batch by batch, so memory stays flat for any number of reports. The bytes depend only on the
data, never on the visitor's language or the time of the request (labels are German, datetimes ISO 8601 in
the city's time zone), which is what lets a download's strong ETag stand for its bytes.

A whole download copies the blocks of 5,000 report ids that the daily job rendered and stored and that no
change touched since; only the others are formatted here (`rendered_blocks`, decision 0029). Formatting is
still the hot path of a live block and of period downloads: each row is one f-string built in a list
comprehension per batch; names and labels are quoted once per download, only free text (address,
description, answers) is checked for quoting per row, and datetimes are written inline from
`writers.LocalTimes` (no call per value). See docs/decisions/0012-open-data-downloads.md and 0028.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from stadtdigital.opendata import writers
from stadtdigital.opendata.period import period_bounds
from stadtdigital.opendata.registry import Dataset, Period, Progress, streamed
from stadtdigital.reports.models import OPEN_STATES, State
from stadtdigital.reports.opendata import rendered_blocks
from stadtdigital.reports.selectors import opendata as selectors
from stadtdigital.reports.selectors.answers import answers_by_report

NAME = "anliegen"
WATCHED_MODELS = ("reports.Category", "reports.CategoryQuestion", "core.Department")

CSV_HEADER = (
    "id",
    "kategorie_code",
    "kategorie",
    "fachbereich",
    "status",
    "status_bezeichnung",
    "open311_status",
    "eingegangen_am",
    "zuletzt_geaendert_am",
    "geschlossen_am",
    "lat",
    "lon",
    "adresse",
    "beschreibung",
    "antworten",
    "unterstuetzungen",
    "url",
    "fotos",
    "angaben",  # answers to the category's questions the city publishes: "Frage: Antwort" per line
)


class _Lookup(dict):
    """Id -> value (category, department), read once per download and again when an id appears that was
    created while the download runs."""

    def __init__(self, load: Callable[[], dict], missing):
        super().__init__(load())
        self.load, self.missing = load, missing

    def __missing__(self, key):
        self.update(self.load())
        return self.get(key, self.missing)


def _states() -> dict[str, tuple[str, str]]:
    """State code -> (German label, Open311 status); German for every visitor, so the bytes stay the same."""
    with translation.override("de"):
        return {
            state.value: (str(state.label), "open" if state in OPEN_STATES else "closed") for state in State
        }


def _urls() -> tuple[str, str, str]:
    """(report page URL before the id, after the id, photo URL with {report} and {photo})."""
    report, photo = 987654321, 123456789
    detail = settings.SITE_URL + reverse("reports:detail", kwargs={"pk": report})
    photo_url = settings.SITE_URL + reverse("reports:photo", kwargs={"pk": report, "photo_pk": photo})
    head, tail = detail.split(str(report))
    return head, tail, photo_url.replace(str(report), "{report}").replace(str(photo), "{photo}")


def _local_times() -> writers.LocalTimes:
    return writers.LocalTimes(ZoneInfo(settings.TIME_ZONE))


def _formatted(
    batches: Iterable[selectors.ReportBatch],
    format_batch: Callable[[selectors.ReportBatch, writers.LocalTimes], list[str]],
    times: writers.LocalTimes,
) -> Iterator[list[str]]:
    """The batches through `format_batch`; a batch that meets an hour the hour keys of LocalTimes cannot
    express (an offset not of whole hours, or changing within one) is formatted again with finer keys,
    which then stay."""
    for batch in batches:
        while True:
            try:
                formatted = format_batch(batch, times)
                break
            except writers.IrregularSpan:
                times.finer()
        yield formatted


def _public_answers(batch) -> dict[int, list[tuple[str, str, str]]]:
    """Report id -> (code, question, answer text) of its public answers, texts in German like every label."""
    with translation.override("de"):
        return {
            report_id: [(answer.code, answer.label, answer.text) for answer in answers]
            for report_id, answers in answers_by_report(
                [row[0] for row in batch.rows], public_only=True
            ).items()
        }


# --- CSV ----------------------------------------------------------------------------------------------------


def _csv_formatter() -> Callable[[selectors.ReportBatch, writers.LocalTimes], list[str]]:
    """Reads the names and labels (quoted once) and returns the function that formats a batch."""
    cell = writers.csv_cell
    categories = _Lookup(
        lambda: {pk: f"{cell(code)},{cell(name)}" for pk, (code, name) in selectors.category_names().items()},
        ",",
    )
    departments = _Lookup(
        lambda: {pk: cell(name) for pk, name in selectors.department_names().items()},
        "",
    )
    states = {code: f"{code},{cell(label)},{status}" for code, (label, status) in _states().items()}
    detail_head, detail_tail, photo_url = _urls()
    quote, newline, carriage_return = '"', "\n", "\r"  # f-string expressions hold neither on Python 3.11

    def photos_cell(report_id: int, photo_ids: list[int]) -> str:
        return " ".join([photo_url.format(report=report_id, photo=photo) for photo in photo_ids])

    def facts_cell(answers: list[tuple[str, str, str]]) -> str:
        return cell("\n".join([f"{label}: {text}" for _code, label, text in answers]))

    def lines(batch: selectors.ReportBatch, times: writers.LocalTimes) -> list[str]:
        """The batch's rows as CSV records. Datetimes are written inline from `times` (head, copied minutes
        and seconds, offset): no call per value."""
        texts, photos, facts = batch.texts.get, batch.photos.get, _public_answers(batch).get
        size = times.size

        def answers_cell(entries: tuple[tuple[int, str, int, str], ...]) -> str:
            # One line per public text of the city, oldest first: "2024-05-02: text" (local day). The line
            # starts with a digit, so only quoting can apply, never the formula protection.
            if len(entries) == 1:
                _report, at, _event, text = entries[0]
                if quote in text or "," in text or newline in text or carriage_return in text:
                    return cell(f"{times[at[:size]][0][:10]}: {text}")
                return f"{times[at[:size]][0][:10]}: {text}"
            return cell("\n".join([f"{times[at[:size]][0][:10]}: {text}" for _r, at, _e, text in entries]))

        return [
            f"{report_id},{categories[category_id]},{departments[department_id]},"
            f"{states.get(state) or f'{cell(state)},,closed'},"
            f"{(parts := times[received[:size]])[0]}{received[size:19]}{parts[1]},"
            f"{(parts := times[updated[:size]])[0]}{updated[size:19]}{parts[1]},"
            # The last change is usually the closing: its parts are reused.
            f"""{
                ""
                if closed is None
                else f"{parts[0]}{updated[size:19]}{parts[1]}"
                if closed == updated
                else f"{(parts := times[closed[:size]])[0]}{closed[size:19]}{parts[1]}"
            },"""
            f"{lat:.6f},{lon:.6f},{cell(address)},{cell(description)},"
            f"{answers_cell(answers) if (answers := texts(report_id)) else ''},{supporters},"
            f"{detail_head}{report_id}{detail_tail},"
            f"{photos_cell(report_id, photo_ids) if (photo_ids := photos(report_id)) else ''},"
            f"{facts_cell(answers_) if (answers_ := facts(report_id)) else ''}"
            for (
                report_id,
                category_id,
                department_id,
                state,
                received,
                updated,
                closed,
                lat,
                lon,
                address,
                description,
                supporters,
            ) in batch.rows
        ]

    return lines


def stream_csv(period: Period, progress: Progress | None = None) -> Iterator[bytes]:
    return writers.csv_text_chunks(CSV_HEADER, _batches("csv", period), progress)


# --- GeoJSON ------------------------------------------------------------------------------------------------


def _geojson_formatter() -> Callable[[selectors.ReportBatch, writers.LocalTimes], list[str]]:
    """Features as JSON text: a point and the CSV's columns as properties, answers (date and text) and photo
    URLs as lists. Built like the CSV rows (one f-string each; names, labels and URL parts encoded once per
    download), since encoding a dict per report costs twice as much."""
    text = writers.json_string
    categories = _Lookup(
        lambda: {
            pk: f'"kategorie_code":{text(code)},"kategorie":{text(name)}'
            for pk, (code, name) in selectors.category_names().items()
        },
        '"kategorie_code":"","kategorie":""',
    )
    departments = _Lookup(
        lambda: {pk: f'"fachbereich":{text(name)}' for pk, name in selectors.department_names().items()},
        '"fachbereich":""',
    )
    states = _Lookup(
        lambda: {
            code: f'"status":{text(code)},"status_bezeichnung":{text(label)},"open311_status":"{status}"'
            for code, (label, status) in _states().items()
        },
        '"status":"","status_bezeichnung":"","open311_status":"closed"',
    )
    detail_head, detail_tail, photo_url = _urls()
    detail_head, detail_tail = text(detail_head)[:-1], text(detail_tail)[1:]  # "http://…/anliegen/ + id + /"

    def photos(report_id: int, photo_ids: list[int]) -> str:
        return ",".join([text(photo_url.format(report=report_id, photo=photo)) for photo in photo_ids])

    def facts_list(answers: list[tuple[str, str, str]]) -> str:
        return ",".join(
            [
                f'{{"code":{text(code)},"frage":{text(label)},"antwort":{text(value)}}}'
                for code, label, value in answers
            ]
        )

    def features(batch: selectors.ReportBatch, times: writers.LocalTimes) -> list[str]:
        """The batch's features; datetimes inline from `times` like the CSV's."""
        texts, photo_lists, facts = batch.texts.get, batch.photos.get, _public_answers(batch).get
        size = times.size

        def answers(entries: tuple[tuple[int, str, int, str], ...]) -> str:
            return ",".join(
                [
                    f'{{"datum":"{(parts := times[at[:size]])[0]}{at[size:19]}{parts[1]}",'
                    f'"text":{text(answer)}}}'
                    for _report, at, _event, answer in entries
                ]
            )

        return [
            '{"type":"Feature","geometry":{"type":"Point","coordinates":'
            f'[{lon:.6f},{lat:.6f}]}},"properties":{{"id":{report_id},{categories[category_id]},'
            f'{departments[department_id]},{states[state]},"eingegangen_am":'
            f'"{(parts := times[received[:size]])[0]}{received[size:19]}{parts[1]}",'
            f'"zuletzt_geaendert_am":"{(parts := times[updated[:size]])[0]}{updated[size:19]}{parts[1]}",'
            # The last change is usually the closing: its parts are reused.
            f""""geschlossen_am":{
                "null"
                if closed is None
                else f'"{parts[0]}{updated[size:19]}{parts[1]}"'
                if closed == updated
                else f'"{(parts := times[closed[:size]])[0]}{closed[size:19]}{parts[1]}"'
            },"""
            f'"adresse":{text(address)},"beschreibung":{text(description)},'
            f'"antworten":[{answers(answers_) if (answers_ := texts(report_id)) else ""}],'
            f'"unterstuetzungen":{supporters},"url":{detail_head}{report_id}{detail_tail},'
            f'"fotos":[{photos(report_id, photo_ids) if (photo_ids := photo_lists(report_id)) else ""}],'
            f'"angaben":[{facts_list(answers_) if (answers_ := facts(report_id)) else ""}]}}}}'
            for (
                report_id,
                category_id,
                department_id,
                state,
                received,
                updated,
                closed,
                lat,
                lon,
                address,
                description,
                supporters,
            ) in batch.rows
        ]

    return features


def stream_geojson(period: Period, progress: Progress | None = None) -> Iterator[bytes]:
    return writers.geojson_text_chunks(_batches("geojson", period), progress)


# --- batches, live or from the stored blocks ----------------------------------------------------------------

# Distribution key -> (makes the batch formatter, encodes a batch as the writer writes it).
FORMATTERS = {
    "csv": (_csv_formatter, writers.csv_records_bytes),
    "geojson": (_geojson_formatter, writers.geojson_features_bytes),
}


def _batches(fmt: str, period: Period) -> Iterator[list[str] | writers.Encoded]:
    """The rows of the download: a period is rendered live; the whole dataset block by block, from the
    stored renderings where they are current (rendered_blocks, decision 0029)."""
    if period or not rendered_blocks.enabled():
        make_formatter, _encode = FORMATTERS[fmt]
        return _formatted(
            selectors.public_report_batches(*period_bounds(period)), make_formatter(), _local_times()
        )
    return rendered_blocks.blocks(_block_renderer(fmt))


def _key_inputs() -> tuple:
    """Everything besides a report's own rows that its bytes depend on (the key of a stored block)."""
    return (
        settings.TIME_ZONE,
        # How answers show numbers and dates (German formats, selectors/answers.py).
        (settings.USE_THOUSAND_SEPARATOR, settings.NUMBER_GROUPING, settings.FORMAT_MODULE_PATH),
        _urls(),
        sorted(selectors.category_names().items()),
        sorted(selectors.department_names().items()),
        sorted(_states().items()),
        selectors.public_question_definitions(),
    )


def _block_renderer(fmt: str) -> rendered_blocks.BlockRenderer:
    make_formatter, encode = FORMATTERS[fmt]
    # The key is read before the formatter reads the names: a rename in between gives a block rendered with
    # the new names under the old key, which no later download asks for (the other order could serve old
    # names under the new key).
    key = rendered_blocks.key_of(fmt, _key_inputs())
    format_batch, times = make_formatter(), _local_times()

    def render(first: int, end: int) -> writers.Encoded:
        lines: list[str] = []
        for formatted in _formatted(selectors.public_report_batches(ids=(first, end)), format_batch, times):
            lines += formatted
        return writers.Encoded(encode(lines), len(lines))

    return rendered_blocks.BlockRenderer(fmt, key, render)


def block_renderers() -> list[rendered_blocks.BlockRenderer]:
    """One per stored distribution, for the daily job (rendered_blocks.refresh)."""
    return [_block_renderer(fmt) for fmt in FORMATTERS]


# --- metadata -----------------------------------------------------------------------------------------------


def _modified() -> datetime.datetime | None:
    from stadtdigital.opendata.selectors import noted_change

    stamps = [stamp for stamp in (selectors.last_change(), noted_change(NAME)) if stamp is not None]
    return max(stamps) if stamps else None


def watch() -> None:
    """Moves Last-Modified/ETag on when a category or department is renamed: their names are in every row
    but leave no timestamp on the reports (see opendata.models.DataChange). Called from AppConfig.ready()."""
    from stadtdigital.opendata import services

    services.watch_changes(NAME, WATCHED_MODELS)


def _row_count(period: Period) -> int:
    return selectors.public_report_count(*period_bounds(period))


def _temporal() -> tuple[datetime.date, datetime.date] | None:
    received = selectors.received_range()
    if received is None:
        return None
    tz = ZoneInfo(settings.TIME_ZONE)
    return received[0].astimezone(tz).date(), received[1].astimezone(tz).date()


def _landing_page() -> str:
    return reverse("reports:list")


def datasets() -> list[Dataset]:
    return [
        Dataset(
            name=NAME,
            title=_("Anliegen aus dem Mängelmelder"),
            description=_(
                "Alle öffentlichen Meldungen über Mängel im öffentlichen Raum (Schlaglöcher, defekte "
                "Straßenbeleuchtung, wilder Müll …), eine Zeile je Meldung: Kategorie, zuständiger "
                "Fachbereich, Bearbeitungsstand (Code und Bezeichnung, dazu offen oder geschlossen im Sinne "
                "von Open311), Zeitpunkte von Eingang, letzter Änderung und Abschluss (ISO 8601 mit "
                "Zeitzonenversatz), Ort (WGS 84), Adresse, öffentliche Beschreibung, öffentliche Antworten "
                "der Stadt mit Datum, Zahl der Unterstützungen, Adresse der Seite und der öffentlichen "
                "Fotos. Aktuell aus dem laufenden System. Ohne Namen, E-Mail-Adressen und Telefonnummern "
                "der Meldenden, ohne interne Vermerke, ohne verborgene und ohne noch nicht bestätigte "
                "Meldungen. start_date und end_date (JJJJ-MM-TT) wählen Meldungen nach dem Eingangstag."
            ),
            keywords=(
                _("Mängelmelder"),
                _("Anliegen"),
                _("Bürgermeldungen"),
                "Open311",
                _("Straßenschäden"),
                _("öffentlicher Raum"),
            ),
            themes=("GOVE", "REGI"),
            # "continuously updated", not daily: every download is built from the live database, so a new
            # report or a state change is in the next download (docs/decisions/0012-open-data-downloads.md).
            frequency="UPDATE_CONT",
            distributions=streamed(csv=stream_csv, geojson=stream_geojson),
            modified=_modified,
            temporal=_temporal,
            row_count=_row_count,
            supports_period=True,
            landing_page=_landing_page,
        )
    ]
