"""The portfolio of digital projects and the published annual reports built from it.

Figures "as of a date" come from ProjectVersion rows (the history), never from the project's current
fields: a project's current status, budget and cost are the latest version's values, copied onto the
project for fast lists and filters.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stadtdigital.core.models import Department

MONEY = {"max_digits": 14, "decimal_places": 2}


class Status(models.TextChoices):
    IDEA = "idea", _("Idee")
    PREPARATION = "preparation", _("in Vorbereitung")
    IMPLEMENTATION = "implementation", _("in Umsetzung")
    COMPLETED = "completed", _("abgeschlossen")
    PAUSED = "paused", _("pausiert")
    CANCELLED = "cancelled", _("eingestellt")


class Priority(models.TextChoices):
    HIGH = "high", _("hoch")
    MEDIUM = "medium", _("mittel")
    LOW = "low", _("niedrig")


class FieldOfAction(models.Model):
    """A Handlungsfeld of the digital programme; the list is kept by the Digitalisierungsbüro."""

    name = models.CharField(_("Name"), max_length=150, unique=True)
    slug = models.SlugField(_("Kurzname in Adressen"), max_length=80, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")

    def __str__(self):
        return self.name


class PartnerKind(models.TextChoices):
    SCHOOL = "school", _("Schule")
    UNIVERSITY = "university", _("Hochschule")
    STARTUP = "startup", _("Start-up")
    COMPANY = "company", _("Unternehmen")
    PUBLIC_BODY = "public_body", _("öffentliche Stelle")
    OTHER = "other", _("sonstige")


class Partner(models.Model):
    name = models.CharField(_("Name"), max_length=200, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.OTHER)

    class Meta:
        ordering = ["name"]
        verbose_name = pgettext_lazy("singular", "Partner")
        verbose_name_plural = pgettext_lazy("plural", "Partner")

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(_("Name"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")

    def __str__(self):
        return self.name


class Project(models.Model):
    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname in Adressen"), max_length=120, unique=True)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=500, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    field_of_action = models.ForeignKey(
        FieldOfAction, on_delete=models.PROTECT, related_name="projects", verbose_name=_("Handlungsfeld")
    )
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.IDEA)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="projects", verbose_name=_("Fachbereich")
    )
    # Internal: never on a public page, in the public export or in the report.
    contact_person = models.CharField(_("Ansprechperson (intern)"), max_length=200, blank=True)
    internal_notes = models.TextField(_("Interne Notizen"), blank=True)

    planned_start = models.DateField(_("geplanter Beginn"), null=True, blank=True)
    planned_end = models.DateField(_("geplantes Ende"), null=True, blank=True)
    actual_start = models.DateField(_("tatsächlicher Beginn"), null=True, blank=True)
    actual_end = models.DateField(_("tatsächliches Ende"), null=True, blank=True)

    planned_budget = models.DecimalField(_("geplantes Budget (EUR)"), null=True, blank=True, **MONEY)
    cost_to_date = models.DecimalField(_("bisherige Kosten (EUR)"), null=True, blank=True, **MONEY)
    funding_amount = models.DecimalField(_("Fördermittel (EUR)"), null=True, blank=True, **MONEY)
    funding_source = models.CharField(_("Fördermittelgeber"), max_length=200, blank=True)

    partners = models.ManyToManyField(Partner, blank=True, related_name="projects", verbose_name=_("Partner"))
    priority = models.CharField(
        _("Priorität"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="projects", verbose_name=_("Schlagwörter"))

    is_synthetic = models.BooleanField(_("synthetische Demodaten"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Digitalprojekt")
        verbose_name_plural = _("Digitalprojekte")
        indexes = [models.Index(fields=["status", "field_of_action"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("portfolio:project-detail", kwargs={"slug": self.slug})


# Fields whose value "as of a date" must be reproducible; each change of one records a ProjectVersion.
VERSIONED_FIELDS = (
    "status",
    "field_of_action_id",
    "department_id",
    "planned_budget",
    "cost_to_date",
    "funding_amount",
)


class ProjectVersion(models.Model):
    """One entry of a project's history: the reportable figures in force from `effective_date` on.

    A status change is a version whose status differs from the previous one. Reports "as of D" take,
    per project, the latest version with effective_date <= D (ties broken by id, i.e. recording order).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="versions")
    effective_date = models.DateField(_("gültig ab"))
    recorded_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices)
    field_of_action = models.ForeignKey(FieldOfAction, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    planned_budget = models.DecimalField(null=True, blank=True, **MONEY)
    cost_to_date = models.DecimalField(null=True, blank=True, **MONEY)
    funding_amount = models.DecimalField(null=True, blank=True, **MONEY)
    note = models.CharField(_("Anmerkung"), max_length=500, blank=True)

    class Meta:
        ordering = ["project", "effective_date", "id"]
        indexes = [models.Index(fields=["effective_date", "project"])]
        verbose_name = _("Projektstand")
        verbose_name_plural = _("Projektstände")

    def __str__(self):
        return f"{self.project} {self.effective_date} {self.status}"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Titel"), max_length=200)
    due = models.DateField(_("fällig"), null=True, blank=True)
    done_on = models.DateField(_("erreicht am"), null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")

    def __str__(self):
        return self.title

    @property
    def done(self) -> bool:
        return self.done_on is not None


class KPI(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("Kennzahl"), max_length=200)
    unit = models.CharField(_("Einheit"), max_length=50, blank=True)
    target = models.DecimalField(_("Zielwert"), max_digits=16, decimal_places=2, null=True, blank=True)
    current = models.DecimalField(_("aktueller Wert"), max_digits=16, decimal_places=2, null=True, blank=True)
    as_of = models.DateField(_("Stand"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("Kennzahl")
        verbose_name_plural = _("Kennzahlen")

    def __str__(self):
        return self.name


class ProjectLink(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("Titel"), max_length=200)
    url = models.URLField(_("Adresse"), max_length=500)

    class Meta:
        ordering = ["id"]
        verbose_name = _("Link")
        verbose_name_plural = _("Links")

    def __str__(self):
        return self.title


class PublishedReport(models.Model):
    """A frozen Digitalisierungsbericht: its files are stored as bytes and never regenerated."""

    year = models.PositiveIntegerField(_("Berichtsjahr"), unique=True)
    as_of = models.DateField(_("Stichtag"))
    title = models.CharField(_("Titel"), max_length=200)
    published_at = models.DateTimeField(_("veröffentlicht am"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    figures = models.JSONField(_("Kennzahlen"))
    report_json = models.BinaryField()
    report_html = models.BinaryField()
    report_pdf = models.BinaryField()
    annex_csv = models.BinaryField()
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-as_of"]
        verbose_name = _("veröffentlichter Bericht")
        verbose_name_plural = _("veröffentlichte Berichte")

    def __str__(self):
        return self.title
