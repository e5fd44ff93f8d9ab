from django.conf import settings
from django.urls import reverse

from stadtdigital.core import navigation
from stadtdigital.core.selectors import synthetic_data_present


def site(request):
    return {
        "CITY_NAME": settings.CITY_NAME,
        "SYNTHETIC_DATA": synthetic_data_present(),
        "NAVIGATION": [
            {
                "label": entry.label,
                "url": reverse(entry.url_name),
                "current": request.path.startswith(entry.path_prefix),
            }
            for entry in navigation.public_navigation()
        ],
    }
