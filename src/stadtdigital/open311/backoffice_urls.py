"""Routes of the back office for Open311 API keys, mounted at /verwaltung/open311/ by stadtdigital/urls.py.

Separate from urls.py because it lives under the back office's prefix (and its session login), not under the
API's /open311/v2/ with its JSON catch-all.
"""

from django.urls import path

from stadtdigital.open311.views import backoffice

app_name = "open311_backoffice"

urlpatterns = [
    path("", backoffice.client_list, name="clients"),
    path("neu/", backoffice.client_create, name="client-create"),
    path("<int:pk>/sperren/", backoffice.client_revoke, name="client-revoke"),
]
