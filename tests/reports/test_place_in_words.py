"""A place in words, not coordinates: the street list's sections with house numbers name a map pin
("nahe Hauptstraße 12–23"), the form's JSON endpoint says it, and an unknown street typed without JavaScript
gets the closest streets of the list offered as links to step 2."""

import csv
import html as html_lib
import re

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from stadtdigital.reports.demo.streets import STREETS_CSV
from stadtdigital.reports.geocoding import (
    StreetListGeocoder,
    get_geocoder,
    parse_number_range,
    split_house_number,
)
from stadtdigital.reports.services.intake import describe_point, resolve_location

NEW = "/anliegen/neu/"
PLACE = "/anliegen/neu/ort-am-punkt/"


@pytest.fixture
def geocoder(tmp_path):
    path = tmp_path / "streets.csv"
    path.write_text(
        "name;lat;lon;hausnummern\n"
        "Hauptstraße;49.1400;9.2000;\n"
        "Marktplatz;49.1500;9.2100;\n"
        "Hauptstraße;49.1400;9.1990;2-13\n"
        "Hauptstraße;49.1400;9.2010;14-25\n",
        encoding="utf-8",
    )
    return StreetListGeocoder(path)


def test_nearest_names_the_section_with_its_house_numbers(geocoder):
    place = geocoder.nearest(49.14001, 9.2011)
    assert (place.name, place.house_numbers, place.label) == ("Hauptstraße", "14–25", "Hauptstraße 14–25")
    assert geocoder.nearest(49.15, 9.2101).label == "Marktplatz"  # a landmark has no numbers
    assert geocoder.nearest(49.0, 9.0) is None


def test_a_house_number_puts_the_point_on_its_section(geocoder):
    assert (geocoder.locate("Hauptstraße 20").lon, geocoder.locate("Hauptstraße 3").lon) == (9.2010, 9.1990)
    assert geocoder.locate("Hauptstraße").lon == 9.2000  # the street's middle row
    assert geocoder.locate("Hauptstraße 99").lon == 9.2000  # a number beyond the list: the street
    assert [p.name for p in geocoder.suggest("haupt")] == ["Hauptstraße"]  # sections are no extra streets


def test_every_street_of_the_demo_list_has_sections_in_order():
    rows = list(csv.reader(STREETS_CSV.open(encoding="utf-8"), delimiter=";"))
    assert rows[0] == ["name", "lat", "lon", "hausnummern"]
    streets = {row[0] for row in rows[1:] if not row[3]}
    ranges: dict[str, list[tuple[int, int]]] = {}
    for row in rows[1:]:
        if row[3]:
            ranges.setdefault(row[0], []).append(parse_number_range(row[3]))
    assert len(ranges) == 300 and set(ranges) <= streets
    for sections in ranges.values():
        assert sections[0][0] == 2
        for (first, last), (next_first, _next_last) in zip(sections, sections[1:], strict=False):
            assert first <= last and next_first == last + 1  # no gaps, no overlaps


def test_a_pin_on_the_demo_list_is_described_by_street_and_numbers():
    place = next(p for p, _numbers in get_geocoder().street_list.sections if p.name == "Hauptstraße")
    text = describe_point(place.lat + 0.00003, place.lon)
    assert re.fullmatch(r"nahe Hauptstraße \d+–\d+", text), text
    assert resolve_location(str(place.lat), str(place.lon)).address == text  # the no-JS path says the same


@pytest.mark.django_db
def test_json_endpoint_for_the_map_pin(client):
    place = next(p for p, _numbers in get_geocoder().street_list.sections if p.name == "Bahnhofstraße")
    response = client.get(PLACE, {"lat": f"{place.lat:.6f}", "lon": f"{place.lon:.6f}"})
    assert response.status_code == 200
    assert response.json() == {"address": f"nahe Bahnhofstraße {place.house_numbers}"}
    assert client.get(PLACE, {"lat": "49.1", "lon": "abc"}).status_code == 400
    outside = client.get(PLACE, {"lat": "52.5", "lon": "13.4"})
    assert outside.status_code == 400 and "außerhalb" in outside.json()["error"]
    assert client.get(PLACE).status_code == 400


def test_closest_streets_for_a_wrong_name(geocoder):
    assert [p.name for p in geocoder.closest("Hauptstrase 7")] == ["Hauptstraße 7"]
    assert geocoder.closest("x") == []
    assert [p.name for p in get_geocoder().closest("Lindenweg 4")][:5] and all(
        p.name.endswith(" 4") for p in get_geocoder().closest("Lindenweg 4")
    )


def test_unknown_street_without_javascript_offers_the_closest_as_links_to_step_2(client, category):
    response = client.get(NEW, {"kategorie": "schlagloch", "adresse": "Lindenweg 4", "lat": "", "lon": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Meinten Sie eine dieser Straßen?" in page
    links = [html_lib.unescape(link) for link in re.findall(r'<li><a href="([^"]+)">', page)]
    names = re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', page)
    assert "Lindenstraße 4" in names
    link = links[names.index("Lindenstraße 4")]
    assert link.endswith("#schritt-2")
    step2 = client.get(link.split("#")[0]).content.decode()
    assert 'id="schritt-2"' in step2 and "Lindenstraße 4" in step2


def test_nothing_is_offered_when_nothing_is_similar(client, category):
    page = client.get(NEW, {"kategorie": "schlagloch", "adresse": "Qqqxyzzz", "lat": "", "lon": ""})
    assert "nicht gefunden" in page.content.decode()
    assert "Meinten Sie eine dieser Straßen?" not in page.content.decode()


LETTERS = "abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ"
STREET_WORD = st.text(alphabet=LETTERS, min_size=2, max_size=12)
WORDS = st.lists(STREET_WORD, min_size=1, max_size=3).map(" ".join)
STREET = WORDS | st.tuples(STREET_WORD, STREET_WORD).map("-".join)
NUMBER = st.tuples(st.integers(1, 9999), st.sampled_from(["", "a", "b", "C"])).map(lambda t: f"{t[0]}{t[1]}")


@given(street=STREET, number=NUMBER, separator=st.sampled_from([" ", "  ", ", ", " ,"]))
@hsettings(max_examples=300, deadline=None)
def test_split_house_number_returns_what_was_typed(street, number, separator):
    assert split_house_number(f"{street}{separator}{number}") == (street, number)
    assert split_house_number(street) == (street, "")


@given(first=st.integers(1, 9999), length=st.integers(0, 500))
@hsettings(max_examples=200, deadline=None)
def test_number_ranges_parse_back(first, length):
    assert parse_number_range(f"{first}-{first + length}") == (first, first + length)
    assert parse_number_range(f"{first}–{first + length}") == (first, first + length)
    assert parse_number_range(str(first)) == (first, first)
    assert parse_number_range(f"x{first}") is None
