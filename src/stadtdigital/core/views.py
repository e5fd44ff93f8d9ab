from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from stadtdigital.core import monitoring, navigation
from stadtdigital.core.roles import is_staff_member


def staff_required(view):
    """Back office views: anonymous visitors go to the login page, signed-in users without a role get 403.

    (A plain `user_passes_test` would send a signed-in user without a role back to the login page, which
    sends them on to the view again: a loop that never tells them why.)
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def landing(request):
    return render(request, "core/landing.html", {"landing_cards": navigation.landing_cards()})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


@never_cache
def healthz(request):
    """For load balancers: 200 when the app can reach its database, 503 otherwise. `?deep=1` (monitoring
    only) also checks storage, the worker and the queue (core/monitoring.py)."""
    if request.GET.get("deep"):
        return monitoring.deep_health(request, _check_database)
    try:
        _check_database()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@staff_required
def backoffice(request):
    from stadtdigital.core.roles import ROLE_DESCRIPTIONS, ROLE_LABELS, is_digital_office

    roles = [
        (ROLE_LABELS[name], description)
        for name, description in ROLE_DESCRIPTIONS.items()
        if request.user.groups.filter(name=name).exists()
    ]
    return render(
        request,
        "core/backoffice.html",
        {
            "roles": roles,
            "is_digital_office": is_digital_office(request.user),
            "my_departments": request.user.departments.all(),
            "backoffice_cards": navigation.backoffice_cards(),
        },
    )
