"""/verwaltung/datenschutz/: what is stored about one email address; JSON export; deletion (DSGVO).

Only the Digitalisierungsbüro, the Leitstelle and superusers may use it; other staff get 403. The email
address travels only in POST bodies (never in a URL, so it is not written to access logs or histories).
"""

import json
from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from stadtdigital.core import roles
from stadtdigital.reports.services import privacy

PRIVACY_ROLES = (roles.DIGITAL_OFFICE, getattr(roles, "LEITSTELLE", "Leitstelle"))


def can_manage_personal_data(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=PRIVACY_ROLES).exists()


def privacy_staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_manage_personal_data(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("Die Adresse, unter der die Person Anliegen gemeldet oder abonniert hat."),
        error_messages={
            "required": _("Bitte eine E-Mail-Adresse eingeben."),
            "invalid": _("Bitte eine gültige E-Mail-Adresse eingeben, z. B. name@example.org."),
        },
    )


@privacy_staff_required
def privacy_admin(request):
    form = EmailForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        action = request.POST.get("action", "show")
        if action == "download":
            data = privacy.export_personal_data(email)
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
            )
            stamp = timezone.localdate().isoformat()
            response["Content-Disposition"] = f'attachment; filename="auskunft-{stamp}.json"'
            return response
        if action == "delete":
            if request.POST.get("confirm") != "yes":
                context["confirm_error"] = _("Bitte bestätigen, dass die Daten gelöscht werden sollen.")
            else:
                counts = privacy.delete_personal_data(email, by=request.user)
                return render(request, "reports/privacy_admin_done.html", {"email": email, "counts": counts})
        context["export"] = privacy.export_personal_data(email)
        context["email"] = email
    return render(request, "reports/privacy_admin.html", context)
