from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "stadtdigital.core"
    label = "core"
    verbose_name = _("Grundlagen")
    backoffice_cards = ("core/accessibility/_backoffice_card.html",)

    def ready(self):
        from stadtdigital.core.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)

        from stadtdigital.core.accounts import security_log

        security_log.connect_signals()
