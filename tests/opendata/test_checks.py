"""The system check of the OPENDATA_* settings: malformed values are errors naming the setting."""

import pytest

from stadtdigital.opendata.checks import check_opendata_settings


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_the_defaults_pass():
    assert check_opendata_settings() == []


@pytest.mark.parametrize("key", ["08121000", "081210000000", " 08121000 "])
def test_municipality_key_with_8_or_12_digits_passes(settings, key):
    settings.OPENDATA_MUNICIPALITY_KEY = key
    assert check_opendata_settings() == []


@pytest.mark.parametrize("key", ["", "8121000", "0812100000", "08 121 000", "0812100A", "0812100000000"])
def test_malformed_municipality_key_is_an_error(settings, key):
    settings.OPENDATA_MUNICIPALITY_KEY = key
    messages = check_opendata_settings()
    assert ids(messages) == ["opendata.E001"]
    assert "OPENDATA_MUNICIPALITY_KEY" in messages[0].msg


@pytest.mark.parametrize(
    "value", ["", "dl-by-de/2.0", "ftp://dcat-ap.de/def/licenses/dl-by-de/2.0", "http://"]
)
def test_licence_must_be_an_http_uri(settings, value):
    settings.OPENDATA_LICENSE = value
    assert ids(check_opendata_settings()) == ["opendata.E002"]


def test_licence_outside_the_dcat_ap_de_list_is_a_warning(settings):
    settings.OPENDATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
    assert ids(check_opendata_settings()) == ["opendata.W001"]
    settings.OPENDATA_LICENSE = "https://dcat-ap.de/def/licenses/cc-by/4.0"
    assert check_opendata_settings() == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", []),
        ("musterstadt", []),
        ("transparenzportalHamburg", []),
        ("http://dcat-ap.de/def/contributors/musterstadt", []),
        ("Stadt Musterstadt", ["opendata.E003"]),
        ("musterstadt/", ["opendata.E003"]),
    ],
)
def test_contributor_id(settings, value, expected):
    settings.OPENDATA_CONTRIBUTOR_ID = value
    assert ids(check_opendata_settings()) == expected


def test_contact_email_and_urls(settings):
    settings.OPENDATA_CONTACT_EMAIL = "opendata(at)musterstadt.example"
    settings.OPENDATA_PUBLISHER_URL = "www.musterstadt.example"
    settings.OPENDATA_CONTACT_URL = "https://www.musterstadt.example/kontakt"
    messages = check_opendata_settings()
    assert ids(messages) == ["opendata.E004", "opendata.E005"]
    assert "OPENDATA_PUBLISHER_URL" in messages[1].msg
