"""Back office forms. German labels and input: money as "13.500,00", dates as 30.06.2021 or ISO."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadtdigital.core.numbers import format_decimal_de
from stadtdigital.core.text import german_slugify
from stadtdigital.portfolio import permissions
from stadtdigital.portfolio.models import (
    KPI,
    FieldOfAction,
    Milestone,
    Partner,
    PartnerKind,
    Project,
    ProjectLink,
    Status,
    Tag,
)
from stadtdigital.portfolio.services import EDITABLE_FIELDS

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
_THOUSANDS_ONLY = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_german_decimal(text: str) -> Decimal:
    """'13.500,00 €' -> Decimal('13500.00'). Accepts '13500,5', '13.500' (thousands) and '13500.50'.

    Raises ValueError for anything that is not a plain amount (e.g. '13,5 Mio').
    """
    value = str(text).strip().replace("\u00a0", "").replace(" ", "").replace("€", "").replace("EUR", "")
    if not value:
        raise ValueError("empty")
    if "," in value:
        value = value.replace(".", "").replace(",", ".", 1)
    elif _THOUSANDS_ONLY.match(value):
        value = value.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", value):
        raise ValueError(text)
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(text) from exc


class GermanDecimalField(forms.DecimalField):
    """A Decimal typed the German way; shown the German way ("13.500,00") when the form is redisplayed."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        self.widget.attrs.pop("step", None)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_german_decimal(value)
        except ValueError:
            raise ValidationError(
                _("„%(value)s“ ist kein Betrag. Bitte z. B. 13.500,00 eingeben."),
                code="invalid",
                params={"value": value},
            ) from None

    def widget_attrs(self, widget):
        return {}

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_decimal_de(value, self.decimal_places or 0)
        return value


