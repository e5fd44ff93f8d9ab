# Reports for the open data tests of the `anliegen` datasets, made with the reports app's own fixtures.
import pytest

from tests.reports.conftest import category, category_group, make_report, other_category  # noqa: F401


@pytest.fixture
def public_text(db):
    """Adds a public text of the city (an answer, or a state change's text) to a report's history."""
    from stadtdigital.reports.models import EventKind
    from stadtdigital.reports.services.history import record_event

    def add(report, text, at, *, kind=EventKind.ANSWER, **fields):
        return record_event(report, kind, public_text=text, is_public=True, at=at, **fields)

    return add


@pytest.fixture
def download(client):
    """GET /opendata/<name>.<fmt> and the whole body as bytes (streamed or not)."""

    def get(name, fmt, **params):
        response = client.get(f"/opendata/{name}.{fmt}", params)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response, body

    return get
