from django.urls import path

from stadtdigital.open311 import docs, openapi, read, write

app_name = "open311"

# read.urlpatterns ends with the catch-all JSON 404, so everything else comes before it.
urlpatterns = [
    path("", docs.docs, name="docs"),
    path("openapi.json", openapi.openapi_json, name="openapi"),
    *write.urlpatterns,
    *read.urlpatterns,
]
