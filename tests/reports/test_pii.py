"""Personal data in free text: realistic cases are found and masked, house numbers, dates, postcodes,
amounts, sizes and times are not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stadtdigital.reports import pii

FOUND = [
    ("Rufen Sie mich an: 0151 5551234.", "phone"),
    ("Rückruf bitte unter +49 7131 5551234", "phone"),
    ("Tel. 07131/555123", "phone"),
    ("Meine Nummer 0171-5551234, ab 17 Uhr", "phone"),
    ("Handy: 0049 171 5551234", "phone"),
    ("+49 (0) 7131 555 123", "phone"),
    ("Tel. 555123 (Hausmeister)", "phone"),
    ("Herr Meier aus Nr. 5 parkt hier immer, Tel. 07131 555987", "phone"),
    ("Bei Fragen: anna.meier@example.org", "email"),
    ("schreiben sie mir an lukas+stadt@mail.example.de danke", "email"),
    ("Das Auto mit dem Kennzeichen HN-AB 123 steht hier immer.", "plate"),
    ("Der Transporter HN AB 12 parkt jeden Tag auf dem Gehweg", "plate"),
    ("Wagen S-XY 4711E seit Wochen abgestellt", "plate"),
    ("Für die Erstattung: IBAN DE89 3704 0044 0532 0130 00", "iban"),
    ("IBAN: DE89370400440532013000", "iban"),
    ("Konto GB82 WEST 1234 5698 7654 32", "iban"),
]

NOT_FOUND = [
    "Tiefes Loch vor Hausnummer 12",
    "Vor Nr. 5 und Nr. 7a",
    "Seit dem 12.03.2025 kaputt",
    "Habe schon am 3.4. angerufen",
    "2025-03-12 gemeldet",
    "In 74072 Heilbronn, Ecke Nr. 14",
    "PLZ 01067 Dresden",
    "Schaden ca. 1.200 Euro",
    "Felge für 249,90 € kaputt",
    "Loch ca. 50 cm breit und 0,5 m tief",
    "Gegen 18:30 Uhr gesehen",
    "Mast Nr. 12-345",
    "Ampel Nr. 0815",
    "B 27 Richtung Stuttgart gesperrt",
    "Ausfahrt A 6 voller Müll",
    "Zettel DIN A 4 an der Laterne",
    "Tel. nicht erreichbar",
    "Zwischen 2019 und 2024 dreimal gemeldet",
    "seit 3 Wochen, 12 Säcke",
]


@pytest.mark.parametrize(("text", "kind"), FOUND)
def test_realistic_personal_data_is_found_and_masked(text, kind):
    findings = pii.find(text)
    assert [f.kind for f in findings] == [kind]
    masked, _ = pii.mask(text)
    assert findings[0].text not in masked
    assert pii.PLACEHOLDERS[kind] in masked


@pytest.mark.parametrize("text", NOT_FOUND)
def test_numbers_that_are_no_personal_data_stay(text):
    assert pii.find(text) == []
    assert pii.mask(text) == (text, [])


def test_several_kinds_in_one_text_without_overlap():
    text = "Kennzeichen HN-AB 123, Halter ruft zurück unter 0151 5551234 oder anna@example.org, vor Nr. 12"
    masked, findings = pii.mask(text)
    assert pii.kinds(findings) == ["email", "phone", "plate"]
    assert masked.endswith("vor Nr. 12")
    assert "5551234" not in masked and "anna@" not in masked and "HN-AB" not in masked


@given(day=st.integers(1, 31), month=st.integers(1, 12), year=st.integers(1990, 2035))
def test_no_date_is_personal_data(day, month, year):
    for text in (f"seit dem {day}.{month}.{year}", f"am {day:02d}.{month:02d}.{year}", f"am {day}.{month}."):
        assert pii.find(text) == []


@given(postcode=st.integers(1000, 99999), house=st.integers(1, 999), suffix=st.sampled_from(["", "a", "b"]))
def test_no_address_is_personal_data(postcode, house, suffix):
    assert pii.find(f"Hauptstraße {house}{suffix}, {postcode:05d} Musterstadt") == []


@given(euros=st.integers(0, 999_999), cents=st.integers(0, 99), size=st.integers(1, 5000))
def test_no_amount_or_size_is_personal_data(euros, cents, size):
    assert pii.find(f"Schaden {euros:,}".replace(",", ".") + f",{cents:02d} Euro, ca. {size} cm") == []


@given(area=st.integers(10, 9999), number=st.integers(100_000, 99_999_999))
def test_every_german_phone_number_is_found(area, number):
    for text in (f"0{area} {number}", f"+49 {area} {number}", f"Tel. 0{area}/{number}"):
        assert [f.kind for f in pii.find(text)] == ["phone"], text


@given(
    local=st.from_regex(r"[a-z][a-z0-9._-]{0,15}[a-z0-9]", fullmatch=True),
    domain=st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z]", fullmatch=True),
)
def test_every_email_address_is_found(local, domain):
    text = f"Bitte an {local}@{domain}.de antworten."
    masked, findings = pii.mask(text)
    assert [f.kind for f in findings] == ["email"]
    assert "@" not in masked
