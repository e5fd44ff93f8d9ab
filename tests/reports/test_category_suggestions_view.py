# ruff: noqa: F811  (pytest fixtures imported from assist_fixtures)
"""Citizens see category suggestions on step 2, with htmx while typing and without JavaScript before the
first send; a suggestion is never applied by itself; what was shown and chosen is recorded."""

import pytest
from django.urls import reverse

from stadtdigital.reports.models import EventKind, Report
from tests.reports.assist_fixtures import lighting, trained  # noqa: F401

pytestmark = pytest.mark.django_db

NEW = "/anliegen/neu/"
LAMP = "Die Laterne vor meinem Haus brennt seit Tagen nicht, abends alles dunkel"


def step2(**extra):
    return {
        "kategorie": "schlagloch",
        "adresse": "",
        "lat": "49.142",
        "lon": "9.21",
        "description": LAMP,
        **extra,
    }


def test_step2_has_the_htmx_box(client, trained):
    html = client.get(NEW, {"kategorie": "schlagloch", "adresse": "", "lat": "49.142", "lon": "9.21"}).content
    html = html.decode()
    assert 'id="category-suggestions"' in html and reverse("reports:category-suggestions") in html
    assert "from:#id_description" in html


def test_htmx_suggestions_while_typing(client, trained, lighting):
    response = client.get(
        reverse("reports:category-suggestions"),
        {"description": LAMP, "kategorie": "schlagloch"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Passt eine dieser Kategorien besser?" in html
    assert lighting.name in html and 'value="strassenbeleuchtung"' in html
    assert "Straßenschäden" not in html  # the current category is not suggested


def test_no_box_for_a_matching_category(client, trained):
    html = client.get(
        reverse("reports:category-suggestions"), {"description": LAMP, "kategorie": "strassenbeleuchtung"}
    ).content.decode()
    assert "Passt eine dieser Kategorien besser?" not in html


def test_without_javascript_pauses_once_and_never_changes_the_category(client, trained, lighting):
    before = Report.objects.count()
    response = client.post(NEW, step2())
    html = response.content.decode()
    assert response.status_code == 200 and Report.objects.count() == before
    assert "Passt eine dieser Kategorien besser?" in html and lighting.name in html
    assert LAMP in html  # the text is kept
    response = client.post(
        NEW,
        step2(vorschlaege_gesehen="1", vorschlaege=str(lighting.pk), vorschlag_modell=str(trained.version)),
    )
    assert response.status_code == 302
    report = Report.objects.latest("pk")
    assert report.category.code == "schlagloch"  # the citizen's choice stays
    created = report.events.get(kind=EventKind.CREATED)
    assert created.data["suggestion"] == {
        "model": trained.version,
        "suggested": [lighting.pk],
        "chosen": None,
    }


def test_choosing_a_suggestion_switches_and_is_recorded(client, trained, lighting):
    response = client.post(
        reverse("reports:category-switch"),
        step2(neue_kategorie="strassenbeleuchtung", vorschlaege=str(lighting.pk), vorschlag_modell="1"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="kategorie" value="strassenbeleuchtung"' in html
    assert LAMP in html
    response = client.post(
        NEW,
        step2(
            kategorie="strassenbeleuchtung",
            vorschlaege_gesehen="1",
            vorschlaege=str(lighting.pk),
            vorschlag_modell="1",
            vorschlag_gewaehlt=str(lighting.pk),
        ),
    )
    assert response.status_code == 302
    report = Report.objects.latest("pk")
    assert report.category == lighting
    assert report.events.get(kind=EventKind.CREATED).data["suggestion"]["chosen"] == lighting.pk


def test_unknown_category_in_switch_is_a_clear_error(client, trained):
    response = client.post(reverse("reports:category-switch"), step2(neue_kategorie="gibtsnicht"))
    assert response.status_code == 400
