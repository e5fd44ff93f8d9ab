"""Filters of the public report list, map data and feed: plain GET parameters, the same for all three.

    /anliegen/?kategorie=schlagloch&status=offen&zeitraum=30&q=Bahnhof&sortierung=unterstuetzt
    /anliegen/karte.json?bbox=...&zoom=13&kategorie=schlagloch&status=offen
    /anliegen/feed.atom?kategorie=schlagloch

Without a `status` parameter only open reports are shown (what the city is working on); "alle" shows all.
"""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadtdigital.core.fulltext import query_stems
from stadtdigital.reports import search_index
from stadtdigital.reports.models import OPEN_STATES, Category, State

DEFAULT_STATUS = "offen"

STATUS_CHOICES = [
    (
        _("Überblick"),
        [
            ("offen", _("offen (alle offenen)")),
            ("geschlossen", _("abgeschlossen (alle)")),
            ("alle", _("alle")),
        ],
    ),
    (_("genauer Status"), [(value, label) for value, label in State.choices]),
]

PERIOD_CHOICES = [
    ("7", _("letzte 7 Tage")),
    ("30", _("letzte 30 Tage")),
    ("90", _("letzte 90 Tage")),
    ("365", _("letzte 12 Monate")),
]

SORT_CHOICES = [
    ("neueste", _("neueste zuerst")),
    ("aelteste", _("älteste zuerst")),
    ("unterstuetzt", _("meiste Unterstützung")),
]

# Parameters that narrow the selection (sorting and paging do not).
FILTER_PARAMETERS = ("q", "kategorie", "status", "zeitraum", "von", "bis")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# Dates outside this range cannot be turned into a time of day (year 1 or 9999 overflow); nobody means them.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)


class DateRangeField(forms.DateField):
    def validate(self, value):
        super().validate(value)
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(
                _("Bitte ein Datum zwischen dem %(earliest)s und dem %(latest)s angeben."),
                code="out_of_range",
                params={
                    "earliest": EARLIEST_DATE.strftime("%d.%m.%Y"),
                    "latest": LATEST_DATE.strftime("%d.%m.%Y"),
                },
            )


class DateFilter(django_filters.DateFilter):
    field_class = DateRangeField


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Suche"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("z. B. Bahnhofstraße, Laterne")}),
        help_text=_("Sucht in Beschreibung und Ort."),
    )
    kategorie = django_filters.ModelChoiceFilter(
        label=_("Kategorie"),
        field_name="category",
        to_field_name="code",
        queryset=Category.objects.select_related("group"),
        empty_label=_("alle"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    zeitraum = django_filters.ChoiceFilter(
        label=_("Zeitraum"), choices=PERIOD_CHOICES, method="filter_period", empty_label=_("jederzeit")
    )
    von = DateFilter(label=_("gemeldet ab"), method="filter_from", widget=DateInput())
    bis = DateFilter(label=_("gemeldet bis"), method="filter_to", widget=DateInput())
    sortierung = django_filters.ChoiceFilter(
        label=_("Sortierung"), choices=SORT_CHOICES, method="sort", empty_label=None
    )

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = DEFAULT_STATUS
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        # Full text with German stems (decision 0025): every word, as a prefix, in description or address.
        if not query_stems(value):
            return queryset
        return queryset.filter(search_index.matching(value))

    def filter_status(self, queryset, name, value):
        # `is_open__in` rather than `is_open=True`: Django writes the latter as a bare boolean column, which
        # SQLite cannot use as an equality in the (visibility, is_open, lat, lon) index.
        if value == "offen":
            return queryset.filter(is_open__in=[True])
        if value == "geschlossen":
            return queryset.filter(is_open__in=[False])
        if value in State.values:  # is_open follows from the state; saying so lets the map index narrow
            return queryset.filter(state=value, is_open__in=[value in OPEN_STATES])
        return queryset

    def filter_period(self, queryset, name, value):
        since = timezone.localdate() - datetime.timedelta(days=int(value))
        return queryset.filter(created_at__gte=_start_of_day(since))

    def filter_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of_day(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of_day(value + datetime.timedelta(days=1)))

    def sort(self, queryset, name, value):
        if value == "unterstuetzt":
            return queryset.order_by("-supporters_count", "-created_at", "-id")
        if value == "aelteste":
            return queryset.order_by("created_at", "id")
        return queryset.order_by("-created_at", "-id")

    @property
    def active(self) -> bool:
        """True when the visitor narrowed the list beyond the default (open reports)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        if data.get("status") not in (None, "", DEFAULT_STATUS):
            return True
        return any(data.get(name) for name in FILTER_PARAMETERS if name != "status")

    def searches(self) -> bool:
        """True when a text search narrows the list (words with letters or digits in `q`)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return bool(query_stems(data.get("q") or ""))

    def filter_for_map(self):
        """The filtered queryset without ordering (grouping and counting need no order)."""
        queryset = self.queryset.all()
        self.form.is_valid()  # invalid fields are left out of cleaned_data, as in `qs`
        for name, value in self.form.cleaned_data.items():
            if name == "sortierung":
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def clean_query(self) -> dict[str, str]:
        """The narrowing parameters as given (valid ones only), for links to the feed and the map data."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        query = {}
        for name in FILTER_PARAMETERS:
            value = data.get(name)
            if value in (None, ""):
                continue
            if isinstance(value, Category):
                value = value.code
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            query[name] = str(value)
        return query
