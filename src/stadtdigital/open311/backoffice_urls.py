"""Mounted at /verwaltung/open311/ by stadtdigital/urls.py."""

from stadtdigital.open311.backoffice import urlpatterns  # noqa: F401

app_name = "open311_backoffice"
