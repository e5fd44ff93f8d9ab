from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from stadtdigital.core.navigation import NavEntry


class ReportsConfig(AppConfig):
    name = "stadtdigital.reports"
    label = "reports"
    verbose_name = _("Anliegenmanagement")

    public_navigation = (
        NavEntry(_("Anliegen melden"), "reports:new", "/anliegen/neu/", position=30),
        NavEntry(_("Anliegen"), "reports:list", "/anliegen/", position=31),
    )
    landing_cards = ("reports/_landing_cards.html",)
    backoffice_cards = ("reports/backoffice/_cards.html",)
