"""The street list geocoder: umlaut/accent-insensitive prefix and word matching, house numbers kept."""

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from stadtdigital.reports.geocoding import StreetListGeocoder, get_geocoder, normalize, split_house_number


@pytest.fixture
def geocoder(tmp_path):
    path = tmp_path / "streets.csv"
    path.write_text(
        "name;lat;lon\nHauptstraße;49.14;9.20\nHauptplatz;49.15;9.21\nKönigsallee;49.16;9.22\n"
        "Am Marktplatz;49.13;9.19\nRosenweg;49.12;9.18\nkaputt;x;y\n",
        encoding="utf-8",
    )
    return StreetListGeocoder(path)


def test_prefix_without_umlauts_or_abbreviations(geocoder):
    assert [place.name for place in geocoder.suggest("hauptstr")] == ["Hauptstraße"]
    assert {place.name for place in geocoder.suggest("haupt")} == {"Hauptplatz", "Hauptstraße"}
    assert geocoder.suggest("koenigs")[0].name == "Königsallee"
    assert geocoder.suggest("markt")[0].name == "Am Marktplatz"  # word match


def test_locate_keeps_house_number_and_tolerates_a_typo(geocoder):
    place = geocoder.locate("Haupstraße 12")
    assert place.name == "Hauptstraße 12" and (place.lat, place.lon) == (49.14, 9.20)
    assert geocoder.locate("Hauptstr. 3a").name == "Hauptstraße 3a"
    assert geocoder.locate("haupt") is None  # ambiguous
    assert geocoder.locate("Gibtsnichtweg 1") is None


def test_nearest(geocoder):
    assert geocoder.nearest(49.1401, 9.2001).name == "Hauptstraße"
    assert geocoder.nearest(49.0, 9.0) is None


def test_default_backend_reads_the_shipped_list(settings):
    assert get_geocoder().suggest("haupt")


def test_missing_file_means_no_places(tmp_path):
    assert StreetListGeocoder(tmp_path / "fehlt.csv").suggest("haupt") == []


@given(st.text(max_size=40))
@hsettings(max_examples=200, deadline=None)
def test_normalize_and_split_never_crash(text):
    assert isinstance(normalize(text), str)
    street, number = split_house_number(text)
    assert isinstance(street, str) and isinstance(number, str)
