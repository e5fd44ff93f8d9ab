from django.contrib.auth import views as auth_views
from django.urls import path

from stadtdigital.core import accessibility_views, monitoring, views
from stadtdigital.core.accounts import views as accounts

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", monitoring.metrics_view, name="metrics"),
    path("verwaltung/", views.backoffice, name="backoffice"),
    path("verwaltung/anmelden/", accounts.StaffLoginView.as_view(), name="login"),
    path("verwaltung/abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    # Accessibility (BITV 2.0): the statement, easy language, and the feedback it invites
    path("barrierefreiheit/", accessibility_views.accessibility_statement, name="accessibility"),
    path("leichte-sprache/", accessibility_views.easy_language, name="easy-language"),
    path(
        "verwaltung/barrierefreiheit/", accessibility_views.feedback_list, name="accessibility-feedback-list"
    ),
    path(
        "verwaltung/barrierefreiheit/<int:pk>/",
        accessibility_views.feedback_detail,
        name="accessibility-feedback",
    ),
    # Staff accounts (decision 0019)
    path("verwaltung/anmelden/zweiter-faktor/", accounts.otp_verify, name="otp_verify"),
    path("verwaltung/anmelden/sso/", accounts.sso_start, name="oidc_authentication_init"),
    path("verwaltung/anmelden/sso/callback/", accounts.sso_callback, name="oidc_callback"),
    path("verwaltung/konto/", accounts.account, name="account"),
    path("verwaltung/konto/zwei-faktor/einrichten/", accounts.otp_setup, name="otp_setup"),
    path("verwaltung/konto/zwei-faktor/codes/", accounts.otp_recovery_codes, name="otp_recovery_codes"),
    path("verwaltung/konto/zwei-faktor/ausschalten/", accounts.otp_disable, name="otp_disable"),
    path("verwaltung/konto/passwort/", accounts.password_change, name="password_change"),
    path("verwaltung/konto/passwort/geaendert/", accounts.password_change_done, name="password_change_done"),
    path("verwaltung/passwort-vergessen/", accounts.password_reset, name="password_reset"),
    path("verwaltung/passwort-vergessen/gesendet/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "verwaltung/passwort-neu/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("verwaltung/passwort-neu/fertig/", accounts.password_reset_complete, name="password_reset_complete"),
]
