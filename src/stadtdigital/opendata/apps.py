from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from stadtdigital.core.navigation import NavEntry


class OpendataConfig(AppConfig):
    name = "stadtdigital.opendata"
    label = "opendata"
    verbose_name = _("Offene Daten")

    public_navigation = (NavEntry(_("Offene Daten"), "opendata:index", "/opendata/", position=50),)
    landing_cards = ("opendata/_landing_cards.html",)
    # Collected by core.scheduling: keeps the download sizes shown on /opendata/ and in the catalogue current.
    daily_jobs = ("stadtdigital.opendata.services.refresh_sizes",)

    def ready(self):
        from stadtdigital.opendata import checks  # noqa: F401 - registers the OPENDATA_* settings check
