from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "stadtdigital.portfolio"
    label = "portfolio"
    verbose_name = _("Projektportfolio")
