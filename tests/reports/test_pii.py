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
    ("Erreichbar unter 0171.234.56.78.", "phone"),
    ("Büro: 030.1234567 (vormittags)", "phone"),
    ("Ruf an: +49.171.2345678", "phone"),
    ("Festnetz 07131.555.123, ab 18 Uhr", "phone"),
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
    "Termin am 04.12.2026 verschoben",
    "zuletzt 4.12.26 und 01.02.2027",
    "Reparatur kostet 1.250.000 Euro",
    "Gebühr 0.50 € pro Tag",
    "Ampel Nr. 0815.12 blinkt",
    "Version 1.2.3 der App",
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


dotted_groups = st.lists(st.integers(10, 999), min_size=1, max_size=3)  # with the area code: 5 to 14 digits


@given(area=st.integers(10, 9999), groups=dotted_groups)
def test_every_dotted_phone_number_is_found(area, groups):
    number = f"0{area}." + ".".join(str(g) for g in groups)
    digits = sum(ch.isdigit() for ch in number)
    for text in (f"Rückruf {number} bitte", f"Tel.: {number}.", f"{number}, ab 17 Uhr"):
        findings = pii.find(text)
        if digits < 7:
            assert findings == [], text  # too short to be a phone number ("0815.12")
        else:
            assert [(f.kind, f.text) for f in findings] == [("phone", number)], text
            assert number not in pii.mask(text)[0]


@given(
    day=st.integers(1, 31), month=st.integers(1, 12), year=st.integers(1990, 2035), area=st.integers(10, 9999)
)
def test_a_dotted_phone_number_next_to_a_date_masks_only_the_number(day, month, year, area):
    number = f"0{area}.555.12.34"
    date = f"{day:02d}.{month:02d}.{year}"
    text = f"Am {date} angerufen, {number}, und wieder am {day}.{month}.{year % 100:02d}"
    masked, findings = pii.mask(text)
    assert [f.text for f in findings] == [number]
    assert date in masked and f"{day}.{month}.{year % 100:02d}" in masked


@given(euros=st.integers(0, 999_999_999), cents=st.integers(0, 99))
def test_no_amount_written_with_dots_is_personal_data(euros, cents):
    dotted = f"{euros:,}".replace(",", ".")
    for text in (f"Kosten {dotted} Euro", f"Kosten {dotted},{cents:02d} €", f"{euros}.{cents:02d} EUR"):
        assert pii.find(text) == [], text
