"""Citizens' reports (Anliegen, Open311 service requests), their categories and their whole history.

Privacy: a report's public part (category, location, public description, state, public answers) is
separate from the reporter's personal data (name, email, phone), which lives in its own columns that no
public page, feed, API or open data file reads, and which `purge-personal-data` empties after a deadline.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stadtdigital.core.files import upload_storage
from stadtdigital.core.models import Department


class State(models.TextChoices):
    RECEIVED = "received", _("eingegangen")
    IN_REVIEW = "in_review", _("in Prüfung")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    FIXED = "fixed", _("erledigt")
    CLOSED_NOT_FIXED = "closed_not_fixed", _("geschlossen ohne Behebung")
    REJECTED = "rejected", _("abgelehnt")
    DUPLICATE = "duplicate", _("Duplikat")
    NOT_RESPONSIBLE = "not_responsible", _("nicht zuständig")
    REOPENED = "reopened", _("wieder geöffnet")


# "open" and "closed" in the Open311 sense are derived from the state, never stored on their own.
OPEN_STATES = frozenset({State.RECEIVED, State.IN_REVIEW, State.IN_PROGRESS, State.REOPENED})
CLOSED_STATES = frozenset(set(State) - OPEN_STATES)


class Visibility(models.TextChoices):
    PENDING_CONFIRMATION = "pending", _("wartet auf E-Mail-Bestätigung")
    PUBLIC = "public", _("öffentlich")
    HIDDEN = "hidden", _("verborgen (Moderation)")


class Source(models.TextChoices):
    WEB = "web", _("Webformular")
    API = "api", _("Open311-Schnittstelle")
    STAFF = "staff", _("Verwaltung")
    IMPORT = "import", _("Import")
    DEMO = "demo", _("synthetische Demodaten")


class CategoryGroup(models.Model):
    name = models.CharField(_("Name"), max_length=120, unique=True)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Kategoriegruppe")
        verbose_name_plural = _("Kategoriegruppen")

    def __str__(self):
        return self.name


class Category(models.Model):
    """What kind of problem (Open311: a service). Decides routing, duplicate radius and target days."""

    code = models.SlugField(_("Code (Open311 service_code)"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=120)
    group = models.ForeignKey(
        CategoryGroup, on_delete=models.PROTECT, related_name="categories", verbose_name=_("Gruppe")
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    keywords = models.CharField(_("Suchbegriffe"), max_length=300, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="categories",
        verbose_name=_("zuständiger Fachbereich"),
    )
    duplicate_radius_m = models.PositiveIntegerField(_("Umkreis für Duplikate (m)"), default=50)
    target_days = models.PositiveIntegerField(_("Zieltage bis zur Erledigung"), default=10)
    notice = models.TextField(_("Hinweis im Formular"), blank=True)
    emergency_notice = models.TextField(
        _("Notfallhinweis"), blank=True, help_text=_("z. B. „Bei Gefahr: Notruf 112“; wird hervorgehoben.")
    )
    needs_triage = models.BooleanField(
        _("Eingang prüfen"), default=False, help_text=_("Meldungen landen zuerst in der Eingangsprüfung.")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    # The latest change of the category or (services.categories.save_category saves it with them) its
    # questions: Open311 discovery's `changeset`.
    updated_at = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    class Meta:
        ordering = ["group__position", "position", "name"]
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")

    def __str__(self):
        return self.name


class QuestionType(models.TextChoices):
    # Open311 attribute datatypes, in the order of the specification.
    STRING = "string", _("Text (einzeilig)")
    NUMBER = "number", _("Zahl")
    DATETIME = "datetime", _("Datum")
    TEXT = "text", _("Text (mehrzeilig)")
    SINGLE_CHOICE = "singlevaluelist", _("Auswahl (eine)")
    MULTIPLE_CHOICE = "multivaluelist", _("Auswahl (mehrere)")


class CategoryQuestion(models.Model):
    """An extra question of a category (Open311: an attribute of the service definition)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("Code"), max_length=60)
    label = models.CharField(_("Frage"), max_length=200)
    help_text = models.CharField(_("Erläuterung"), max_length=300, blank=True)
    datatype = models.CharField(_("Art"), max_length=20, choices=QuestionType.choices)
    required = models.BooleanField(_("Pflichtangabe"), default=False)
    # For choice questions: [{"key": "...", "name": "..."}, ...] as in Open311's `values`.
    choices = models.JSONField(_("Auswahlmöglichkeiten"), default=list, blank=True)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    updated_at = models.DateTimeField(_("zuletzt geändert"), auto_now=True)
    # Answers are internal unless the city marks the question public (a free text may hold personal data).
    is_public = models.BooleanField(
        _("Antwort öffentlich"),
        default=False,
        help_text=_(
            "Die Antworten erscheinen auf der öffentlichen Seite, in Open311 und in den offenen Daten."
        ),
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="unique_question_code")]
        verbose_name = _("Zusatzfrage")
        verbose_name_plural = _("Zusatzfragen")

    def __str__(self):
        return self.label


