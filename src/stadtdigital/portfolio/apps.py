from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stadtdigital.core.navigation import NavEntry


class PortfolioConfig(AppConfig):
    name = "stadtdigital.portfolio"
    label = "portfolio"
    verbose_name = _("Projektportfolio")

    public_navigation = (
        NavEntry(_("Projekte"), "portfolio:project-list", "/projekte/", position=10),
        NavEntry(pgettext_lazy("navigation", "Berichte"), "portfolio:report-list", "/berichte/", position=20),
    )
    landing_cards = ("portfolio/_landing_cards.html",)
    easy_language_sections = ("portfolio/_easy_language.html",)  # the /leichte-sprache/ page
    backoffice_cards = ("portfolio/backoffice/_cards.html",)
    demo_loaders = ("stadtdigital.portfolio.demo.DEMO_LOADER",)
    # Collected by opendata/registry.py, in this order on /opendata/ and in the catalogue.
    opendata_datasets = (
        "stadtdigital.portfolio.opendata.projects.datasets",
        "stadtdigital.portfolio.opendata.annual_reports.datasets",
    )

    def ready(self):
        from stadtdigital.portfolio.opendata import projects

        # Renamed fields of action, departments... change the downloads without touching the projects' own
        # timestamps; the watcher stamps the dataset so its ETag changes.
        projects.watch()
