from django.contrib.auth import views as auth_views
from django.urls import path

from stadtdigital.core import accessibility_views, views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("verwaltung/", views.backoffice, name="backoffice"),
    path("verwaltung/anmelden/", auth_views.LoginView.as_view(), name="login"),
    path("verwaltung/abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    *accessibility_views.urlpatterns,
]
