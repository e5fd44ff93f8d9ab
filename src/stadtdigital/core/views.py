from django.contrib.auth.decorators import user_passes_test
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from stadtdigital.core.roles import is_staff_member

staff_required = user_passes_test(is_staff_member)


def landing(request):
    return render(request, "core/landing.html")


@never_cache
def healthz(request):
    """For load balancers: 200 when the app can reach its database, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@staff_required
def backoffice(request):
    return render(request, "core/backoffice.html")
