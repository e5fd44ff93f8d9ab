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
    easy_language_sections = ("reports/_easy_language.html",)  # the /leichte-sprache/ page
    backoffice_cards = ("reports/backoffice/_cards.html", "reports/backoffice/_privacy_card.html")
    # Collected by core: scheduling.py (run once a day by the worker), kpis.py, `stadtdigital demo`.
    daily_jobs = (
        "stadtdigital.reports.services.privacy.purge_personal_data",
        "stadtdigital.reports.services.reminders.send_overdue_reminders",
        "stadtdigital.reports.services.submissions.forget_old_tokens",
        "stadtdigital.reports.sending.statusback.ensure_polling",
        "stadtdigital.reports.assist.training.daily_training",
        # Before opendata's refresh_sizes (reports comes first in INSTALLED_APPS): sizes then measure the
        # statistics from the stored months.
        "stadtdigital.reports.opendata.statistics_cache.refresh",
        # Also before refresh_sizes, which then copies the stored blocks (decision 0029).
        "stadtdigital.reports.opendata.rendered_blocks.refresh",
    )
    # Run every few seconds by each worker's watchdog (core/watchdog.py): repairs after a crash.
    watchdog_jobs = ("stadtdigital.reports.services.photos.requeue_stuck_photos",)
    live_kpi_providers = ("stadtdigital.reports.kpis.PROVIDER",)
    metric_providers = ("stadtdigital.reports.metrics.collect",)  # /metrics (core/metrics.py)
    demo_loaders = ("stadtdigital.reports.demo.DEMO_LOADER",)
    # Collected by opendata/registry.py, in this order on /opendata/ and in the catalogue.
    opendata_datasets = (
        "stadtdigital.reports.opendata.reports.datasets",
        "stadtdigital.reports.opendata.report_statistics.datasets",
    )

    def ready(self):
        from django.db.models.signals import post_migrate

        from stadtdigital.reports.opendata import (
            rendered_blocks,
            report_statistics,
            reports,
            statistics_cache,
        )
        from stadtdigital.reports.search_index import ensure_after_migrate

        # Puts back the SQLite search triggers that a table rebuild by a later migration drops.
        post_migrate.connect(ensure_after_migrate, sender=self, dispatch_uid="stadtdigital-report-search")
        # The same for the triggers that note changes for the stored monthly statistics (decision 0028).
        post_migrate.connect(
            statistics_cache.ensure_after_migrate, sender=self, dispatch_uid="stadtdigital-report-figures"
        )
        # And for the triggers that note changed blocks of the stored downloads (decision 0029).
        post_migrate.connect(
            rendered_blocks.ensure_after_migrate, sender=self, dispatch_uid="stadtdigital-report-blocks"
        )
        # Renamed categories and departments change the downloads without touching the reports' own
        # timestamps; the watchers stamp the datasets so their ETags change.
        reports.watch()
        report_statistics.watch()
