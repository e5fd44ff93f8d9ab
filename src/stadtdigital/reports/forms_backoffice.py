"""Forms of the back office. They validate input only; the writes are in services/workflow.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stadtdigital.reports import permissions
from stadtdigital.reports.models import AnswerTemplate, Category, Report, State
from stadtdigital.reports.selectors import backoffice as selectors
from stadtdigital.reports.services import workflow


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.department.short_name or obj.department.name})"


class QueueFilterForm(forms.Form):
    ansicht = forms.ChoiceField(choices=selectors.TABS, required=False, widget=forms.HiddenInput)
    q = forms.CharField(
        label=_("Suche"),
        required=False,
        max_length=200,
        help_text=_("Nummer (#1234) oder Text aus Beschreibung und Ort"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("alle"))] + State.choices)
    kategorie = CategoryChoiceField(label=_("Kategorie"), required=False, queryset=Category.objects.none())
    fachbereich = forms.ModelChoiceField(label=_("Fachbereich"), required=False, queryset=None)
    zugewiesen = forms.ChoiceField(
        label=_("Zuweisung"),
        required=False,
        choices=[("", _("alle")), ("ich", _("mir zugewiesen")), ("niemand", _("niemandem zugewiesen"))],
    )
    sortierung = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[
            ("dringend", _("Neue und wieder geöffnete zuerst")),
            ("alt", _("älteste zuerst")),
            ("neu", _("neueste zuerst")),
            ("faellig", _("Zieldatum")),
            ("unterstuetzt", _("meiste Unterstützungen")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = permissions.visible_departments(user)
        self.fields["fachbereich"].queryset = departments
        self.fields["kategorie"].queryset = Category.objects.filter(
            department__in=departments
        ).select_related("department")
        self.fields["kategorie"].empty_label = _("alle")
        self.fields["fachbereich"].empty_label = _("alle")
        self.show_department = permissions.sees_all_reports(user) or departments.count() > 1
        if not self.show_department:
            del self.fields["fachbereich"]

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "tab": data.get("ansicht") or selectors.DEFAULT_TAB,
            "state": data.get("status") or "",
            "category": data.get("kategorie"),
            "department": data.get("fachbereich"),
            "assigned": data.get("zugewiesen") or "",
            "q": (data.get("q") or "").strip(),
            "sort": data.get("sortierung") or selectors.DEFAULT_SORT,
        }


class CaseForm(forms.Form):
    """A form of the case page: several sit on one page, so each gets its own id prefix (`state-text`,
    `note-text` ...). Field names stay as they are; only ids (and the labels' `for`) differ."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class TemplateCaseForm(CaseForm):
    """A case form that offers the answer templates fitting the report (state change, answer)."""

    template = forms.ModelChoiceField(
        label=_("Antwortvorlage"),
        required=False,
        queryset=AnswerTemplate.objects.none(),
        empty_label=_("keine"),
    )

    def __init__(self, *args, report: Report, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["template"].queryset = selectors.templates_for(report, user)


class StateChangeForm(TemplateCaseForm):
    id_prefix = "state"
    field_order = ["state", "template"]

    state = forms.ChoiceField(label=_("Neuer Status"))
    reason = forms.CharField(
        label=_("Begründung (öffentlich)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Pflicht bei „geschlossen ohne Behebung“ und „abgelehnt“."),
    )
    forwarded_to = forms.CharField(
        label=_("Weitergeleitet an"),
        required=False,
        max_length=200,
        help_text=_("Pflicht bei „nicht zuständig“: die zuständige Stelle, z. B. „Regierungspräsidium“."),
    )
    duplicate_of = forms.IntegerField(
        label=_("Duplikat von Nr."),
        required=False,
        min_value=1,
        help_text=_("Pflicht bei „Duplikat“: die Nummer des ursprünglichen Anliegens."),
    )
    public_text = forms.CharField(
        label=_("Nachricht an die meldende Person (öffentlich)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Erscheint auf der öffentlichen Seite und in der E-Mail. Keine persönlichen Daten."),
    )
    internal_note = forms.CharField(
        label=_("Interne Notiz"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nur für die Verwaltung sichtbar."),
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, report=report, **kwargs)
        self.fields["state"].choices = [
            (s, State(s).label) for s in workflow.allowed_transitions(report.state)
        ]
        self.fields["template"].label_from_instance = lambda t: (
            f"{t.get_state_display() or _('jeder Status')}: {t.title}"
        )

    def clean_duplicate_of(self):
        number = self.cleaned_data.get("duplicate_of")
        if number is None:
            return None
        original = Report.objects.filter(pk=number).first()
        if original is None:
            raise forms.ValidationError(_("Das Anliegen #%(id)s gibt es nicht."), params={"id": number})
        return original


class AnswerForm(TemplateCaseForm):
    id_prefix = "answer"

    text = forms.CharField(
        label=_("Antwort (öffentlich)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wird veröffentlicht und an die meldende Person und Abonnierende gemailt."),
    )


class NoteForm(CaseForm):
    id_prefix = "note"

    text = forms.CharField(
        label=_("Interne Notiz"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur für die Verwaltung sichtbar, nie öffentlich."),
    )


class AssignForm(CaseForm):
    id_prefix = "assign"

    assignee = forms.ModelChoiceField(
        label=_("Zuständige Person"), required=False, queryset=None, empty_label=_("niemand")
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = workflow.assignable_users(report)
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class CategoryForm(CaseForm):
    id_prefix = "category"

    category = CategoryChoiceField(
        label=_("Neue Kategorie (zuständiger Fachbereich)"),
        queryset=Category.objects.filter(is_active=True).select_related("department", "group"),
    )
    internal_note = forms.CharField(label=_("Interne Notiz"), required=False, max_length=1000)


class LocationForm(CaseForm):
    id_prefix = "location"

    lat = forms.FloatField(label=_("Breitengrad"), widget=forms.NumberInput(attrs={"step": "0.000001"}))
    lon = forms.FloatField(label=_("Längengrad"), widget=forms.NumberInput(attrs={"step": "0.000001"}))
    address = forms.CharField(label=_("Ort / Adresse"), required=False, max_length=300)


class DescriptionForm(CaseForm):
    id_prefix = "description"

    description = forms.CharField(
        label=_("Beschreibung (öffentlich)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(
        label=_("Grund der Änderung (intern)"),
        max_length=300,
        help_text=_(
            "z. B. „Telefonnummer entfernt“. Der ursprüngliche Text bleibt für die Verwaltung erhalten."
        ),
    )


class HideReportForm(CaseForm):
    id_prefix = "hide"

    reason = forms.CharField(label=_("Grund (intern)"), max_length=300, required=False)


class AnswerTemplateForm(forms.ModelForm):
    class Meta:
        model = AnswerTemplate
        fields = ["title", "state", "category", "text"]
        labels = {"category": _("Kategorie")}
        help_texts = {
            "state": _("Die Vorlage wird bei diesem Zielstatus angeboten; leer: bei jedem."),
            "category": _("Leer: für alle Kategorien (nur Digitalisierungsbüro und Leitstelle)."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.select_related("department")
        if not permissions.manages_all_templates(user):
            categories = categories.filter(department__staff=user)
            self.fields["category"].required = True
            self.fields["category"].help_text = _("Kategorien Ihres Fachbereichs.")
        self.fields["category"].queryset = categories
        self.fields["category"].empty_label = _("alle Kategorien")
        self.fields["state"].choices = [("", _("jeder Status"))] + State.choices


class DashboardForm(forms.Form):
    fachbereich = forms.ModelChoiceField(
        label=_("Fachbereich"), required=False, queryset=None, empty_label=None
    )

    def __init__(self, *args, departments, allow_all: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["fachbereich"]
        field.queryset = departments
        if allow_all:
            field.empty_label = _("alle Fachbereiche")
