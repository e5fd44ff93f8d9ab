"""Back office form for a send target (Digitalisierungsbüro). The credential field is write-only."""

from django import forms
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext_lazy as _

from stadtdigital.reports.models import Category, SendMethod, SendTarget


class SendTargetForm(forms.ModelForm):
    secret = forms.CharField(
        label=_("Zugangsschlüssel (api_key bzw. Signaturschlüssel)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Wird verschlüsselt gespeichert und nie wieder angezeigt. Leer lassen: unverändert."),
    )
    new_inbound_secret = forms.BooleanField(
        label=_("Neuen Schlüssel für Rückmeldungen erzeugen"),
        required=False,
        help_text=_("Die Stelle meldet damit Statusänderungen zurück; er wird einmal angezeigt."),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Kategorien, die hierhin gesendet werden"),
        queryset=Category.objects.select_related("group").order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ohne Auswahl: nur als Standard des Fachbereichs oder für Zuständigkeitsgebiete."),
    )
    service_codes_text = forms.CharField(
        label=_("Zuordnung Kategorie → service_code (Open311)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Eine Zeile je Kategorie: unser-code=ihr-code. Fehlende Codes werden unverändert gesendet."
        ),
    )

    class Meta:
        model = SendTarget
        fields = ["name", "method", "endpoint", "jurisdiction_id", "secret_env", "department", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["categories"].initial = [s.category_id for s in self.instance.category_settings.all()]
            self.fields["service_codes_text"].initial = "\n".join(
                f"{ours}={theirs}" for ours, theirs in (self.instance.service_codes or {}).items()
            )

    def clean_service_codes_text(self):
        mapping = {}
        for number, line in enumerate(self.cleaned_data["service_codes_text"].splitlines(), start=1):
            if not line.strip():
                continue
            ours, sep, theirs = line.partition("=")
            if not sep or not ours.strip() or not theirs.strip():
                raise forms.ValidationError(_("Zeile %(n)s: bitte als unser-code=ihr-code.") % {"n": number})
            mapping[ours.strip()] = theirs.strip()
        return mapping

    def clean(self):
        data = super().clean()
        method, endpoint = data.get("method"), (data.get("endpoint") or "").strip()
        if method == SendMethod.EMAIL:
            try:
                validate_email(endpoint)
            except forms.ValidationError:
                self.add_error("endpoint", _("Bitte eine E-Mail-Adresse angeben."))
        elif method in (SendMethod.OPEN311, SendMethod.WEBHOOK):
            try:
                URLValidator(schemes=["http", "https"])(endpoint)
            except forms.ValidationError:
                self.add_error("endpoint", _("Bitte eine http(s)-Adresse angeben."))
            has_secret = data.get("secret") or data.get("secret_env") or self.instance.secret_encrypted
            if method == SendMethod.WEBHOOK and not has_secret:
                self.add_error("secret", _("Ein Webhook braucht einen Signaturschlüssel."))
        return data

    def save(self, commit=True):
        self.instance.service_codes = self.cleaned_data["service_codes_text"]
        return super().save(commit=commit)
