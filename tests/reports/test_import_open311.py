"""`stadtdigital reports import-open311`: from saved responses of two server implementations (the GeoReport
v2 specification's examples and FixMyStreet's published example; see fixtures/open311/README.md) and from
a second stadtdigital instance by URL, twice without duplicates."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from stadtdigital.reports.models import Event, EventKind, ImportedRequest, Report, Source, State

FIXTURES = Path(__file__).parent / "fixtures" / "open311"


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("reports", "import-open311", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_with_progress(*args) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("reports", "import-open311", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def mapping(tmp_path):
    def write(data):
        path = tmp_path / "mapping.json"
        path.write_text(json.dumps(data))
        return str(path)

    return write


def test_spec_examples_xml_and_json_import_once(category, mapping):
    files = ["--from-file", str(FIXTURES / "georeport-v2-spec-requests.xml")]
    output = run(*files, "--mapping", mapping({"006": "schlagloch"}), "--source", "sf311")
    assert "2 gelesen, 2 übernommen, 0 schon vorhanden" in output
    closed = ImportedRequest.objects.get(source="sf311", external_id="638344").report
    assert (closed.state, closed.is_open, closed.source) == (State.FIXED, False, Source.IMPORT)
    assert closed.created_at == datetime.datetime(2010, 4, 14, 14, 37, 38, tzinfo=datetime.UTC)
    assert closed.address == "8TH AVE and JUDAH ST" and closed.category == category
    assert closed.events.filter(
        kind=EventKind.STATE, is_public=True, public_text="Duplicate request."
    ).exists()
    created = closed.events.get(kind=EventKind.CREATED)
    assert created.data["media_urls"] == ["http://city.gov.s3.amazonaws.com/requests/media/638344.jpg"]
    opened = ImportedRequest.objects.get(source="sf311", external_id="638349").report
    assert opened.state == State.RECEIVED and opened.is_open

    # The JSON tab of the same example (with its invalid "006") brings nothing twice.
    json_file = ["--from-file", str(FIXTURES / "georeport-v2-spec-requests.json")]
    again = run(*json_file, "--mapping", mapping({"006": "schlagloch"}), "--source", "sf311")
    assert "2 gelesen, 0 übernommen, 2 schon vorhanden" in again
    assert Report.objects.count() == 2


def test_fixmystreet_example_dry_run_writes_a_mapping_template_then_imports(category, tmp_path, mapping):
    template = tmp_path / "vorlage.json"
    fms = ["--from-file", str(FIXTURES / "fixmystreet-requests.xml"), "--source", "fiksgatami"]
    output = run(*fms, "--dry-run", "--template", str(template))
    assert "keine Kategorie für service_code 'Annet' (Annet): 1" in output
    assert json.loads(template.read_text()) == {"Annet": ""}
    assert Report.objects.count() == 0  # a dry run stores nothing

    output = run(*fms, "--mapping", mapping({"Annet": "schlagloch"}))
    assert "1 übernommen" in output and "zugeordnet Annet -> schlagloch: 1" in output
    report = Report.objects.get()
    assert report.description.startswith("Mangler brustein")
    assert (report.lat, report.lon) == (59.916848, 10.728148)
    # requestor_name is personal data: never imported.
    assert report.reporter_name == "" and not Event.objects.filter(data__icontains="Petter").exists()


def test_bad_files_and_arguments_are_refused_with_a_clear_error(tmp_path, category, mapping):
    broken = tmp_path / "kaputt.json"
    broken.write_text("[{")
    with pytest.raises(CommandError, match="kein gültiges JSON"):
        run("--from-file", str(broken))
    with pytest.raises(CommandError, match="JJJJ-MM-TT"):
        run("--url", "http://127.0.0.1:9/open311/v2", "--start-date", "gestern")
    bad_mapping = tmp_path / "m.json"
    bad_mapping.write_text("[1, 2]")
    with pytest.raises(CommandError, match="Zuordnungsdatei"):
        run("--from-file", str(FIXTURES / "fixmystreet-requests.xml"), "--mapping", str(bad_mapping))
    assert Report.objects.count() == 0


def test_second_instance_5000_reports_import_twice_without_duplicates_with_progress(
    second_instance, category, mapping, tmp_path
):
    """The issue's case: the neighbouring instance's 5,000 reports, by URL. They are made there by the demo
    data generator's fast path (`reports generate`: the demo's wording, states and two years of dates,
    without the history rows), which takes seconds instead of the full demo's minutes."""
    second_instance.run("reports", "generate", "--count", "5000", "--seed", "7", "--no-events")
    there = int(
        second_instance.shell(
            "from stadtdigital.reports.models import Report; "
            "print(Report.objects.filter(visibility='public').count())"
        ).split()[-1]
    )
    assert there >= 4900  # all but the few the generator files as hidden
    start = (timezone.localdate() - datetime.timedelta(days=800)).isoformat()
    end = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    url = ["--url", second_instance.base_url, "--start-date", start, "--end-date", end]
    # The operator's way: a dry run writes the template of unmapped codes, they fill it in, then import.
    template = tmp_path / "zuordnung.json"
    run(*url, "--dry-run", "--template", str(template))
    assert Report.objects.count() == 0
    codes = json.loads(template.read_text())
    assert "strassenbeleuchtung" in codes and "schlagloch" not in codes  # same code on both sides maps itself
    args = [*url, "--mapping", mapping(dict.fromkeys(codes, "schlagloch"))]
    first, progress = run_with_progress(*args)
    imported = Report.objects.filter(source=Source.IMPORT).count()
    assert imported == there, first
    # Progress: one line per 90-day window (800 days: 9 windows), counting up to all that was read.
    lines = [line for line in progress.splitlines() if line.startswith("Zeitfenster:")]
    assert len(lines) == 9 and "1/9" in lines[0] and "9/9 (100%" in lines[-1], progress
    assert lines[-1].endswith(f"{there} Service Requests gelesen"), progress
    second = run(*args)
    assert f"{there} gelesen, 0 übernommen, {there} schon vorhanden" in second
    assert Report.objects.filter(source=Source.IMPORT).count() == there
    # States and history came along: closed ones are closed here too.
    assert Report.objects.filter(source=Source.IMPORT, is_open=False).exists()
    assert Report.objects.filter(source=Source.IMPORT, is_open=True).exists()
