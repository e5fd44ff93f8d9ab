"""Area alert pages: subscribe (/anliegen/benachrichtigung/), confirm and unsubscribe by the emailed token."""

import contextlib

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from stadtdigital.reports.maps import map_config
from stadtdigital.reports.models import Category
from stadtdigital.reports.services import alerts as service

RADIUS_LABELS = {
    200: _("200 m"),
    500: _("500 m"),
    1000: _("1 km"),
    2000: _("2 km"),
    5000: _("5 km"),
}


def _geocode(text: str):
    try:
        from stadtdigital.reports.geocoding import get_geocoder

        return get_geocoder().locate(text)
    except ImportError:  # pragma: no cover - the geocoder ships with intake
        return None


class AreaAlertForm(forms.Form):
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Ort (Straße, Hausnummer oder bekannter Platz)"),
        required=False,
        max_length=200,
        help_text=_("Oder klicken Sie auf die Karte, oder geben Sie unten Koordinaten an."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("z. B. Marktplatz")}),
    )
    lat = forms.FloatField(label=_("Breitengrad"), required=False)
    lon = forms.FloatField(label=_("Längengrad"), required=False)
    radius_m = forms.TypedChoiceField(
        label=_("Umkreis"),
        coerce=int,
        choices=[(value, RADIUS_LABELS[value]) for value in service.RADIUS_CHOICES_M],
        initial=500,
    )
    category = forms.ModelChoiceField(
        label=_("Nur diese Kategorie"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("alle Kategorien"),
    )
    consent = forms.BooleanField(
        label=_(
            "Ich bin einverstanden, dass meine E-Mail-Adresse für diese Benachrichtigung gespeichert wird. "
            "Ich kann sie mit dem Link in jeder E-Mail jederzeit abbestellen."
        ),
    )
    website = forms.CharField(required=False, label=_("Bitte leer lassen"))  # honeypot

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("Die Anfrage konnte nicht verarbeitet werden."))
        lat, lon, address = data.get("lat"), data.get("lon"), (data.get("address") or "").strip()
        if (lat is None) != (lon is None):
            self.add_error("lat" if lat is None else "lon", _("Bitte geben Sie Breiten- und Längengrad an."))
            return data
        if lat is None and address:
            place = _geocode(address)
            if place is None:
                self.add_error(
                    "address", _("Diesen Ort kennen wir nicht. Bitte genauer angeben oder die Karte nutzen.")
                )
                return data
            lat, lon = place.lat, place.lon
            data["address"] = place.name
        if lat is None:
            self.add_error("address", _("Bitte geben Sie einen Ort an oder wählen Sie ihn auf der Karte."))
            return data
        if not service.in_city(lat, lon):
            self.add_error("lat", _("Der Ort liegt außerhalb des Stadtgebiets."))
            return data
        data["lat"], data["lon"] = lat, lon
        return data


@require_http_methods(["GET", "HEAD", "POST"])
def alert_subscribe(request):

    if request.method == "POST":
        form = AreaAlertForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.subscribe_area_alert(
                    data["email"],
                    data["lat"],
                    data["lon"],
                    data["radius_m"],
                    data["category"],
                    language=getattr(request, "LANGUAGE_CODE", "de"),
                )
            except service.AlertError as error:
                form.add_error(None, str(error))
            else:
                return render(request, "reports/alert_sent.html", {"email": data["email"]})
    else:
        initial = {}
        for name in ("lat", "lon"):
            with contextlib.suppress(ValueError):
                initial[name] = round(float(request.GET.get(name, "")), 6)
        form = AreaAlertForm(initial=initial)
    return render(request, "reports/alert_form.html", {"form": form, "map": map_config()})


@require_http_methods(["GET", "HEAD"])
def alert_confirm(request, token):
    alert = service.confirm_area_alert(token)
    return render(request, "reports/alert_confirmed.html", {"alert": alert}, status=200 if alert else 404)


@require_http_methods(["GET", "HEAD", "POST"])
def alert_unsubscribe(request, token):
    # A GET only asks (mail scanners open links); the POST unsubscribes.
    if request.method == "POST":
        done = service.unsubscribe_area_alert(token)
        return render(request, "reports/alert_unsubscribed.html", {"done": done})
    exists = service.AreaAlert.objects.filter(token=token).exists()
    status = 200 if exists else 404
    return render(request, "reports/alert_unsubscribe.html", {"exists": exists}, status=status)
