"""Filters of the project lists (public /projekte/ and the back office), as plain GET parameters."""

import django_filters
from django import forms
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from stadtdigital.core.models import Department
from stadtdigital.portfolio import selectors
from stadtdigital.portfolio.models import FieldOfAction, Status

SORT_CHOICES = [
    ("titel", _("Titel (A–Z)")),
    ("status", _("Status (Idee bis eingestellt)")),
    ("budget-absteigend", _("Budget (größtes zuerst)")),
    ("budget", _("Budget (kleinstes zuerst)")),
]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Suche"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("z. B. Schule, WLAN, E-Akte")}),
        help_text=_("Sucht in Titel, Beschreibung und Schlagwörtern."),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("alle"))
    handlungsfeld = django_filters.ModelChoiceFilter(
        label=_("Handlungsfeld"),
        field_name="field_of_action",
        to_field_name="slug",
        queryset=FieldOfAction.objects.all(),
        empty_label=_("alle"),
    )
    fachbereich = django_filters.ModelChoiceFilter(
        label=_("Fachbereich"),
        field_name="department",
        to_field_name="slug",
        queryset=Department.objects.all(),
        empty_label=_("alle"),
    )
    sortierung = django_filters.ChoiceFilter(
        label=_("Sortierung"), choices=SORT_CHOICES, method="sort", empty_label=None
    )

    def search(self, queryset, name, value):
        return selectors.project_text_search(queryset, value)

    def sort(self, queryset, name, value):
        if value == "status":
            return selectors.order_by_status(queryset)
        if value == "budget-absteigend":
            return queryset.order_by(F("planned_budget").desc(nulls_last=True), "title")
        if value == "budget":
            return queryset.order_by(F("planned_budget").asc(nulls_last=True), "title")
        return queryset.order_by(Lower("title"), "pk")

    @property
    def active(self) -> bool:
        """True when the visitor narrowed the list (sorting alone does not count)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return any(data.get(name) for name in ("q", "status", "handlungsfeld", "fachbereich"))
