"""`anliegen.csv` and `anliegen.geojson` from stored blocks (decision 0029): the daily job renders the public
reports block by block of ids and stores the bytes, database triggers note the block of every change that can
change its rows, and a whole download copies a stored block only while nothing touched it and its key (names,
labels, questions, URLs, time zone, code) is current, so it always has the bytes of a live download."""

import datetime
import zlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from stadtdigital.core.models import Department
from stadtdigital.opendata.registry import Period, get_dataset
from stadtdigital.reports.models import (
    AttributeValue,
    Category,
    CategoryQuestion,
    EventKind,
    Photo,
    RenderedBlock,
    RenderedBlockChange,
    Report,
    State,
    Visibility,
)
from stadtdigital.reports.opendata import rendered_blocks
from stadtdigital.reports.opendata import reports as dataset_module
from stadtdigital.reports.selectors.opendata import REPORT_SOURCE_FIELDS
from stadtdigital.reports.services.moderation import hide_report
from stadtdigital.reports.services.workflow import change_state
from tests.opendata.test_reports_dataset import at, reports  # noqa: F401

BLOCK = rendered_blocks.BLOCK_IDS
FORMATS = ("csv", "geojson")


def stream(fmt: str, period: Period | None = None) -> bytes:
    return b"".join(get_dataset("anliegen").distribution(fmt).stream(period or Period(), None))


def live(fmt: str) -> bytes:
    """The download rendered from the reports alone, the store left as it is."""
    with override_settings(OPENDATA_RENDERED_BLOCKS=False):
        return stream(fmt)


def current_blocks(fmt: str) -> set[int]:
    """Blocks a download copies from the store: stored under the current key, no change noted."""
    renderer = {r.format: r for r in dataset_module.block_renderers()}[fmt]
    stored = set(RenderedBlock.objects.filter(format=fmt, key=renderer.key).values_list("block", flat=True))
    return stored - set(RenderedBlockChange.objects.values_list("block", flat=True))


