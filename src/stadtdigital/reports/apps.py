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
    backoffice_cards = ("reports/backoffice/_cards.html", "reports/backoffice/_privacy_card.html")
    # Collected by core: scheduling.py (run once a day by the worker), kpis.py, `stadtdigital demo`.
    daily_jobs = (
        "stadtdigital.reports.services.privacy.purge_personal_data",
        "stadtdigital.reports.services.reminders.send_overdue_reminders",
        "stadtdigital.reports.assist.training.daily_training",
    )
    live_kpi_providers = ("stadtdigital.reports.kpis.PROVIDER",)
    demo_loaders = ("stadtdigital.reports.demo.DEMO_LOADER",)
