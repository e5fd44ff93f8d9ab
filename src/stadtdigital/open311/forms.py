from django import forms
from django.utils.translation import gettext_lazy as _

from stadtdigital.open311.models import ApiClient


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name der Client-Anwendung"),
        max_length=100,
        help_text=_(
            "z. B. „Stadt-App (Android)“ oder „Leitstellensoftware“; nur für die Verwaltung sichtbar."
        ),
    )

    relays_for_many = forms.BooleanField(
        label=ApiClient._meta.get_field("relays_for_many").verbose_name,
        help_text=ApiClient._meta.get_field("relays_for_many").help_text,
        required=False,
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Bitte einen Namen angeben."))
        if "\x00" in name:
            raise forms.ValidationError(_("Der Name enthält ein unzulässiges Zeichen (Nullbyte)."))
        return name
