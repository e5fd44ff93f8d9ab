"""Idempotency-Key on POST requests: a retry gets the first answer and files nothing new."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stadtdigital.open311 import services
from stadtdigital.open311.models import IdempotentRequest
from stadtdigital.reports.models import Photo, Report
from tests.reports.test_intake_helpers import jpeg_bytes

URL = "/open311/v2/requests.json"
GOOD = {"service_code": "schlagloch", "lat": "49.142", "long": "9.21", "description": "Tiefes Loch"}


def post(client, key, idempotency_key=None, **fields):
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key is not None else {}
    return client.post(URL, {**GOOD, "api_key": key, **fields}, headers=headers, REMOTE_ADDR="203.0.113.9")


def test_a_retry_with_the_same_key_returns_the_first_answer_and_stores_nothing_new(
    client, category, open311_client, open311_media
):
    _, key = open311_client
    photo = jpeg_bytes((200, 100))
    first = post(client, key, "abc-1", media=SimpleUploadedFile("a.jpg", photo, "image/jpeg"))
    assert first.status_code == 200
    again = post(client, key, "abc-1", media=SimpleUploadedFile("a.jpg", photo, "image/jpeg"))
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert json.loads(again.content) == json.loads(first.content)
    assert Report.objects.count() == 1 and Photo.objects.count() == 1


def test_a_different_request_with_the_same_key_is_422(client, category, open311_client):
    _, key = open311_client
    assert post(client, key, "abc-2").status_code == 200
    response = post(client, key, "abc-2", description="Etwas ganz anderes")
    assert response.status_code == 422
    assert "schon für eine andere Anfrage" in json.loads(response.content)[0]["description"]
    assert Report.objects.count() == 1


def test_keys_belong_to_one_client(client, category, open311_client):
    _, key = open311_client
    _, other_key = services.create_key("Andere App")
    assert post(client, key, "shared").status_code == 200
    assert post(client, other_key, "shared").status_code == 200
    assert Report.objects.count() == 2


def test_without_a_key_every_post_files_a_report(client, category, open311_client):
    _, key = open311_client
    post(client, key)
    post(client, key)
    assert Report.objects.count() == 2


def test_a_rejected_request_is_replayed_too(client, category, open311_client):
    _, key = open311_client
    bad = post(client, key, "abc-3", lat="0", long="0")
    assert bad.status_code == 400
    assert post(client, key, "abc-3", lat="0", long="0").content == bad.content
    assert IdempotentRequest.objects.get(key="abc-3").status == 400


def test_a_retry_while_the_first_request_is_still_processed_is_409(client, category, open311_client):
    _, key = open311_client
    post(client, key, "busy")
    IdempotentRequest.objects.filter(key="busy").update(status=0)  # as while the first is still running
    response = post(client, key, "busy")
    assert response.status_code == 409 and response["Retry-After"] == "2"
    assert Report.objects.count() == 1


@pytest.mark.parametrize("bad_key", ["", "ä-umlaut", "x" * 256])
def test_an_unusable_key_is_400(client, category, open311_client, bad_key):
    _, key = open311_client
    response = post(client, key, bad_key)
    assert response.status_code == 400 and "Idempotency-Key" in json.loads(response.content)[0]["description"]
    assert not Report.objects.exists()


def test_the_openapi_document_describes_the_header(client):
    document = json.loads(client.get("/open311/v2/openapi.json").content)
    post_operation = document["paths"]["/open311/v2/requests.{format}"]["post"]
    assert any(parameter.get("name") == "Idempotency-Key" for parameter in post_operation["parameters"])
    assert {"409", "422", "503"} <= set(post_operation["responses"])
