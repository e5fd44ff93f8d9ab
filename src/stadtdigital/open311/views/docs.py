"""The human-readable documentation page of the Open311 API at /open311/v2/ (German, like the site)."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from stadtdigital.open311 import params
from stadtdigital.open311.views import read
from stadtdigital.reports.models import State


@require_safe
def docs(request):
    base = settings.SITE_URL + reverse("open311:docs").rstrip("/")
    return render(
        request,
        "open311/docs.html",
        {
            "base": base,
            "openapi_url": reverse("open311:openapi"),
            "states": State.values,
            "max_page_size": read.MAX_PAGE_SIZE,
            "default_limit": read.DEFAULT_LIMIT,
            "max_radius": params.MAX_RADIUS_M,
            "default_radius": read.DEFAULT_RADIUS_M,
        },
    )
