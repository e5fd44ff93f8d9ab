from django import forms
from django.utils.translation import gettext_lazy as _

from stadtdigital.core.models import AccessibilityFeedback


class AccessibilityFeedbackForm(forms.ModelForm):
    # Spam trap: hidden from people (and from screen readers); bots fill every field.
    website = forms.CharField(required=False, label=_("Bitte leer lassen"))

    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page_url", "name", "email"]
        labels = {
            "message": _("Ihre Nachricht"),
            "page_url": _("Seite oder Inhalt, um den es geht (freiwillig)"),
            "name": _("Ihr Name (freiwillig)"),
            "email": _("Ihre E-Mail-Adresse für die Antwort (freiwillig)"),
        }
        help_texts = {
            "message": _(
                "Welche Barriere haben Sie gefunden, oder welchen Inhalt brauchen Sie in einer "
                "barrierefreien "
                "Form? Bitte keine Daten anderer Personen."
            ),
            "email": _("Ohne E-Mail-Adresse können wir Ihnen nicht antworten. Sie wird nie veröffentlicht."),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(_("Bitte beschreiben Sie die Barriere in mindestens 10 Zeichen."))
        return message


class AccessibilityAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Antwort"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Wird an die angegebene E-Mail-Adresse gesendet."),
    )


def error_summary(form, formsets=(), *, subform_label=None) -> list[tuple[str, str, str]]:
    """(anchor id, label, message) for core/_error_summary.html at the top of a bound form and its formsets.

    A field of a formset's n-th form is labelled `subform_label(formset, n, field)` ("n: label" without it),
    so the summary says which of the repeated forms is wrong.
    """
    if not form.is_bound:
        return []
    errors = [("", "", message) for message in form.non_field_errors()]
    errors += [(_anchor(field), field.label, message) for field in form for message in field.errors]
    for formset in formsets:
        errors += [("", "", message) for message in formset.non_form_errors()]
        for index, subform in enumerate(formset.forms, start=1):
            errors += [("", "", message) for message in subform.non_field_errors()]
            for field in subform:
                label = subform_label(formset, index, field) if subform_label else f"{index}: {field.label}"
                errors += [(_anchor(field), label, message) for message in field.errors]
    return errors


def _anchor(field) -> str:
    return field.id_for_label or field.auto_id
