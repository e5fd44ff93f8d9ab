import io

import pytest
from django.core.management import call_command

from stadtdigital.reports.demo import generate_reports
from stadtdigital.reports.models import Event, EventKind, Report


@pytest.mark.django_db
def test_generate_adds_reports_with_a_created_event():
    assert generate_reports(300, seed=1, batch_size=100) == 300
    assert Report.objects.count() == 300
    assert Event.objects.filter(kind=EventKind.CREATED).count() == 300
    assert set(Event.objects.values_list("report_id", flat=True)) == set(
        Report.objects.values_list("pk", flat=True)
    )
    open_share = Report.objects.filter(is_open=True).count() / 300
    assert 0.03 < open_share < 0.2
    assert not Report.objects.exclude(reporter_email="").exists()
    generate_reports(50, seed=1)
    assert Report.objects.count() == 350
    assert Report.objects.values("confirmation_token").distinct().count() == 350


@pytest.mark.django_db
def test_generate_command_prints_progress_on_stderr():
    out, err = io.StringIO(), io.StringIO()
    call_command("reports", "generate", "--count", "120", "--seed", "2", stdout=out, stderr=err)
    assert Report.objects.count() == 120
    assert "120/120" in err.getvalue()
    assert "120 synthetische Anliegen" in out.getvalue()


def test_reports_help_lists_subcommands(capsys):
    from stadtdigital.reports.management.commands.reports import Command

    parser = Command().create_parser("stadtdigital", "reports")
    help_text = parser.format_help()
    assert "generate" in help_text and "purge-personal-data" in help_text
