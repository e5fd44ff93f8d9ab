"""`stadtdigital reports render-opendata`: the daily job's rendering of the open data blocks, on demand."""

import io

import pytest
from django.core.management import CommandError, call_command

from stadtdigital.opendata.registry import Period, get_dataset
from stadtdigital.reports.models import RenderedBlock, RenderedBlockChange, Report


def run() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("reports", "render-opendata", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_renders_what_is_missing_or_changed_with_progress(make_report):
    report = make_report(description="Laterne flackert")

    out, err = run()

    assert "2 Blöcke gerendert" in out  # the report's block, as CSV and as GeoJSON
    assert "Blöcke csv: [" in err and "1/1 (100%" in err
    assert set(RenderedBlock.objects.values_list("format", "rows")) == {("csv", 1), ("geojson", 1)}
    assert not RenderedBlockChange.objects.exists()
    assert "0 Blöcke gerendert" in run()[0]

    Report.objects.filter(pk=report.pk).update(description="Laterne aus")
    assert "2 Blöcke gerendert" in run()[0]
    csv = b"".join(get_dataset("anliegen").distribution("csv").stream(Period(), None))
    assert b"Laterne aus" in csv


@pytest.mark.django_db
def test_refuses_when_the_store_is_turned_off(make_report, settings):
    settings.OPENDATA_RENDERED_BLOCKS = False
    make_report()

    with pytest.raises(CommandError, match="OPENDATA_RENDERED_BLOCKS"):
        run()
    assert not RenderedBlock.objects.exists()
