from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A Fachbereich or Amt of the city administration; owns projects and (later) reports."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kürzel"), max_length=30, blank=True)
    slug = models.SlugField(_("Kurzname in Adressen"), max_length=80, unique=True)
    email = models.EmailField(_("Funktionspostfach"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="departments", verbose_name=_("Mitarbeitende")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Fachbereich")
        verbose_name_plural = _("Fachbereiche")

    def __str__(self):
        return self.name


class SyntheticDataMarker(models.Model):
    """Present while the database holds generated demo data, so every page can say so."""

    dataset = models.CharField(max_length=50, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.dataset


class RateCounter(models.Model):
    """Requests counted per key and time window, in the database so every app server sees the same count."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="unique_rate_window")]
        indexes = [models.Index(fields=["window_start"], name="rate_window_idx")]


class DailyJobRun(models.Model):
    """Which daily job ran on which day, so several workers enqueue each daily job once."""

    name = models.CharField(max_length=200)
    day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="unique_daily_job_run")]


class AccessibilityFeedback(models.Model):
    """A message through the accessibility statement's feedback form (BITV 2.0 § 7): a barrier someone met
    or a request for content in an accessible form. Name and email are optional and never public."""

    created_at = models.DateTimeField(_("Eingegangen"), auto_now_add=True)
    page_url = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    message = models.TextField(_("Nachricht"), max_length=5000)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    answer = models.TextField(_("Antwort"), blank=True)
    answered_at = models.DateTimeField(_("Beantwortet am"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.message[:40]}"


class WorkerHeartbeat(models.Model):
    """A running `stadtdigital worker` says it is alive; tasks of a silent worker are taken up again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.worker_id
