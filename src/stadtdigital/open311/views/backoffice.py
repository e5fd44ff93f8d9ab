"""Back office for Open311 API keys: /verwaltung/open311/ (list, create, revoke).

Only the Digitalisierungsbüro, the Leitstelle and superusers manage keys; other staff get 403. A new key is
shown once, in the response to the POST that created it (never stored in plain text, not in the session).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stadtdigital.core.actions import perform
from stadtdigital.core.roles import DIGITAL_OFFICE, LEITSTELLE
from stadtdigital.core.views import staff_required
from stadtdigital.open311 import services
from stadtdigital.open311.forms import ApiClientForm
from stadtdigital.open311.models import ApiClient


def can_manage_keys(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=[DIGITAL_OFFICE, LEITSTELLE]).exists()


def _check(user) -> None:
    if not can_manage_keys(user):
        raise PermissionDenied


@staff_required
def client_list(request):
    _check(request.user)
    return render(
        request,
        "open311/backoffice/client_list.html",
        {"clients": ApiClient.objects.select_related("created_by").order_by("revoked_at", "name", "pk")},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def client_create(request):
    _check(request.user)
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client, key = services.create_key(
            form.cleaned_data["name"], by=request.user, relays_for_many=form.cleaned_data["relays_for_many"]
        )
        return render(request, "open311/backoffice/client_created.html", {"client": client, "key": key})
    return render(request, "open311/backoffice/client_form.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def client_revoke(request, pk):
    _check(request.user)
    client = get_object_or_404(ApiClient, pk=pk)
    if request.method == "POST":
        return perform(
            request,
            lambda: services.revoke(client, by=request.user),
            success=lambda revoked: (
                _("Schlüssel für „%(name)s“ gesperrt.") % {"name": client.name}
                if revoked
                else (messages.INFO, _("Der Schlüssel war bereits gesperrt."))
            ),
            then="open311_backoffice:clients",
        )
    return render(request, "open311/backoffice/client_revoke.html", {"client": client})
