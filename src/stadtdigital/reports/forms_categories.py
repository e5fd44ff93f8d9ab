"""Forms of the category catalogue in the back office (groups, categories, extra questions).

They validate input only; the writes are in services/categories.py. Choices of a list question are typed one
per line, as "schluessel = Name" or just "Name" (the key is then made from the name, "Glätte" -> "glaette").
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stadtdigital.core.models import Department
from stadtdigital.core.text import german_slugify
from stadtdigital.reports.models import Category, CategoryGroup, CategoryQuestion, QuestionType
from stadtdigital.reports.services import categories as services

CHOICE_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})
# Path segments of the category pages: a category with one of these codes would shadow a page.
RESERVED_CODES = frozenset({"neu", "gruppen"})

# The fields of a category that the back office edits (the code only when the category is created).
CATEGORY_FIELDS = (
    "name",
    "group",
    "department",
    "description",
    "keywords",
    "duplicate_radius_m",
    "target_days",
    "needs_triage",
    "notice",
    "emergency_notice",
    "position",
    "is_active",
)


class CategoryGroupForm(forms.ModelForm):
    class Meta:
        model = CategoryGroup
        fields = ["name", "position"]
        help_texts = {"position": _("Kleinere Zahlen stehen im Bürgerformular weiter oben.")}


class CategoryForm(forms.ModelForm):
    duplicate_radius_m = forms.IntegerField(
        label=_("Umkreis für Duplikate (m)"),
        min_value=1,
        max_value=2000,
        initial=50,
        help_text=_(
            "Offene Anliegen dieser Kategorie in diesem Umkreis werden vor dem Absenden als "
            "„Schon gemeldet?“ gezeigt. Üblich: 50 m."
        ),
    )
    target_days = forms.IntegerField(
        label=_("Zieltage bis zur Erledigung"),
        min_value=1,
        max_value=365,
        initial=10,
        help_text=_("Gilt für neue Anliegen; bereits eingegangene behalten ihr Zieldatum."),
    )

    class Meta:
        model = Category
        fields = ["name", "code", *CATEGORY_FIELDS[1:]]  # the name first: clean_code derives from it
        help_texts = {
            "code": _(
                "Kennung in der Open311-Schnittstelle und in Adressen: Kleinbuchstaben, Ziffern, "
                "Bindestriche. Leer lassen für einen Vorschlag aus dem Namen. Lässt sich nach dem Anlegen "
                "nicht mehr ändern."
            ),
            "department": _(
                "Neue Anliegen dieser Kategorie gehen an diesen Fachbereich. Eine Änderung gilt nur für neue "
                "Anliegen: bereits eingegangene bleiben beim bisherigen Fachbereich und werden bei Bedarf "
                "einzeln in der Bearbeitung weitergeleitet."
            ),
            "keywords": _("Weitere Wörter, unter denen Bürgerinnen und Bürger die Kategorie finden."),
            "description": _("Erscheint im Bürgerformular unter dem Namen."),
            "notice": _("Ein Hinweis, der im Bürgerformular bei dieser Kategorie erscheint."),
            "position": _("Kleinere Zahlen stehen innerhalb der Gruppe weiter oben."),
            "is_active": _(
                "Inaktive Kategorien erscheinen nicht mehr im Bürgerformular; ihre Anliegen bleiben erhalten."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "notice": forms.Textarea(attrs={"rows": 2}),
            "emergency_notice": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = CategoryGroup.objects.all()
        self.fields["department"].queryset = Department.objects.all()
        self.fields["group"].empty_label = _("– bitte wählen –")
        self.fields["department"].empty_label = _("– bitte wählen –")
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _(
                "Kennung in der Open311-Schnittstelle und in Adressen; nicht mehr änderbar."
            )
        else:
            self.fields["code"].required = False

    def clean_code(self):
        if self.instance.pk:
            return self.instance.code
        code = self.cleaned_data.get("code") or german_slugify(self.cleaned_data.get("name", ""))[:60]
        if not code:
            raise ValidationError(_("Bitte einen Code angeben."))
        if code in RESERVED_CODES:
            raise ValidationError(_("Dieser Code ist reserviert; bitte einen anderen wählen."))
        if Category.objects.filter(code=code).exists():
            raise ValidationError(_("Dieser Code ist schon vergeben."))
        return code

    def category_fields(self) -> dict:
        """The cleaned values to store (services.save_category)."""
        names = CATEGORY_FIELDS if self.instance.pk else ("code", *CATEGORY_FIELDS)
        return {name: self.cleaned_data[name] for name in names}


def parse_choices(text: str) -> list[dict]:
    """'key = Name' or 'Name' per line -> [{"key", "name"}]; raises ValidationError listing every problem."""
    choices, problems, seen = [], [], {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if "=" in line:
            key, name = (part.strip() for part in line.split("=", 1))
            if not key or not name:
                problems.append(
                    _("Zeile %(line)s: bitte „Schlüssel = Name“ oder nur den Namen angeben.")
                    % {"line": number}
                )
                continue
            try:
                validate_slug(key)
            except ValidationError:
                problems.append(
                    _(
                        "Zeile %(line)s: der Schlüssel „%(key)s“ darf nur Buchstaben, Ziffern, Bindestriche "
                        "und Unterstriche enthalten."
                    )
                    % {"line": number, "key": key}
                )
                continue
        else:
            name, key = line, german_slugify(line)[:60]
            if not key:
                problems.append(
                    _(
                        "Zeile %(line)s: aus „%(name)s“ lässt sich kein Schlüssel bilden; "
                        "bitte „Schlüssel = Name“ angeben."
                    )
                    % {"line": number, "name": name}
                )
                continue
        if len(key) > 60 or len(name) > 200:
            problems.append(
                _("Zeile %(line)s ist zu lang (Schlüssel bis 60, Name bis 200 Zeichen).") % {"line": number}
            )
            continue
        if key in seen:
            problems.append(
                _("Der Schlüssel „%(key)s“ kommt mehrfach vor (Zeilen %(first)s und %(line)s).")
                % {"key": key, "first": seen[key], "line": number}
            )
            continue
        seen[key] = number
        choices.append({"key": key, "name": name})
    if problems:
        raise ValidationError(problems)
    return choices


def format_choices(choices) -> str:
    return "\n".join(
        f"{choice.get('key')} = {choice.get('name') or choice.get('key')}" for choice in choices or ()
    )


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Auswahlmöglichkeiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Nur bei „Auswahl (eine)“ und „Auswahl (mehrere)“: eine Möglichkeit je Zeile, "
            "als „schluessel = Name“ oder nur „Name“."
        ),
    )

    class Meta:
        model = CategoryQuestion
        fields = ["label", "code", "datatype", "required", "is_public", "help_text", "position"]
        help_texts = {
            "code": _("Leer lassen: wird aus der Frage gebildet."),
            "position": _("Kleinere Zahlen zuerst; leer: ans Ende."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["position"].required = False  # empty: after the other questions (formset clean)
        self.fields["datatype"].choices = [("", _("– bitte wählen –")), *QuestionType.choices]
        if self.instance.pk:
            self.initial.setdefault("choices_text", format_choices(self.instance.choices))
        else:
            self.initial.pop("position", None)  # a new question goes last unless a position is typed
        self.answer_count = 0

    def clean_code(self):
        code = self.cleaned_data.get("code") or german_slugify(self.cleaned_data.get("label", ""))[:60]
        if not code:
            raise ValidationError(_("Bitte einen Code angeben."))
        return code

    def clean(self):
        data = super().clean()
        datatype = data.get("datatype")
        text = data.get("choices_text", "")
        data["choices"] = []
        if datatype in CHOICE_TYPES:
            try:
                data["choices"] = parse_choices(text)
            except ValidationError as exc:
                self.add_error("choices_text", exc)
            else:
                if not data["choices"]:
                    self.add_error(
                        "choices_text", _("Bitte mindestens eine Auswahlmöglichkeit angeben, eine je Zeile.")
                    )
        elif datatype and text.strip():
            self.add_error(
                "choices_text",
                _(
                    "Auswahlmöglichkeiten gibt es nur bei „Auswahl (eine)“ und „Auswahl (mehrere)“. "
                    "Bitte leeren Sie das Feld oder wählen Sie eine dieser Arten."
                ),
            )
        if self.instance.pk and datatype:
            self._check_answered(datatype, data["choices"])
        return data

    def _check_answered(self, datatype, choices):
        """Stored answers must stay readable: no change of type, no removal of a chosen key."""
        if not self.answer_count:
            return
        if datatype != self.instance.datatype:
            self.add_error(
                "datatype",
                _(
                    "Auf diese Frage gibt es schon Antworten; die Art lässt sich nicht mehr ändern. "
                    "Legen Sie stattdessen eine neue Frage an."
                ),
            )
        elif datatype in CHOICE_TYPES and not self.has_error("choices_text"):
            removed = services.used_choice_keys(self.instance) - {choice["key"] for choice in choices}
            if removed:
                self.add_error(
                    "choices_text",
                    ngettext(
                        "„%(keys)s“ wurde schon gewählt und lässt sich nicht entfernen; den Namen dürfen "
                        "Sie ändern.",
                        "„%(keys)s“ wurden schon gewählt und lassen sich nicht entfernen; die Namen dürfen "
                        "Sie ändern.",
                        len(removed),
                    )
                    % {"keys": "“, „".join(sorted(removed))},
                )

    def _post_clean(self):
        super()._post_clean()
        if "choices" in self.cleaned_data:
            self.instance.choices = self.cleaned_data["choices"]


class BaseQuestionFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counts = services.answer_counts([form.instance.pk for form in self.forms])
        for form in self.forms:
            form.answer_count = counts.get(form.instance.pk, 0)

    def clean(self):
        kept = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data") and form.has_changed() and not self._should_delete_form(form)
        ]
        last = max((form.cleaned_data.get("position") or 0 for form in kept), default=0)
        for form in kept:
            if form.cleaned_data.get("position") is None:
                last += 1
                form.cleaned_data["position"] = form.instance.position = last
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            code = form.cleaned_data.get("code")
            if not code:
                continue
            if code in seen:
                form.add_error(
                    "code",
                    _("Der Code „%(code)s“ hat schon eine andere Frage dieser Kategorie.") % {"code": code},
                )
            seen[code] = form
        blocked = [
            form.instance for form in self.forms if form.instance.pk and self._should_delete_form(form)
        ]
        counts = services.answer_counts([question.pk for question in blocked])
        problems = [
            ValidationError(
                ngettext(
                    "Die Frage „%(label)s“ wurde schon einmal beantwortet und lässt sich nicht "
                    "entfernen; die Antwort bleibt gespeichert. Sie können die Frage umformulieren "
                    "oder freiwillig machen.",
                    "Die Frage „%(label)s“ wurde schon %(count)s-mal beantwortet und lässt sich nicht "
                    "entfernen; die Antworten bleiben gespeichert. Sie können die Frage umformulieren "
                    "oder freiwillig machen.",
                    counts[question.pk],
                )
                % {"label": question.label, "count": counts[question.pk]}
            )
            for question in blocked
            if counts.get(question.pk)
        ]
        if problems:
            raise ValidationError(problems)
        super().clean()


QuestionFormSet = forms.inlineformset_factory(
    Category, CategoryQuestion, form=QuestionForm, formset=BaseQuestionFormSet, extra=2, can_delete=True
)


def question_formset(data=None, *, instance) -> BaseQuestionFormSet:
    return QuestionFormSet(data, instance=instance, prefix="fragen")
