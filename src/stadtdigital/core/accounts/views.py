"""Sign-in, two-factor, password and single sign-on pages of the back office."""

import functools

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from mozilla_django_oidc import views as oidc_views

from stadtdigital.core.accounts import twofactor
from stadtdigital.core.views import staff_required


def _next_url(request, default="core:backoffice"):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def _only_while(setting: str):
    """The decorated view exists (else 404) only while the boolean setting is on."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not getattr(settings, setting):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


_local_login_only = _only_while("LOCAL_LOGIN_ENABLED")  # the password pages
_sso_only = _only_while("OIDC_ENABLED")  # single sign-on


class StaffLoginForm(AuthenticationForm):
    """Django's login form, with the username's length checked before anyone tries to authenticate it.

    AuthenticationForm only puts the user model's max_length on the widget: a longer name went on to
    authenticate(), and django-axes' record of the failed attempt broke on PostgreSQL (varchar(255)).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
        username.label = _("Benutzername")
        self.fields["password"].label = _("Passwort")


class StaffLoginView(auth_views.LoginView):
    form_class = StaffLoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            local_login_enabled=settings.LOCAL_LOGIN_ENABLED, oidc_enabled=settings.OIDC_ENABLED, **kwargs
        )

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            return HttpResponseForbidden(_("Die Anmeldung mit Passwort ist abgeschaltet."))
        return super().post(request, *args, **kwargs)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy("Sechs Ziffern aus Ihrer Authenticator-App oder ein Wiederherstellungscode"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


@never_cache
@login_required
def otp_verify(request):
    """Second step of the sign-in: a code from the app or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.verify(request.user, form.cleaned_data["token"])
        except twofactor.Throttled:
            form.add_error("token", _("Zu viele falsche Codes. Bitte warten Sie einige Sekunden."))
        else:
            if device is not None:
                django_otp.login(request, device)
                return redirect(_next_url(request))
            form.add_error("token", _("Der Code ist falsch oder abgelaufen. Bitte versuchen Sie es erneut."))
    return render(request, "core/accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


def _needs_verification_first(request):
    """Whoever has a device but did not use it in this session may not set up or replace one."""
    return twofactor.has_any_device(request.user) and not request.user.is_verified()


@never_cache
@login_required
def otp_setup(request):
    if _needs_verification_first(request):
        return redirect(f"{reverse('core:otp_verify')}?next={reverse('core:otp_setup')}")
    device = twofactor.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_totp(device, form.cleaned_data["token"])
        if codes is not None:
            device.refresh_from_db()
            django_otp.login(request, device)
            messages.success(request, _("Die Zwei-Faktor-Anmeldung ist eingerichtet."))
            return render(
                request, "core/accounts/otp_recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error(
            "token",
            _("Der Code stimmt nicht. Prüfen Sie die Uhrzeit Ihres Geräts und versuchen Sie es erneut."),
        )
    return render(
        request,
        "core/accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": twofactor.qr_code_svg(device),
            "secret": twofactor.base32_secret(device),
            "required": twofactor.is_required(request.user),
            "next": _next_url(request),
        },
    )


@never_cache
@login_required
@require_POST
def otp_recovery_codes(request):
    if not request.user.is_verified():
        return redirect(f"{reverse('core:otp_verify')}?next={reverse('core:account')}")
    codes = twofactor.new_recovery_codes(request.user)
    return render(
        request, "core/accounts/otp_recovery_codes.html", {"codes": codes, "next": reverse("core:account")}
    )


@staff_required
@require_POST
def otp_disable(request):
    if twofactor.is_required(request.user):
        messages.error(request, _("Für Ihre Rolle ist die Zwei-Faktor-Anmeldung vorgeschrieben."))
    elif twofactor.has_any_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('core:otp_verify')}?next={reverse('core:account')}")
    else:
        twofactor.disable(request.user)
        messages.success(request, _("Die Zwei-Faktor-Anmeldung ist ausgeschaltet."))
    return redirect("core:account")


@staff_required
def account(request):
    user = request.user
    return render(
        request,
        "core/accounts/account.html",
        {
            "has_totp": twofactor.has_totp(user),
            "otp_required": twofactor.is_required(user),
            "recovery_codes_left": twofactor.remaining_recovery_codes(user),
            "local_login_enabled": settings.LOCAL_LOGIN_ENABLED and user.has_usable_password(),
        },
    )


# Template names carry a "staff_" prefix: the admin app ships registration/password_* templates that would
# otherwise win (it comes first in INSTALLED_APPS) and show Django's admin layout.
password_change = _local_login_only(
    auth_views.PasswordChangeView.as_view(
        template_name="registration/staff_password_change_form.html",
        success_url=reverse_lazy("core:password_change_done"),
    )
)
password_change_done = _local_login_only(
    auth_views.PasswordChangeDoneView.as_view(template_name="registration/staff_password_change_done.html")
)
password_reset = _local_login_only(
    auth_views.PasswordResetView.as_view(
        template_name="registration/staff_password_reset_form.html",
        email_template_name="registration/staff_password_reset_email.txt",
        subject_template_name="registration/staff_password_reset_subject.txt",
        success_url=reverse_lazy("core:password_reset_done"),
    )
)
password_reset_done = _local_login_only(
    auth_views.PasswordResetDoneView.as_view(template_name="registration/staff_password_reset_done.html")
)
password_reset_confirm = _local_login_only(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="registration/staff_password_reset_confirm.html",
        success_url=reverse_lazy("core:password_reset_complete"),
    )
)
password_reset_complete = _local_login_only(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="registration/staff_password_reset_complete.html"
    )
)


class SSOCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    def login_failure(self):
        messages.error(
            self.request,
            _("Die Anmeldung über den Identitätsdienst ist fehlgeschlagen. Bitte versuchen Sie es erneut."),
        )
        return redirect("core:login")


sso_start = _sso_only(oidc_views.OIDCAuthenticationRequestView.as_view())
sso_callback = _sso_only(SSOCallbackView.as_view())
