from django.conf import settings

from stadtdigital.core.selectors import synthetic_data_present


def site(request):
    return {
        "CITY_NAME": settings.CITY_NAME,
        "SYNTHETIC_DATA": synthetic_data_present(),
    }
