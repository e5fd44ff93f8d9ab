from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "stadtdigital.core"
    label = "core"
    verbose_name = _("Grundlagen")
    backoffice_cards = ("core/accessibility/_backoffice_card.html",)
    daily_jobs = ("stadtdigital.core.db.update_planner_statistics",)

    def ready(self):
        from stadtdigital.core.db import update_statistics_after_migrate
        from stadtdigital.core.fulltext import register_sqlite_functions
        from stadtdigital.core.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)

        from stadtdigital.core.accounts import security_log

        security_log.connect_signals()
        # SQLite never gathers statistics on its own; without them its planner guesses (decision 0025).
        post_migrate.connect(
            update_statistics_after_migrate, sender=self, dispatch_uid="stadtdigital-analyze"
        )
        connection_created.connect(register_sqlite_functions, dispatch_uid="stadtdigital-fulltext")

        from stadtdigital.core import request_id

        request_id.connect_signals()  # a queued task carries the request's id into the worker's log lines
