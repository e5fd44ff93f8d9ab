"""System checks of the OPENDATA_* settings: a malformed value would publish a catalogue portals reject.

`stadtdigital check` (and every management command, and the server's start) reports them; `check --deploy`
must report no issues before going live.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from stadtdigital.opendata.vocabularies import license_code

TAG = "opendata"
_CONTRIBUTOR_ID = re.compile(r"[A-Za-z0-9_.-]+")


def _is_http_uri(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and not re.search(r"\s", value)


@checks.register(TAG)
def check_opendata_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    key = settings.OPENDATA_MUNICIPALITY_KEY.strip()
    if not re.fullmatch(r"\d{8}|\d{12}", key):
        messages.append(
            checks.Error(
                f"OPENDATA_MUNICIPALITY_KEY={key!r} is neither an 8-digit Amtlicher Gemeindeschlüssel nor a "
                "12-digit Regionalschlüssel.",
                hint="The city's key from the Gemeindeverzeichnis of the Statistisches Bundesamt, "
                "e.g. 08121000.",
                id="opendata.E001",
            )
        )
    license_uri = settings.OPENDATA_LICENSE.strip()
    if not _is_http_uri(license_uri):
        messages.append(
            checks.Error(
                f"OPENDATA_LICENSE={license_uri!r} is not an http(s) URI.",
                hint="A licence of the DCAT-AP.de list, e.g. http://dcat-ap.de/def/licenses/dl-by-de/2.0.",
                id="opendata.E002",
            )
        )
    elif license_code(license_uri) is None:
        messages.append(
            checks.Warning(
                f"OPENDATA_LICENSE={license_uri!r} is not in the DCAT-AP.de licence list GovData expects.",
                hint="See http://dcat-ap.de/def/licenses/ (e.g. dl-by-de/2.0, dl-zero-de/2.0, cc-by/4.0).",
                id="opendata.W001",
            )
        )
    contributor = settings.OPENDATA_CONTRIBUTOR_ID.strip()
    if contributor and not (_is_http_uri(contributor) or _CONTRIBUTOR_ID.fullmatch(contributor)):
        messages.append(
            checks.Error(
                f"OPENDATA_CONTRIBUTOR_ID={contributor!r} is neither an ID of GovData's contributor list nor "
                "an http(s) URI.",
                hint="The ID GovData assigned (e.g. musterstadt), or leave it empty when the city's data "
                "reaches GovData through a state portal.",
                id="opendata.E003",
            )
        )
    email = settings.OPENDATA_CONTACT_EMAIL.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            messages.append(
                checks.Error(f"OPENDATA_CONTACT_EMAIL={email!r} is not an email address.", id="opendata.E004")
            )
    for name in ("OPENDATA_PUBLISHER_URL", "OPENDATA_CONTACT_URL"):
        value = getattr(settings, name).strip()
        if value and not _is_http_uri(value):
            messages.append(checks.Error(f"{name}={value!r} is not an http(s) URL.", id="opendata.E005"))
    return messages