class MoneyField(GermanDecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(*args, **kwargs)


class DateField(forms.DateField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(*args, **kwargs)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of objects by id; an id too large for the database is refused like an unknown one (the
    parent's `id__in` lookup would otherwise crash on it)."""

    MAX_ID = 2**63 - 1

    def _check_values(self, value):
        for pk in value:
            try:
                too_large = abs(int(str(pk).strip())) > self.MAX_ID
            except ValueError:
                continue  # not a number: the parent class names it
            if too_large:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class ProjectForm(forms.ModelForm):
    """A project with its partners and tags; the history entry's date and note for versioned changes."""

    planned_budget = MoneyField(label=_("Geplantes Budget (EUR)"), help_text=_("z. B. 13.500,00"))
    cost_to_date = MoneyField(label=_("Bisherige Kosten (EUR)"))
    funding_amount = MoneyField(label=_("Fördermittel (EUR)"))
    planned_start = DateField(label=_("Geplanter Beginn"), required=False)
    planned_end = DateField(label=_("Geplantes Ende"), required=False)
    actual_start = DateField(label=_("Tatsächlicher Beginn"), required=False)
    actual_end = DateField(label=_("Tatsächliches Ende"), required=False)
    partners = IdsChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_partner_name = forms.CharField(
        label=_("Neuer Partner"),
        required=False,
        max_length=200,
        help_text=_("Nur ausfüllen, wenn der Partner oben noch nicht in der Liste steht."),
    )
    new_partner_kind = forms.ChoiceField(
        label=_("Art des neuen Partners"),
        choices=PartnerKind.choices,
        initial=PartnerKind.OTHER,
        required=False,
    )
    tag_names = forms.CharField(
        label=_("Schlagwörter"),
        required=False,
        help_text=_("Durch Komma getrennt, z. B. Schule, WLAN, Förderprogramm"),
    )
    effective_date = DateField(
        label=_("Wirksam ab"),
        help_text=_(
            "Ab wann gelten Status, Geld, Handlungsfeld und Fachbereich in dieser Fassung? "
            "Bestimmt, in welchem Bericht die Änderung zählt."
        ),
    )
    change_note = forms.CharField(
        label=_("Anmerkung zur Änderung"),
        required=False,
        max_length=500,
        help_text=_("Öffentlich sichtbar im Statusverlauf, z. B. „Förderbescheid eingegangen“."),
    )

    class Meta:
        model = Project
        fields = [*EDITABLE_FIELDS, "partners"]
        labels = {
            "title": _("Titel"),
            "summary": _("Kurzbeschreibung"),
            "description": _("Beschreibung"),
            "field_of_action": _("Handlungsfeld"),
            "department": _("Zuständiger Fachbereich"),
            "status": _("Status"),
            "priority": _("Priorität"),
            "contact_person": _("Ansprechperson (intern)"),
            "internal_notes": _("Interne Notizen"),
            "funding_source": _("Fördermittelgeber"),
        }
        help_texts = {
            "summary": _("Ein bis zwei Sätze für die Projektliste."),
            "contact_person": _("Wird nie veröffentlicht."),
            "internal_notes": _("Wird nie veröffentlicht."),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Only departments the user may put projects into are offered (and accepted).
        self.fields["department"].queryset = permissions.departments_for_editing(user)
        self.fields["field_of_action"].empty_label = _("– bitte wählen –")
        self.fields["department"].empty_label = _("– bitte wählen –")
        self.fields["effective_date"].initial = timezone.localdate()
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_department(self):
        department = self.cleaned_data["department"]
        unchanged = self.instance.pk and department.pk == self.instance.department_id
        if not unchanged and not permissions.can_create_project_for(self.user, department):
            raise ValidationError(
                _("Sie dürfen keine Projekte für diesen Fachbereich anlegen oder dorthin verschieben.")
            )
        return department

    def clean_tag_names(self):
        names = [name.strip() for name in self.cleaned_data["tag_names"].split(",")]
        seen, result = set(), []
        for name in names:
            if name and name.casefold() not in seen:
                if len(name) > Tag._meta.get_field("name").max_length:
                    raise ValidationError(_("Schlagwort „%(name)s“ ist zu lang."), params={"name": name[:30]})
                seen.add(name.casefold())
                result.append(name)
        return result

    def clean(self):
        data = super().clean()
        for start, end, message in (
            ("planned_start", "planned_end", _("Das geplante Ende liegt vor dem geplanten Beginn.")),
            ("actual_start", "actual_end", _("Das tatsächliche Ende liegt vor dem tatsächlichen Beginn.")),
        ):
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, message)
        if data.get("new_partner_kind") and not data.get("new_partner_name"):
            data["new_partner_kind"] = ""
        return data


class MilestoneForm(forms.ModelForm):
    due = DateField(label=_("Fällig am"), required=False)
    done_on = DateField(label=_("Erreicht am"), required=False, help_text=_("Leer lassen, solange offen."))

    class Meta:
        model = Milestone
        fields = ["title", "due", "done_on"]
        labels = {"title": _("Meilenstein")}


class KPIForm(forms.ModelForm):
    target = GermanDecimalField(label=_("Zielwert"), max_digits=16, decimal_places=2, required=False)
    current = GermanDecimalField(label=_("Aktueller Wert"), max_digits=16, decimal_places=2, required=False)
    as_of = DateField(label=_("Stand vom"), required=False)

    class Meta:
        model = KPI
        fields = ["name", "unit", "target", "current", "as_of"]
        labels = {"name": _("Kennzahl"), "unit": _("Einheit")}


class LinkForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Adresse (https://…)"),
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )

    class Meta:
        model = ProjectLink
        fields = ["title", "url"]
        labels = {"title": _("Linktext")}


def _inline(model, form):
    return forms.inlineformset_factory(Project, model, form=form, extra=1, can_delete=True)


MilestoneFormSet = _inline(Milestone, MilestoneForm)
KPIFormSet = _inline(KPI, KPIForm)
LinkFormSet = _inline(ProjectLink, LinkForm)

FORMSETS = (("milestones", MilestoneFormSet), ("kpis", KPIFormSet), ("links", LinkFormSet))


def project_formsets(data=None, *, instance):
    """The inline formsets of the project form, keyed by prefix."""
    return {prefix: cls(data, instance=instance, prefix=prefix) for prefix, cls in FORMSETS}


class FieldOfActionForm(forms.ModelForm):
    class Meta:
        model = FieldOfAction
        fields = ["name", "slug", "description", "position"]
        labels = {
            "name": _("Name"),
            "slug": _("Kurzname in Adressen"),
            "description": _("Beschreibung"),
            "position": _("Reihenfolge"),
        }
        help_texts = {
            "slug": _(
                "Nur Kleinbuchstaben, Ziffern, Bindestriche; leer lassen für einen Vorschlag aus dem Namen."
            ),
            "position": _("Kleinere Zahlen stehen weiter oben."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or german_slugify(self.cleaned_data.get("name", ""))[:80]
        if not slug:
            raise ValidationError(_("Bitte einen Kurznamen angeben."))
        if FieldOfAction.objects.exclude(pk=self.instance.pk).filter(slug=slug).exists():
            raise ValidationError(_("Dieser Kurzname ist schon vergeben."))
        return slug


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("Neuer Status"), choices=Status.choices)
    effective_date = DateField(
        label=_("Wirksam ab"), help_text=_("Der Tag, an dem der neue Status galt; darf zurückliegen.")
    )
    note = forms.CharField(
        label=_("Anmerkung"),
        required=False,
        max_length=500,
        help_text=_("Öffentlich sichtbar im Statusverlauf."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = timezone.localdate()