class Report(models.Model):
    # --- public part ---------------------------------------------------------------------------
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("Kategorie")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="reports", verbose_name=_("Fachbereich")
    )
    state = models.CharField(_("Status"), max_length=20, choices=State.choices, default=State.RECEIVED)
    is_open = models.BooleanField(_("offen"), default=True, editable=False)  # derived from state, for indexes
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    lat = models.FloatField(_("Breitengrad"))
    lon = models.FloatField(_("Längengrad"))
    address = models.CharField(_("Ort / Adresse"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("eingegangen am"), db_index=True)
    updated_at = models.DateTimeField(_("zuletzt geändert"))
    closed_at = models.DateTimeField(_("geschlossen am"), null=True, blank=True)
    due_at = models.DateTimeField(_("Ziel: erledigt bis"), null=True, blank=True)
    supporters_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    forwarded_to = models.CharField(_("weitergeleitet an"), max_length=200, blank=True)
    needs_triage = models.BooleanField(_("in der Eingangsprüfung"), default=False)
    source = models.CharField(_("Quelle"), max_length=10, choices=Source.choices, default=Source.WEB)

    # --- internal ------------------------------------------------------------------------------
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("zugewiesen an"),
    )
    api_client = models.CharField(_("Open311-Client"), max_length=100, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)

    # --- personal data (never public; purged after the deadline) --------------------------------
    reporter_name = models.CharField(_("Name"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("E-Mail"), blank=True, db_index=True)
    reporter_phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    show_name = models.BooleanField(_("Name öffentlich zeigen"), default=False)
    privacy_consent_at = models.DateTimeField(null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)
    # Confirmation by email link; also the Open311 token of a report that waits for confirmation.
    confirmation_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("singular", "Anliegen")
        verbose_name_plural = pgettext_lazy("plural", "Anliegen")
        indexes = [
            # Duplicate look-up: same category, open, a latitude band around the point.
            models.Index(fields=["category", "is_open", "lat"], name="report_nearby_idx"),
            # Map and list: public open reports in a bounding box (covering lat/lon for clustering); with
            # created_at also covering Open311's "newest requests of a period in a small box" (decision 0011).
            models.Index(fields=["visibility", "is_open", "lat", "lon", "created_at"], name="report_map_idx"),
            # Back office queues per department.
            models.Index(fields=["department", "is_open", "created_at"], name="report_queue_idx"),
            # Open311 updated_after/updated_before and servicerequestupdates.
            models.Index(fields=["updated_at"], name="report_updated_idx"),
            # Open311 GET requests: public reports of a period, newest first (default: the last 90 days).
            models.Index(fields=["visibility", "created_at"], name="report_public_created_idx"),
            # Open311 `service_code` (with or without `status`), newest first: one category's public reports
            # in time order; `is_open` at the end is checked inside the index (decision 0025).
            models.Index(
                fields=["visibility", "category", "created_at", "is_open"], name="report_public_category_idx"
            ),
            # Open311 `status` alone and the public list's default (open reports), newest first.
            models.Index(fields=["visibility", "is_open", "created_at"], name="report_public_status_idx"),
            # Open data monthly statistics (decision 0028): a month's received public reports per category
            # and department, and its closings in closing order, both read from the index alone.
            models.Index(
                fields=["visibility", "created_at", "category", "department"], name="report_public_month_idx"
            ),
            models.Index(
                fields=[
                    *("visibility", "is_open", "closed_at"),
                    *("created_at", "category", "department", "state"),
                ],
                name="report_public_closed_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.category}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reports:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class AttributeValue(models.Model):
    """A reporter's answer to a category's extra question."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attribute_values")
    question = models.ForeignKey(CategoryQuestion, on_delete=models.PROTECT, related_name="+")
    value = models.JSONField()  # str, number, ISO date, or a list of choice keys

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "question"], name="unique_answer")]


class PhotoStatus(models.TextChoices):
    PENDING = "pending", _("wird verarbeitet")
    READY = "ready", _("bereit")
    FAILED = "failed", _("nicht verwendbar")


def _photo_path(instance, filename):
    # A random name: the uploader's file name may itself be personal data ("Max_Mustermann_Haus.jpg").
    extension = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}{extension}"


class Photo(models.Model):
    """A photo of a report. The upload is kept unprocessed (never served) until a background task has
    decoded, re-oriented, stripped all metadata from and resized it; then the upload is deleted."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    upload = models.FileField(upload_to=_photo_path, storage=upload_storage, blank=True)  # raw, never public
    image = models.FileField(upload_to=_photo_path, blank=True)  # <= 2048 px, no metadata
    thumbnail = models.FileField(upload_to=_photo_path, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=PhotoStatus.choices, default=PhotoStatus.PENDING)
    error = models.CharField(max_length=300, blank=True)
    hidden = models.BooleanField(_("verborgen"), default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")


class EventKind(models.TextChoices):
    CREATED = "created", _("eingegangen")
    CONFIRMED = "confirmed", _("bestätigt")
    STATE = "state", _("Statuswechsel")
    ANSWER = "answer", _("Antwort")
    NOTE = "note", _("interne Notiz")
    CATEGORY = "category", _("Kategorie geändert")
    LOCATION = "location", _("Ort korrigiert")
    ASSIGNMENT = "assignment", _("zugewiesen")
    MODERATION = "moderation", _("moderiert")
    FEEDBACK = "feedback", _("Rückmeldung der meldenden Person")
    SUPPORT = "support", _("Unterstützung")


# Events whose public text is the city's word on a report (Open311 status_notes and updates, the open data
# `antworten`): the one definition. Never the reporter's feedback, never internal notes or moderation.
CITY_TEXT_KINDS = (EventKind.STATE, EventKind.ANSWER)


class Event(models.Model):
    """One entry of a report's history: who, when, from which state to which, public text, internal note.

    `public_text` is shown on the report's page and in Open311 status_notes; `internal_note` and `data`
    (e.g. the original text of a moderated description) only to staff.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    is_public = models.BooleanField(default=False)
    public_text = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["is_public", "created_at"], name="event_public_idx"),
            # A report's public events by kind (Open311 status_notes and history of a page of reports):
            # leaves the many non-public and CREATED events out of the 1000 look-ups per page.
            models.Index(
                fields=["report", "kind", "created_at"],
                condition=models.Q(is_public=True),
                name="event_report_public_idx",
            ),
            # The city's public updates of a period (Open311 servicerequestupdates), without walking every
            # report's CREATED event.
            models.Index(
                fields=["kind", "created_at"],
                condition=models.Q(is_public=True),
                name="event_public_kind_idx",
            ),
        ]
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlaufseinträge")


class Subscription(models.Model):
    """Someone follows a report by email (the reporter, or a citizen who found it under "Schon gemeldet?")."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField(db_index=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "email"], name="unique_subscription")]


class AreaAlert(models.Model):
    """Email alerts about new public reports within a radius of a point."""

    email = models.EmailField(db_index=True)
    lat = models.FloatField()
    lon = models.FloatField()
    radius_m = models.PositiveIntegerField(default=500)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_notified_at = models.DateTimeField(null=True, blank=True)


class AnswerTemplate(models.Model):
    """A prepared public answer, offered for a target state and optionally a category."""

    title = models.CharField(_("Titel"), max_length=120)
    text = models.TextField(_("Text"))
    state = models.CharField(_("für Status"), max_length=20, choices=State.choices, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="answer_templates"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("Antwortvorlage")
        verbose_name_plural = _("Antwortvorlagen")

    def __str__(self):
        return self.title


class FormSubmission(models.Model):
    """A one-time token of the report form, used once: a second submit of the same form shows the first
    result instead of filing the report twice (services/submissions.py). `report` is empty while the first
    submit is being stored."""

    token = models.CharField(max_length=64, unique=True)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


# --- sending to the body that fixes it (reports/sending/, decision 0023) --------------------------------


class SendMethod(models.TextChoices):
    RECORD = "record", _("nur vermerken (das Backoffice ist das System)")
    EMAIL = "email", _("E-Mail")
    OPEN311 = "open311", _("Open311 (GeoReport v2)")
    WEBHOOK = "webhook", _("Webhook (signiertes JSON)")


class SendTarget(models.Model):
    """A body that receives reports (our department's own system or an outside body) and how.

    `endpoint` is an email address (email), the Open311 base URL as discovery names it (open311) or a URL
    (webhook). The credential (Open311 api_key, webhook signing secret) is stored encrypted
    (`secret_encrypted`, Fernet keyed from SECRET_KEY) or named as an environment variable (`secret_env`);
    it is never shown again. `inbound_secret_hash` authenticates status changes the body reports back."""

    name = models.CharField(_("Name der Stelle"), max_length=200, unique=True)
    method = models.CharField(_("Versandart"), max_length=10, choices=SendMethod.choices)
    endpoint = models.CharField(_("Adresse / URL"), max_length=500, blank=True)
    jurisdiction_id = models.CharField(_("Open311 jurisdiction_id"), max_length=100, blank=True)
    # Our category code -> their service code (Open311); codes missing here are sent unchanged.
    service_codes = models.JSONField(_("Zuordnung Kategorie → service_code"), default=dict, blank=True)
    secret_encrypted = models.TextField(blank=True, editable=False)
    secret_env = models.CharField(_("Zugangsschlüssel aus Umgebungsvariable"), max_length=100, blank=True)
    inbound_secret_hash = models.CharField(max_length=128, blank=True, editable=False)
    department = models.OneToOneField(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="send_target",
        verbose_name=_("Standard für Fachbereich"),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Empfangsstelle")
        verbose_name_plural = _("Empfangsstellen")

    def __str__(self):
        return self.name


class CategorySending(models.Model):
    """Where a category's reports go, when not to its department's target."""

    category = models.OneToOneField(Category, on_delete=models.CASCADE, related_name="sending")
    target = models.ForeignKey(SendTarget, on_delete=models.CASCADE, related_name="category_settings")


class DispatchState(models.TextChoices):
    PENDING = "pending", _("wartet auf Versand")
    SENT = "sent", _("versandt")
    FAILED = "failed", _("Versand fehlgeschlagen")


class Dispatch(models.Model):
    """One sending of a report to a target. A report has one per routing (new, re-categorised, forwarded);
    the newest is its current send state."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="dispatches")
    target = models.ForeignKey(SendTarget, on_delete=models.PROTECT, related_name="dispatches")
    reason = models.CharField(max_length=20)  # "new", "category", "forwarded", "area", "retry"
    state = models.CharField(max_length=10, choices=DispatchState.choices, default=DispatchState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    external_token = models.CharField(max_length=200, blank=True)
    external_status = models.CharField(max_length=40, blank=True)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "updated_at"], name="dispatch_state_idx"),
            models.Index(fields=["target", "external_id"], name="dispatch_external_idx"),
        ]


class RemoteUpdate(models.Model):
    """An update the target reported back, kept so polling twice never applies it twice."""

    target = models.ForeignKey(SendTarget, on_delete=models.CASCADE, related_name="+")
    update_id = models.CharField(max_length=200)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target", "update_id"], name="unique_remote_update")]


class Area(models.Model):
    """Where a body is responsible (a Kreisstraße's Landkreis, the Stadtwerke's street lights): a polygon
    (GeoJSON Polygon or MultiPolygon, WGS84) for a department of ours or an outside body (a send target),
    optionally for some categories only. The bounding box columns let the database pre-filter."""

    name = models.CharField(_("Name"), max_length=200)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="areas"
    )
    target = models.ForeignKey(
        SendTarget, on_delete=models.CASCADE, null=True, blank=True, related_name="areas"
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="areas")
    geometry = models.JSONField()
    south = models.FloatField()
    west = models.FloatField()
    north = models.FloatField()
    east = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["south", "north", "west", "east"], name="area_bbox_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=False) | models.Q(target__isnull=False),
                name="area_has_body",
            )
        ]
        verbose_name = _("Zuständigkeitsgebiet")
        verbose_name_plural = _("Zuständigkeitsgebiete")


class ImportedRequest(models.Model):
    """A report moved in from another Open311 server (`stadtdigital reports import-open311`): the other
    server's id, so that importing again never creates it twice."""

    source = models.CharField(max_length=200)  # the server (host and path) or --source of a file import
    external_id = models.CharField(max_length=200)
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="imported_from")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="unique_imported_request")
        ]


class PersonalDataReview(models.TextChoices):
    PENDING = "pending", _("wartet auf Moderation")
    KEPT_MASKED = "masked", _("bleibt maskiert")
    RELEASED = "released", _("freigegeben wie geschrieben")


class PersonalDataFinding(models.Model):
    """Personal data found in a report's description or answers when it was filed.

    The report's public text is stored masked from the start (so no public output can show the data); the
    original stays here, for staff only, until a moderator keeps the masking (the original is then deleted)
    or releases the text as written (a false alarm)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="personal_data_finding")
    kinds = models.JSONField(_("gefunden"), default=list)  # "email", "phone", "plate", "iban"
    original_description = models.TextField(blank=True)
    original_answers = models.JSONField(default=dict, blank=True)  # question id (str) -> original value
    created_at = models.DateTimeField()
    review = models.CharField(
        max_length=10, choices=PersonalDataReview.choices, default=PersonalDataReview.PENDING, db_index=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Fund persönlicher Daten")
        verbose_name_plural = _("Funde persönlicher Daten")


class AssistModel(models.Model):
    """A trained category-suggestion model, stored in the database so that every app server and worker
    uses the same one (decision 0027). The newest row with `is_current` is used."""

    version = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField()
    is_current = models.BooleanField(default=True, db_index=True)
    # {category id (str): {"code": ..., "name": ..., "reports": n}} of the categories it can suggest.
    categories = models.JSONField(default=dict)
    training_reports = models.PositiveIntegerField(default=0)
    metrics = models.JSONField(default=dict, blank=True)  # evaluate-assist figures of this model
    data = models.BinaryField()  # joblib bytes of stadtdigital.reports.assist.classifier.Classifier

    class Meta:
        ordering = ["-version"]
        verbose_name = _("Vorschlagsmodell")
        verbose_name_plural = _("Vorschlagsmodelle")

    def __str__(self):
        return f"v{self.version}"


class MonthlyFigures(models.Model):
    """The figures of the open data statistics `anliegen-monatsstatistik` for one ended month, category and
    department, as computed by the daily job (reports/opendata/statistics_cache.py, decision 0028). Served
    instead of a live computation while no change of a report touches the month. Plain ids, no foreign
    keys: names are looked up when the file is written, so a rename needs no recomputation."""

    month = models.CharField(max_length=7, db_index=True)  # YYYY-MM in the city's time zone
    category_id = models.IntegerField()
    department_id = models.IntegerField()
    received = models.PositiveIntegerField()
    closed = models.PositiveIntegerField()
    fixed = models.PositiveIntegerField()
    median_tenths = models.PositiveIntegerField(null=True)  # median days to closing x 10; None: no closing


class MonthlyFiguresMonth(models.Model):
    """A month whose MonthlyFigures are complete (a month without reports has none, and is still here)."""

    month = models.CharField(max_length=7, primary_key=True)
    time_zone = models.CharField(max_length=64)  # settings.TIME_ZONE the months were cut in
    computed_at = models.DateTimeField()


class MonthlyFiguresChange(models.Model):
    """A UTC day on which a public report was received or closed, before or after a change that can move
    the monthly statistics (state, visibility, category, department, dates, deletion). Written by database
    triggers on reports_report, so every way of writing (save, queryset update, raw SQL, deletion) leaves
    its mark; the months of these days are computed live until the daily job has recomputed them."""

    utc_day = models.CharField(max_length=10)  # YYYY-MM-DD


class RenderedBlock(models.Model):
    """The open data download `anliegen` (CSV or GeoJSON) of the public reports whose ids lie in one block
    of ids, as rendered by the daily job (reports/opendata/rendered_blocks.py, decision 0029): a download
    copies a stored block instead of formatting its rows again while no change is noted for the block and
    everything else the bytes depend on (names, labels, questions, settings, code) has the same `key`."""

    format = models.CharField(max_length=10)  # distribution key: csv, geojson
    block = models.IntegerField()  # report id // BLOCK_IDS
    key = models.CharField(max_length=64)  # sha256 of everything outside the block's own rows
    rows = models.PositiveIntegerField()
    content = models.BinaryField()  # zlib: the UTF-8 text of the block's records, separators included

    class Meta:
        constraints = [models.UniqueConstraint(fields=["format", "block"], name="unique_rendered_block")]


class RenderedBlockChange(models.Model):
    """A block of report ids whose rendered download may be out of date: written by database triggers on
    reports, their texts, photos and answers (every way of writing leaves a mark); the block is rendered
    live until the daily job has rendered it again."""

    block = models.IntegerField()
