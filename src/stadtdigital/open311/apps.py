from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "stadtdigital.open311"
    label = "open311"
    verbose_name = _("Open311-Schnittstelle")
    backoffice_cards = ("open311/backoffice/_cards.html",)
    daily_jobs = ("stadtdigital.open311.idempotency.forget_expired",)
