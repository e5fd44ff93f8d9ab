import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from stadtdigital.reports.models import State


@pytest.mark.django_db
def test_purge_command_dry_run_then_purge(make_report):
    closed = timezone.now() - datetime.timedelta(days=40)
    report = make_report(state=State.FIXED, closed_at=closed, reporter_email="a@example.org")
    out = io.StringIO()
    call_command("reports", "purge-personal-data", "--days", "30", "--dry-run", stdout=out)
    assert "1 Anliegen würden" in out.getvalue()
    report.refresh_from_db()
    assert report.reporter_email == "a@example.org"
    out = io.StringIO()
    call_command("reports", "purge-personal-data", "--days", "30", stdout=out)
    assert "von 1 Anliegen" in out.getvalue()
    report.refresh_from_db()
    assert report.reporter_email == ""
    call_command("reports", "purge-personal-data", "--days", "30", stdout=out)
    assert "von 0 Anliegen" in out.getvalue()