def blocks_of(*report_ids: int) -> set[int]:
    return {report_id // BLOCK for report_id in report_ids}


@pytest.fixture
def spread(reports, make_report, public_text):  # noqa: F811
    """The fixed, open, pending and hidden reports of the dataset tests in one block, and two public reports
    in two blocks further on (empty blocks in between), one with an answer."""
    far = (Report.objects.order_by("-id").first().pk // BLOCK + 3) * BLOCK + 17
    third = make_report(id=far, created_at=at("2024-07-01 06:00:00"), description="Ampel dunkel")
    public_text(third, "Ampel ist repariert.", at("2024-07-02 08:00:00"))
    fourth = make_report(id=far + BLOCK, created_at=at("2024-07-05 06:00:00"), description="Bank kaputt")
    return {**reports, "third": third, "fourth": fourth}


@pytest.fixture
def stored(spread):
    first, last = spread["fixed"].pk // BLOCK, spread["fourth"].pk // BLOCK
    assert rendered_blocks.refresh() == 2 * (last - first + 1)  # every block of both formats, empty ones too
    assert not RenderedBlockChange.objects.exists()  # the marks of the fixture's writes are consumed
    for fmt in FORMATS:
        assert current_blocks(fmt) == set(range(first, last + 1))
    return spread


def tamper(fmt: str, block: int, old: bytes, new: bytes) -> None:
    row = RenderedBlock.objects.get(format=fmt, block=block)
    data = zlib.decompress(row.content)
    assert old in data
    row.content = zlib.compress(data.replace(old, new))
    row.save()


@pytest.mark.django_db
def test_the_daily_job_stores_every_block_and_whole_downloads_copy_them(stored):
    for fmt in FORMATS:
        assert stream(fmt) == live(fmt)
        assert b"Ampel ist repariert." in stream(fmt) and b"HIDDEN-MARKER" not in stream(fmt)

    # Proof that the stored bytes are what is served: a changed stored block shows in the file.
    for fmt in FORMATS:
        tamper(fmt, stored["third"].pk // BLOCK, b"Ampel dunkel", b"Ampel STORED")
        assert b"Ampel STORED" in stream(fmt)
        assert b"Ampel STORED" not in live(fmt)
    assert rendered_blocks.refresh() == 0  # nothing noted, nothing renamed: no block is rendered again


@pytest.mark.django_db
def test_a_period_download_is_rendered_live(stored):
    tamper("csv", stored["third"].pk // BLOCK, b"Ampel dunkel", b"Ampel STORED")
    july = Period(datetime.date(2024, 7, 1), datetime.date(2024, 7, 31))

    data = stream("csv", july)

    assert b"Ampel dunkel" in data and b"Ampel STORED" not in data
    assert b"Bank kaputt" in data and b"Laterne aus" not in data


@pytest.mark.django_db
def test_a_whole_download_reads_one_stored_block_per_chunk(stored):
    chunks = get_dataset("anliegen").distribution("csv").stream(Period(), None)
    with CaptureQueriesContext(connection) as first:
        first_chunk = next(chunks)
    rest = list(chunks)

    assert first_chunk.startswith(b"id,kategorie_code,") and first_chunk.count(b"\r\n") == 3  # header, 2 rows
    reads = [q for q in first.captured_queries if '"content"' in q["sql"]]
    assert len(reads) == 1  # the first block's bytes, nothing of the blocks after it
    assert b"".join([first_chunk, *rest]) == live("csv")


def after_change_and_refresh(change, *, marks: bool = True) -> None:
    """Applies `change`; the whole downloads equal the live ones before the next daily job and after it, and
    the job consumed the marks and left every block current."""
    before = {fmt: stream(fmt) for fmt in FORMATS}
    change()
    for fmt in FORMATS:
        assert stream(fmt) == live(fmt)
    assert RenderedBlockChange.objects.exists() is marks
    assert any(stream(fmt) != before[fmt] for fmt in FORMATS)
    rendered_blocks.refresh()
    assert not RenderedBlockChange.objects.exists()
    for fmt in FORMATS:
        assert stream(fmt) == live(fmt)
        assert current_blocks(fmt) == set(
            RenderedBlock.objects.filter(format=fmt).values_list("block", flat=True)
        )


@pytest.mark.django_db
def test_a_queryset_update_without_signals(stored):
    third = stored["third"]
    after_change_and_refresh(
        lambda: Report.objects.filter(pk=third.pk).update(description="Ampel blinkt gelb")
    )
    assert b"Ampel blinkt gelb" in stream("csv")


@pytest.mark.django_db
def test_raw_sql(stored):
    def change():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE reports_report SET address = %s WHERE id = %s", ["Marktplatz 3", stored["fourth"].pk]
            )

    after_change_and_refresh(change)
    assert b"Marktplatz 3" in stream("geojson")


@pytest.mark.django_db
def test_a_state_change_with_its_public_text(stored, digital_office_user):
    after_change_and_refresh(
        lambda: change_state(
            stored["fourth"], State.FIXED, user=digital_office_user, public_text="Erledigt.", notify=False
        )
    )
    assert b"Erledigt." in stream("csv")


@pytest.mark.django_db
def test_hiding_and_deleting_reports(stored, digital_office_user):
    after_change_and_refresh(lambda: hide_report(stored["third"], by=digital_office_user, reason="Spam"))
    assert b"Ampel dunkel" not in stream("csv")
    after_change_and_refresh(lambda: Report.objects.filter(pk=stored["fourth"].pk).delete())
    assert b"Bank kaputt" not in stream("geojson")


@pytest.mark.django_db
def test_a_new_report_in_a_stored_block(stored, make_report):
    after_change_and_refresh(
        lambda: make_report(
            id=stored["third"].pk + 1, created_at=at("2024-07-03 09:00:00"), description="Neu hier"
        )
    )
    assert b"Neu hier" in stream("csv")


@pytest.mark.django_db
def test_photos_and_answers(stored):
    fixed = stored["fixed"]
    after_change_and_refresh(lambda: Photo.objects.filter(report=fixed).update(hidden=True))
    after_change_and_refresh(lambda: AttributeValue.objects.filter(report=fixed, value=12.5).update(value=20))
    assert b"Tiefe (cm): 20" in stream("csv")


@pytest.mark.django_db
def test_an_internal_note_leaves_no_mark(stored, public_text):
    from stadtdigital.reports.services.history import record_event

    record_event(stored["third"], EventKind.NOTE, internal_note="nur intern", at=at("2024-07-03 08:00:00"))

    assert not RenderedBlockChange.objects.exists()
    assert stream("csv") == live("csv")


@pytest.mark.django_db
def test_a_change_of_a_non_public_report_leaves_no_mark(stored):
    Report.objects.filter(pk=stored["pending"].pk).update(description="noch unbestätigt")

    assert not RenderedBlockChange.objects.exists()


@pytest.mark.parametrize("field", [name for name in REPORT_SOURCE_FIELDS if name != "id"])
@pytest.mark.django_db
def test_every_column_the_file_shows_is_watched(stored, field, other_category):
    values = {
        "visibility": Visibility.HIDDEN,
        "category_id": other_category.pk,
        "department_id": Department.objects.create(name="Bauhof").pk,
        "state": State.IN_PROGRESS,
        "created_at": at("2024-07-06 07:00:00"),
        "updated_at": at("2024-07-06 07:00:00"),
        "closed_at": at("2024-07-06 07:00:00"),
        "lat": 49.5,
        "lon": 9.5,
        "address": "Am Bahnhof 1",
        "description": "anders",
        "supporters_count": 42,
    }
    fourth = stored["fourth"]

    Report.objects.filter(pk=fourth.pk).update(**{field: values[field]})

    assert set(RenderedBlockChange.objects.values_list("block", flat=True)) == blocks_of(fourth.pk)
    for fmt in FORMATS:
        assert stream(fmt) == live(fmt)


@pytest.mark.django_db
def test_a_change_of_a_column_the_file_does_not_show_leaves_no_mark(stored):
    Report.objects.filter(pk=stored["fixed"].pk).update(reporter_email="neu@example.org", reporter_name="")

    assert not RenderedBlockChange.objects.exists()


@pytest.mark.django_db
def test_renamed_names_new_questions_and_another_time_zone_change_the_key(stored, settings):
    def rename():
        Category.objects.filter(code="schlagloch").update(name="Schlaglöcher")

    after_change_and_refresh(rename, marks=False)
    assert b",Schlagl\xc3\xb6cher," in stream("csv")
    after_change_and_refresh(lambda: Department.objects.update(name="Tiefbauamt"), marks=False)
    after_change_and_refresh(
        lambda: CategoryQuestion.objects.filter(code="tiefe").update(is_public=False), marks=False
    )
    assert b"Tiefe (cm)" not in stream("csv")

    settings.TIME_ZONE = "America/New_York"
    assert current_blocks("csv") == set()  # nothing stored under this zone's key
    assert stream("csv") == live("csv")
    assert b"2024-05-01T04:00:00-04:00" in stream("csv")


@pytest.mark.django_db
def test_a_change_while_the_job_renders_keeps_its_mark(stored, monkeypatch):
    third, fourth = stored["third"], stored["fourth"]
    Report.objects.filter(pk=third.pk).update(description="vor dem Lauf")
    renderers = dataset_module.block_renderers

    def renderers_that_see_a_change():
        result = renderers()
        render = result[0].render

        def render_and_change(first, end):
            encoded = render(first, end)
            Report.objects.filter(pk=fourth.pk).update(description="während des Laufs")
            return encoded

        result[0] = rendered_blocks.BlockRenderer(result[0].format, result[0].key, render_and_change)
        return result

    monkeypatch.setattr(dataset_module, "block_renderers", renderers_that_see_a_change)
    rendered_blocks.refresh()

    assert set(RenderedBlockChange.objects.values_list("block", flat=True)) == blocks_of(fourth.pk)
    monkeypatch.undo()
    for fmt in FORMATS:
        assert stream(fmt) == live(fmt)
        assert b"w\xc3\xa4hrend des Laufs" in stream(fmt)


@pytest.mark.django_db
def test_missing_triggers_are_put_back_and_every_stored_block_forgotten(stored):
    rendered_blocks.remove_change_triggers(connection)
    Report.objects.filter(pk=stored["third"].pk).update(description="ohne Trigger")  # leaves no mark

    assert rendered_blocks.ensure_change_triggers() is True
    assert not RenderedBlock.objects.exists()
    assert rendered_blocks.ensure_change_triggers() is False
    for fmt in FORMATS:
        assert stream(fmt) == live(fmt)
    Report.objects.filter(pk=stored["third"].pk).update(description="mit Trigger")
    assert RenderedBlockChange.objects.exists()


@pytest.mark.django_db
def test_with_the_store_turned_off_the_job_forgets_it(stored, settings):
    settings.OPENDATA_RENDERED_BLOCKS = False

    assert rendered_blocks.refresh() == 0
    assert not RenderedBlock.objects.exists()
    assert stream("csv") == live("csv")


@pytest.mark.django_db
def test_without_public_reports_the_job_stores_nothing(db):
    assert rendered_blocks.refresh() == 0
    assert stream("csv") == (",".join(dataset_module.CSV_HEADER) + "\r\n").encode()
    assert stream("geojson") == b'{"type":"FeatureCollection","features":[]}\n'
