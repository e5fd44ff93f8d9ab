from django.urls import path, register_converter

from stadtdigital.opendata.registry import FORMATS
from stadtdigital.opendata.views import catalog, downloads, index


class FormatConverter:
    regex = "|".join(FORMATS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "opendata_format")

app_name = "opendata"

urlpatterns = [
    path("", index.index, name="index"),
    path("catalog.<str:serialisation>", catalog.catalog, name="catalog"),
    path("<slug:name>.<opendata_format:fmt>", downloads.download, name="download"),
]
