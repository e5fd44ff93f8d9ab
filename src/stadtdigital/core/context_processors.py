from django.conf import settings
from django.urls import reverse

from stadtdigital.core import navigation
from stadtdigital.core.selectors import synthetic_data_present


def site(request):
    entries = navigation.public_navigation()
    # The most specific entry is the current page: /anliegen/neu/ is "Anliegen melden", not also "Anliegen".
    matching = [entry for entry in entries if request.path.startswith(entry.path_prefix)]
    current = max(matching, key=lambda entry: len(entry.path_prefix), default=None)
    return {
        "CITY_NAME": settings.CITY_NAME,
        "SYNTHETIC_DATA": synthetic_data_present(),
        "NAVIGATION": [
            {"label": entry.label, "url": reverse(entry.url_name), "current": entry is current}
            for entry in entries
        ],
    }
