"""The reports app's /metrics figures (reports/metrics.py): reports by state, pending photos, failed sendings
follow the data."""

import pytest

from stadtdigital.reports.models import Photo, PhotoStatus, State
from stadtdigital.reports.services import workflow
from tests.core.test_metrics_view import TOKEN, scrape


@pytest.fixture(autouse=True)
def monitoring(settings):
    settings.METRICS_TOKEN = TOKEN


def test_reports_by_state_photos_and_sendings_follow_the_data(client, make_report, department_user):
    report = make_report()
    before = scrape(client)
    assert before[("stadtdigital_reports", (("state", "received"),))] == 1
    assert before[("stadtdigital_reports", (("state", "in_progress"),))] == 0
    assert before[("stadtdigital_photos_pending", ())] == 0

    workflow.change_state(report, State.IN_PROGRESS, user=department_user, public_text="Wir sind dran.")
    Photo.objects.create(report=report, upload="reports/incoming/x.jpg", status=PhotoStatus.PENDING)
    after = scrape(client)
    assert after[("stadtdigital_reports", (("state", "received"),))] == 0
    assert after[("stadtdigital_reports", (("state", "in_progress"),))] == 1
    assert after[("stadtdigital_photos_pending", ())] == 1
    assert after[("stadtdigital_report_sendings_failed", ())] == 0
