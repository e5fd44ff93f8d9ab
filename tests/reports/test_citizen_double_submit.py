"""The report form carries a one-time token: a second submit of the same form shows the first result and
files nothing new; a rejected submit can be corrected and sent again with the same token."""

import re

from stadtdigital.reports.models import FormSubmission, Report
from stadtdigital.reports.services import submissions

NEW = "/anliegen/neu/"


def step2_data(token, **extra):
    return {
        "kategorie": "schlagloch",
        "adresse": "",
        "lat": "49.142",
        "lon": "9.21",
        "description": "Tiefes Loch",
        "form_token": token,
        **extra,
    }


def token_of(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html)[1]


def test_the_form_carries_a_fresh_token(client, category):
    first = token_of(
        client.get(NEW, {"kategorie": "schlagloch", "lat": "49.142", "lon": "9.21"}).content.decode()
    )
    second = token_of(
        client.get(NEW, {"kategorie": "schlagloch", "lat": "49.142", "lon": "9.21"}).content.decode()
    )
    assert submissions.TOKEN_RE.match(first) and first != second


def test_a_second_submit_shows_the_first_result_and_files_nothing(client, category):
    token = submissions.new_token()
    first = client.post(NEW, step2_data(token))
    assert first.status_code == 302
    report = Report.objects.get()
    client.cookies.clear()  # e.g. the reload comes without the session of the first answer
    second = client.post(NEW, step2_data(token))
    assert second.status_code == 302 and second["Location"] == first["Location"]
    thanks = client.get(second["Location"]).content.decode()
    assert f"Ihre Meldung hat die Nummer <strong>{report.pk}</strong>" in thanks
    assert Report.objects.count() == 1
    assert FormSubmission.objects.get(token=token).report == report


def test_a_rejected_submit_can_be_corrected_with_the_same_token(client, category):
    token = submissions.new_token()
    rejected = client.post(NEW, step2_data(token, description=""))
    assert rejected.status_code == 400
    assert token_of(rejected.content.decode()) == token  # the corrected form sends the same token
    assert not FormSubmission.objects.exists()
    assert client.post(NEW, step2_data(token)).status_code == 302
    assert Report.objects.count() == 1


def test_a_claim_left_by_a_dead_process_is_taken_over(client, category):
    token = submissions.new_token()
    FormSubmission.objects.create(token=token)
    FormSubmission.objects.update(
        created_at=FormSubmission.objects.get().created_at - submissions.STALE_CLAIM * 2
    )
    assert client.post(NEW, step2_data(token)).status_code == 302
    assert Report.objects.count() == 1
