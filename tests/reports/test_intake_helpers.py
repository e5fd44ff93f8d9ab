"""Images and categories for the intake, photo and form tests."""

import io

import pytest
from PIL import Image

from stadtdigital.reports.models import CategoryQuestion, QuestionType


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), *, exif=None, **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", exif=exif or Image.Exif(), **save)
    return out.getvalue()


def png_bytes(size=(32, 32), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def exif_with_gps_and_orientation(orientation=6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: 6 = rotate 90° clockwise to display
    exif[0x010F] = "Testkamera GmbH"  # Make
    exif[0x0131] = "Geheime Software"  # Software
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (49.0, 8.0, 30.0)
    gps[3] = "E"
    gps[4] = (9.0, 12.0, 0.0)
    return exif


@pytest.fixture
def questions(category):
    return {
        "nummer": CategoryQuestion.objects.create(
            category=category, code="nummer", label="Mastnummer", datatype=QuestionType.STRING
        ),
        "tiefe": CategoryQuestion.objects.create(
            category=category, code="tiefe", label="Tiefe in cm", datatype=QuestionType.NUMBER
        ),
        "seit": CategoryQuestion.objects.create(
            category=category, code="seit", label="Seit wann?", datatype=QuestionType.DATETIME
        ),
        "gefahr": CategoryQuestion.objects.create(
            category=category,
            code="gefahr",
            label="Gefahr für",
            datatype=QuestionType.SINGLE_CHOICE,
            required=True,
            choices=[{"key": "rad", "name": "Radfahrende"}, {"key": "auto", "name": "Autos"}],
        ),
        "wo": CategoryQuestion.objects.create(
            category=category,
            code="wo",
            label="Wo genau?",
            datatype=QuestionType.MULTIPLE_CHOICE,
            choices=[{"key": "fahrbahn", "name": "Fahrbahn"}, {"key": "gehweg", "name": "Gehweg"}],
        ),
    }
