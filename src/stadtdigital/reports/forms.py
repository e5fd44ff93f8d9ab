"""The citizen's report form. It only collects input; all checks happen in services.intake (one code path
for web, API and import), whose German messages are put next to the fields here."""

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from stadtdigital.reports.models import Category, CategoryQuestion, QuestionType
from stadtdigital.reports.services.intake import ReportInput

# intake's error keys -> form field names
ERROR_FIELDS = {
    "category": "kategorie",
    "location": "adresse",
    "description": "description",
    "photos": "photos",
    "name": "name",
    "email": "email",
    "phone": "phone",
    "privacy_consent": "privacy_consent",
    "__all__": None,
}


def category_choices() -> list:
    """[("", "Bitte wählen"), (group name, [(code, name), ...]), ...]: active categories by group."""
    groups: dict[str, list] = {}
    for category in Category.objects.filter(is_active=True).select_related("group"):
        groups.setdefault(category.group.name, []).append((category.code, category.name))
    return [("", _("– bitte wählen –")), *groups.items()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        return [file for file in (data if isinstance(data, list | tuple) else [data]) if file]


class PlaceFields(forms.Form):
    """Step 1 (GET): what and where. Also carried as hidden fields in step 2."""

    kategorie = forms.CharField(label=_("Was ist das Problem?"), required=False, widget=forms.Select)
    adresse = forms.CharField(
        label=_("Straße und Hausnummer oder markanter Ort"),
        required=False,
        max_length=300,
        help_text=_("z. B. „Hauptstraße 12“ oder „Marktplatz“. Vorschläge erscheinen beim Tippen."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "list": "street-suggestions", "spellcheck": "false"}
        ),
    )
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kategorie"].widget.choices = category_choices()

    def values(self) -> dict:
        data = self.data
        return {name: (data.get(name) or "").strip() for name in ("kategorie", "adresse", "lat", "lon")}


def attribute_field(question: CategoryQuestion) -> forms.Field:
    common = {"label": question.label, "help_text": question.help_text, "required": False}
    choices = [
        (str(choice.get("key")), choice.get("name") or choice.get("key")) for choice in question.choices
    ]
    datatype = question.datatype
    if datatype == QuestionType.TEXT:
        field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    elif datatype == QuestionType.NUMBER:
        field = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    elif datatype == QuestionType.DATETIME:
        field = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    elif datatype == QuestionType.SINGLE_CHOICE:
        field = forms.ChoiceField(widget=forms.RadioSelect, choices=choices, **common)
    elif datatype == QuestionType.MULTIPLE_CHOICE:
        field = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, choices=choices, **common)
    else:
        field = forms.CharField(**common)
    field.question_required = question.required
    if question.required and datatype not in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        field.widget.attrs["aria-required"] = "true"
    return field


class ReportForm(PlaceFields):
    """Step 2 (POST): details, photos, contact. No field is `required` here: intake decides and explains."""

    description = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        max_length=6000,
        help_text=_(
            "Was ist wo genau los? Bitte keine Namen, Kennzeichen oder Telefonnummern anderer Personen: "
            "die Beschreibung wird veröffentlicht."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = MultiplePhotoField(
        label=_("Fotos (bis zu 5, freiwillig)"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP oder GIF. Wir prüfen die Fotos und entfernen Standort- und Kameradaten, bevor "
            "sie gezeigt werden."
        ),
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=150)
    show_name = forms.BooleanField(label=_("Name öffentlich anzeigen"), required=False)
    email = forms.CharField(
        label=_("E-Mail"),
        required=False,
        max_length=254,
        help_text=_("Für die Bestätigung und Nachrichten zum Bearbeitungsstand. Wird nie veröffentlicht."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label=_("Telefon"),
        required=False,
        max_length=40,
        help_text=_("Nur für Rückfragen des Amts. Wird nie veröffentlicht."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    privacy_consent = forms.BooleanField(
        required=False, label=_("Ich bin mit der Verarbeitung einverstanden")
    )
    # Honeypot: invisible to people (and screen readers), tempting to bots.
    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, category: Category | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.questions = list(category.questions.all()) if category else []
        for question in self.questions:
            self.fields[f"attr_{question.code}"] = attribute_field(question)
        for hidden in ("kategorie", "adresse"):
            self.fields[hidden].widget = forms.HiddenInput()

    @property
    def attribute_fields(self):
        return [self[f"attr_{question.code}"] for question in self.questions]

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def to_input(self, files) -> ReportInput:
        data = self.data
        attributes = {}
        for question in self.questions:
            key = f"attr_{question.code}"
            if question.datatype == QuestionType.MULTIPLE_CHOICE:
                attributes[question.code] = data.getlist(key)
            else:
                attributes[question.code] = data.get(key, "")
        photos = [file for file in files.getlist("photos") if file and file.size is not None]
        return ReportInput(
            category=data.get("kategorie", ""),
            lat=data.get("lat") or None,
            lon=data.get("lon") or None,
            address=data.get("adresse", ""),
            description=data.get("description", ""),
            attributes=attributes,
            photos=photos,
            reporter_name=data.get("name", ""),
            reporter_email=data.get("email", ""),
            reporter_phone=data.get("phone", ""),
            show_name=bool(data.get("show_name")),
            privacy_consent=bool(data.get("privacy_consent")),
        )

    def apply_errors(self, errors: dict[str, list[str]]) -> None:
        """Shows intake's messages (and only those) next to the fields."""
        self.is_valid()
        self._errors = ErrorDict()
        for key, messages in errors.items():
            if key.startswith("attributes."):
                name = "attr_" + key.split(".", 1)[1]
                name = name if name in self.fields else None
            else:
                name = ERROR_FIELDS.get(key)
            for message in messages:
                self.add_error(name, message)
