"""No 500 for anything a client can send: random and adversarial input to every public and back office URL.

Django's test client re-raises a view's exception, so a server error fails here with its traceback. Each test
shares one set of data (fixtures) across its examples; examples are bounded to keep the module fast.
"""

import datetime
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stadtdigital.core import roles
from stadtdigital.core.models import Department
from stadtdigital.portfolio import services as portfolio_services
from stadtdigital.portfolio.models import FieldOfAction, Project, PublishedReport, Status
from stadtdigital.reports.models import (
    OPEN_STATES,
    AnswerTemplate,
    Category,
    CategoryGroup,
    Event,
    Photo,
    PhotoStatus,
    Report,
    Source,
    State,
    Visibility,
)
from stadtdigital.reports.services import workflow
from stadtdigital.reports.services.history import record_event

FEW = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SOME = settings(FEW, max_examples=30)

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "1",
    "2",
    "7",
    "-99999999999999999999999",
    "99999999999999999999999999999",
    "9223372036854775808",
    "1e308",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "0x10",
    "1,5",
    "49,14",
    "١٢",
    "²",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2024-02-30",
    "31.12.9999",
    "01.01.0001",
    "x" * 3000,
    "ä" * 300,
    "🙂",
    "'; DROP TABLE reports_report;--",
    "<script>alert(1)</script>",
    "%00",
    "../../etc/passwd",
    "#",
    "#999999999999",
    "# 0",
    "offen",
    "alle",
    "geschlossen",
    "received",
    "fixed",
    "schlagloch",
    "digitalisierung",
    "schulen",
    "titel",
    "status",
    "budget",
    "unterstuetzt",
    "aelteste",
    "faellig",
    "ich",
    "niemand",
    "me",
    "ja",
    "nein",
    "49.0,9.0,49.3,9.4",
    "-90,-180,90,180",
    "49.14,9.2,49.15,9.21",
    "1,2,3",
    "nan,nan,nan,nan",
    "html",
    "json",
    "csv",
    "xlsx",
]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
VALUE = st.one_of(
    st.sampled_from(NASTY),
    TEXT,
    st.integers().map(str),
    st.floats().map(str),
    st.dates().map(datetime.date.isoformat),
)


def query(names):
    """A query: some of `names` (and a stray one), each given one to three times."""
    return st.dictionaries(
        st.sampled_from([*names, "seite", "zzz"]), st.lists(VALUE, min_size=1, max_size=3), max_size=6
    )


def form(names, **fixed):
    """A POST body: every name with one random value (sometimes two), plus `fixed` values."""
    return st.fixed_dictionaries(
        {name: st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=2)) for name in names}
    ).map(lambda data: {**data, **fixed})


def ok(response):
    assert response.status_code < 500, response.status_code
    return response


# --- data -------------------------------------------------------------------------------------------------


@pytest.fixture
def world(db, django_capture_on_commit_callbacks, settings):
    settings.REPORT_RATE_LIMIT_PER_HOUR = 100000
    department = Department.objects.create(
        name="Amt für Digitalisierung", short_name="AfD", slug="digitalisierung"
    )
    staff = User.objects.create_user(username="cdo", password="correct-horse-battery")
    staff.groups.add(Group.objects.get(name=roles.DIGITAL_OFFICE))
    group = CategoryGroup.objects.create(name="Straße und Verkehr", position=1)
    category = Category.objects.create(
        code="schlagloch", name="Schlaglöcher", group=group, department=department, target_days=10
    )
    Category.objects.create(code="laterne", name="Laternen", group=group, department=department)
    field = FieldOfAction.objects.create(name="Schulen und Bildung", slug="schulen", position=1)
    project = portfolio_services.create_project(
        title="Tablets für Grundschulen",
        effective_date=datetime.date(2020, 1, 15),
        field_of_action=field,
        department=department,
        status=Status.PREPARATION,
    )
    now = datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.UTC)

    def report(state=State.RECEIVED, **fields):
        made = Report.objects.create(
            category=category,
            department=department,
            state=state,
            is_open=state in OPEN_STATES,
            visibility=fields.pop("visibility", Visibility.PUBLIC),
            description="Tiefes Schlagloch vor Hausnummer 12",
            lat=49.142,
            lon=9.21,
            created_at=now,
            updated_at=now,
            source=Source.WEB,
            reporter_email="buerger@example.org",
            **fields,
        )
        record_event(made, "created", to_state=State.RECEIVED, at=now)
        return made

    public = report()
    fixed = report()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_state(fixed, State.FIXED, user=staff, public_text="Behoben.")
    fixed_event = Event.objects.filter(report=fixed, to_state=State.FIXED).latest("id")
    photo = Photo.objects.create(report=public, status=PhotoStatus.READY)
    template = AnswerTemplate.objects.create(title="Danke", text="Danke für die Meldung.", category=category)
    PublishedReport.objects.create(
        year=2023,
        as_of=datetime.date(2023, 12, 31),
        title="Digitalisierungsbericht 2023",
        figures={"total_projects": 1},
        report_json=b"{}",
        report_html=b"<html><body><main>Bericht</main></body></html>",
        report_pdf=b"%PDF-1.4",
        annex_csv=b"a;b\n",
    )
    return {
        "staff": staff,
        "category": category,
        "project": project,
        "report": public,
        "fixed": fixed,
        "feedback_token": workflow.feedback_token(fixed, fixed_event),
        "photo": photo,
        "template": template,
    }


@pytest.fixture
def staff_client(world):
    client = Client()
    client.force_login(world["staff"])
    return client


# --- GET with random query parameters ---------------------------------------------------------------------

REPORT_FILTERS = ["q", "kategorie", "status", "zeitraum", "von", "bis", "sortierung"]
PUBLIC_PAGES = {
    "/": ["q"],
    "/healthz": ["q"],
    "/projekte/": ["q", "status", "handlungsfeld", "fachbereich", "sortierung"],
    "/anliegen/": REPORT_FILTERS,
    "/anliegen/karte.json": [*REPORT_FILTERS, "bbox", "zoom"],
    "/anliegen/feed.atom": REPORT_FILTERS,
    "/anliegen/neu/": ["kategorie", "adresse", "lat", "lon", "aendern"],
    "/anliegen/neu/orte/": ["adresse", "q"],
    "/anliegen/neu/schon-gemeldet/": ["kategorie", "adresse", "lat", "lon"],
    "/anliegen/neu/danke/": ["id"],
    "/anliegen/datenschutz/": ["q"],
    "/anliegen/benachrichtigung/": ["lat", "lon"],
    "/berichte/": ["jahr"],
    "/berichte/2023/": ["format"],
    "/verwaltung/anmelden/": ["next"],
}


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_survive_any_query(world, url):
    @FEW
    @given(params=query(PUBLIC_PAGES[url]))
    def check(params):
        ok(Client().get(url, params))

    check()


def test_map_data_answers_bad_bbox_and_zoom_with_400(world):
    @SOME
    @given(bbox=VALUE, zoom=VALUE)
    def check(bbox, zoom):
        response = ok(Client().get("/anliegen/karte.json", {"bbox": bbox, "zoom": zoom}))
        assert response.status_code in (200, 400)

    check()


def test_report_filters_survive_any_date(world):
    @SOME
    @given(
        url=st.sampled_from(["/anliegen/", "/anliegen/feed.atom", "/anliegen/karte.json"]),
        dates=st.dictionaries(st.sampled_from(["von", "bis"]), st.dates().map(datetime.date.isoformat)),
    )
    def check(url, dates):
        ok(Client().get(url, {**dates, "bbox": "49.1,9.1,49.2,9.3", "zoom": "12"}))

    check()


def test_feedback_link_survives_any_query(world):
    url = f"/anliegen/{world['fixed'].pk}/rueckmeldung/{world['feedback_token']}/"

    @FEW
    @given(params=query(["antwort"]))
    def check(params):
        ok(Client().get(url, params))

    check()


STAFF_PAGES = {
    "/verwaltung/": ["q"],
    "/verwaltung/projekte/": ["q", "status", "handlungsfeld", "fachbereich", "sortierung", "bearbeitbar"],
    "/verwaltung/projekte-export/": ["format"],
    "/verwaltung/projekte-import/": ["q"],
    "/verwaltung/handlungsfelder/": ["q"],
    "/verwaltung/anliegen/": [
        "ansicht",
        "q",
        "status",
        "kategorie",
        "fachbereich",
        "zugewiesen",
        "sortierung",
    ],
    "/verwaltung/anliegen/dashboard/": ["fachbereich"],
    "/verwaltung/anliegen/vorlagen/": ["q"],
    "/verwaltung/datenschutz/": ["email"],
}


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_back_office_lists_survive_any_query(staff_client, url):
    @FEW
    @given(params=query(STAFF_PAGES[url]))
    def check(params):
        ok(staff_client.get(url, params))

    check()


def test_report_preview_survives_any_date(staff_client):
    # html/json/csv only: a PDF takes seconds to render, and the figures are the same for every format.
    @SOME
    @given(as_of=VALUE, kind=st.sampled_from(["html", "json", "csv", "", "pdfx"]))
    def check(as_of, kind):
        ok(staff_client.get("/verwaltung/berichte/", {"as_of": as_of, "format": kind}))

    check()


# --- path parameters --------------------------------------------------------------------------------------

NUMBER = st.one_of(st.integers(min_value=0, max_value=10**30), st.sampled_from([0, 2**31, 2**63, 10**20]))
SLUG = st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True)
TOKEN = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/?#"), min_size=1, max_size=300),
    st.uuids().map(str),
)


def test_public_paths_with_any_number(world):
    @SOME
    @given(n=NUMBER, m=NUMBER)
    def check(n, m):
        client = Client()
        for url in (
            f"/anliegen/{n}/",
            f"/anliegen/{n}/fotos/{m}/",
            f"/anliegen/{n}/fotos/{m}/vorschau/",
            f"/anliegen/{n}/abonnieren/",
            f"/berichte/{n}/",
            f"/berichte/{n}/bericht.pdf",
            f"/berichte/{n}/bericht.html",
            f"/berichte/{n}/anhang.json",
            f"/berichte/{n}/anhang.csv",
        ):
            ok(client.get(url))
        ok(client.post(f"/anliegen/{n}/unterstuetzen/", {"email": ""}))

    check()


def test_public_token_paths_with_any_token(world):
    @SOME
    @given(token=TOKEN, uuid=st.uuids())
    def check(token, uuid):
        client = Client()
        quoted = quote(token, safe="")
        for url in (
            f"/anliegen/bestaetigen/{quoted}/",
            f"/anliegen/abo/{quoted}/",
            f"/anliegen/abo/{quoted}/abbestellen/",
            f"/anliegen/{world['fixed'].pk}/rueckmeldung/{quoted}/",
            f"/anliegen/benachrichtigung/bestaetigen/{uuid}/",
            f"/anliegen/benachrichtigung/abbestellen/{uuid}/",
        ):
            ok(client.get(url))
            ok(client.post(url))

    check()


def test_back_office_paths_with_any_number_or_slug(staff_client):
    @SOME
    @given(n=NUMBER, m=NUMBER, slug=SLUG)
    def check(n, m, slug):
        for url in (
            f"/verwaltung/anliegen/{n}/",
            f"/verwaltung/anliegen/{n}/fotos/{m}/",
            f"/verwaltung/anliegen/{n}/fotos/{m}/vorschau/",
            f"/verwaltung/anliegen/vorlagen/{n}/",
            f"/verwaltung/anliegen/vorlagen/{n}/loeschen/",
            f"/verwaltung/projekte/{slug}/",
            f"/verwaltung/projekte/{slug}/bearbeiten/",
            f"/verwaltung/handlungsfelder/{slug}/bearbeiten/",
            f"/projekte/{slug}/",
        ):
            ok(staff_client.get(url))
        for url in (
            f"/verwaltung/anliegen/{n}/notiz/",
            f"/verwaltung/anliegen/{n}/eingangspruefung/",
            f"/verwaltung/projekte/{slug}/status/",
        ):
            ok(staff_client.post(url, {}))

    check()


# --- public forms -----------------------------------------------------------------------------------------

REPORT_FIELDS = [
    "kategorie",
    "adresse",
    "lat",
    "lon",
    "description",
    "name",
    "show_name",
    "email",
    "phone",
    "privacy_consent",
]


def test_new_report_step_2_rejects_bad_input_without_storing(world):
    @SOME
    @given(
        data=form(REPORT_FIELDS, website=""),
        photo=st.one_of(st.none(), st.binary(max_size=200)),
    )
    def check(data, photo):
        if photo is not None:
            data["photos"] = SimpleUploadedFile("foto.jpg", photo, content_type="image/jpeg")
        before = Report.objects.count()
        response = ok(Client().post("/anliegen/neu/", data))
        if response.status_code != 302:
            assert response.status_code in (400, 429)
            assert Report.objects.count() == before

    check()


def test_new_report_step_2_with_valid_place_and_bad_details(world):
    @SOME
    @given(data=form(["description", "name", "email", "phone", "show_name", "privacy_consent", "attr_x"]))
    def check(data):
        data.update(kategorie="schlagloch", lat="49.142", lon="9.21", adresse="")
        before = Report.objects.count()
        response = ok(Client().post("/anliegen/neu/", data))
        if response.status_code != 302:
            assert Report.objects.count() == before

    check()


def test_new_report_with_a_nul_byte_anywhere_is_rejected(world):
    # SQLite would store it, PostgreSQL fails with a 500: intake refuses it with a message.
    @FEW
    @given(
        field=st.sampled_from(["kategorie", "adresse", "description", "name", "phone", "email"]), text=TEXT
    )
    def check(field, text):
        data = {
            "kategorie": "schlagloch",
            "lat": "49.142",
            "lon": "9.21",
            "description": "Ein tiefes Loch im Gehweg",
            "name": "Max",
            "privacy_consent": "on",
        }
        data[field] = text[:5] + "\x00" + text[5:]
        before = Report.objects.count()
        response = ok(Client().post("/anliegen/neu/", data))
        assert response.status_code == 400
        assert Report.objects.count() == before

    check()


def test_support_and_subscribe_survive_any_email(world):
    pk = world["report"].pk

    @FEW
    @given(email=VALUE)
    def check(email):
        client = Client()
        ok(client.post(f"/anliegen/{pk}/unterstuetzen/", {"email": email}))
        ok(client.post(f"/anliegen/{pk}/abonnieren/", {"email": email}))

    check()


def test_area_alert_form_survives_any_input(world):
    @SOME
    @given(data=form(["email", "address", "lat", "lon", "radius_m", "category", "consent", "website"]))
    def check(data):
        ok(Client().post("/anliegen/benachrichtigung/", data))

    check()


def test_feedback_form_survives_any_answer(world):
    url = f"/anliegen/{world['fixed'].pk}/rueckmeldung/{world['feedback_token']}/"

    @FEW
    @given(fixed=VALUE, comment=VALUE)
    def check(fixed, comment):
        response = ok(Client().post(url, {"fixed": fixed, "comment": comment}))
        if fixed not in ("ja", "nein"):
            assert response.status_code in (200, 400)

    check()


def test_set_language_and_login_survive_any_input(world):
    @SOME
    @given(
        language=VALUE,
        next_url=VALUE,
        username=VALUE,
        password=VALUE,
    )
    def check(language, next_url, username, password):
        from axes.utils import reset as reset_login_failures

        reset_login_failures()  # hundreds of examples from one address would trip the login lockout (429)
        client = Client()
        ok(client.post("/i18n/setlang/", {"language": language, "next": next_url}))
        response = ok(
            client.post(
                "/verwaltung/anmelden/", {"username": username, "password": password, "next": next_url}
            )
        )
        assert response.status_code == 200  # the form again; nobody signed in
        ok(client.post("/verwaltung/abmelden/"))

    check()


# --- back office forms ------------------------------------------------------------------------------------

PROJECT_FIELDS = [
    "title",
    "summary",
    "description",
    "field_of_action",
    "department",
    "status",
    "priority",
    "planned_budget",
    "cost_to_date",
    "funding_amount",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "partners",
    "new_partner_name",
    "new_partner_kind",
    "tag_names",
    "effective_date",
    "change_note",
    "milestones-0-title",
    "milestones-0-due",
    "milestones-0-done_on",
    "kpis-0-name",
    "kpis-0-unit",
    "kpis-0-target",
    "kpis-0-current",
    "kpis-0-as_of",
    "links-0-title",
    "links-0-url",
]
MANAGEMENT = {
    f"{prefix}-{name}": value
    for prefix in ("milestones", "kpis", "links")
    for name, value in (("TOTAL_FORMS", "1"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"))
}


def _project_state(project):
    project = Project.objects.get(pk=project.pk)
    return (project.title, project.status, project.planned_budget, project.versions.count())


def test_project_edit_rejects_bad_input_without_change(staff_client, world):
    project = world["project"]

    @SOME
    @given(
        data=form(PROJECT_FIELDS, **MANAGEMENT),
        management=st.dictionaries(
            st.sampled_from(["milestones-TOTAL_FORMS", "kpis-INITIAL_FORMS", "links-MAX_NUM_FORMS"]), VALUE
        ),
    )
    def check(data, management):
        data.update(management)
        before = _project_state(project)
        response = ok(staff_client.post(f"/verwaltung/projekte/{project.slug}/bearbeiten/", data))
        if response.status_code != 302:
            assert _project_state(project) == before

    check()


def test_project_create_and_status_change_reject_bad_input(staff_client, world):
    project = world["project"]

    @SOME
    @given(data=form(PROJECT_FIELDS, **MANAGEMENT), status=form(["status", "effective_date", "note"]))
    def check(data, status):
        before = Project.objects.count()
        response = ok(staff_client.post("/verwaltung/projekte/neu/", data))
        if response.status_code != 302:
            assert Project.objects.count() == before
        state = _project_state(project)
        response = ok(staff_client.post(f"/verwaltung/projekte/{project.slug}/status/", status))
        if response.status_code != 302:
            assert _project_state(project) == state

    check()


def test_field_of_action_form_survives_any_input(staff_client, world):
    @FEW
    @given(data=form(["name", "slug", "description", "position"]))
    def check(data):
        ok(staff_client.post("/verwaltung/handlungsfelder/neu/", data))
        ok(staff_client.post("/verwaltung/handlungsfelder/schulen/bearbeiten/", data))

    check()


def test_import_rejects_random_bytes_without_change(staff_client, world):
    @FEW
    @given(
        content=st.one_of(
            st.binary(max_size=300),
            st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")),
            st.sampled_from([b"PK\x03\x04" + b"\x00" * 40, b"Titel;Status\n\x00;\xff\n", b"\xef\xbb\xbf"]),
        ),
        name=st.sampled_from(["p.csv", "p.xlsx", "p.CSV", "p.txt", "p", ".csv", "p.xlsx.csv"]),
        dry_run=st.sampled_from(["", "on", "\x00"]),
    )
    def check(content, name, dry_run):
        before = _project_state(world["project"]), Project.objects.count()
        upload = SimpleUploadedFile(name, content)
        response = ok(staff_client.post("/verwaltung/projekte-import/", {"file": upload, "dry_run": dry_run}))
        assert response.status_code in (200, 400)
        if response.status_code == 400 or dry_run:
            assert (_project_state(world["project"]), Project.objects.count()) == before

    check()


def test_publish_form_survives_any_input(staff_client, world):
    @FEW
    @given(data=form(["as_of", "year", "title"]))
    def check(data):
        # without "confirm" nothing is published, so no PDF is rendered
        before = PublishedReport.objects.count()
        response = ok(staff_client.post("/verwaltung/berichte/veroeffentlichen/", data))
        assert response.status_code == 400
        assert PublishedReport.objects.count() == before

    check()


def _report_state(report):
    report = Report.objects.get(pk=report.pk)
    return (
        report.state,
        report.category_id,
        report.lat,
        report.lon,
        report.description,
        report.events.count(),
    )


REPORT_ACTIONS = {
    "status": ["state", "template", "reason", "forwarded_to", "duplicate_of", "public_text", "internal_note"],
    "antwort": ["template", "text"],
    "notiz": ["text"],
    "zuweisung": ["assignee"],
    "kategorie": ["category", "internal_note"],
    "ort": ["lat", "lon", "address"],
    "moderation": ["action", "photo", "description", "reason"],
}


@pytest.mark.parametrize("action", REPORT_ACTIONS)
def test_report_actions_reject_bad_input_without_change(staff_client, world, action):
    report = world["report"]

    @FEW
    @given(
        data=form(REPORT_ACTIONS[action]),
        extra=st.dictionaries(st.sampled_from(["use_template", "preview"]), st.just("1"), max_size=1),
    )
    def check(data, extra):
        data.update(extra)
        before = _report_state(report)
        response = ok(staff_client.post(f"/verwaltung/anliegen/{report.pk}/{action}/", data))
        if response.status_code != 302:
            assert _report_state(report) == before

    check()


def test_moderation_with_bad_photo_id_is_rejected(staff_client, world):
    report = world["report"]

    @FEW
    @given(action=st.sampled_from(["hide_photo", "unhide_photo"]), photo=VALUE)
    def check(action, photo):
        before = Photo.objects.get(pk=world["photo"].pk).hidden
        response = ok(
            staff_client.post(
                f"/verwaltung/anliegen/{report.pk}/moderation/", {"action": action, "photo": photo}
            )
        )
        if response.status_code != 302:
            assert Photo.objects.get(pk=world["photo"].pk).hidden == before

    check()


def test_answer_templates_survive_any_input(staff_client, world):
    pk = world["template"].pk

    @FEW
    @given(data=form(["title", "state", "category", "text"]))
    def check(data):
        ok(staff_client.post("/verwaltung/anliegen/vorlagen/neu/", data))
        ok(staff_client.post(f"/verwaltung/anliegen/vorlagen/{pk}/", data))

    check()


def test_privacy_lookup_survives_any_input(staff_client, world):
    @FEW
    @given(data=form(["email", "action", "confirm"]))
    def check(data):
        response = ok(staff_client.post("/verwaltung/datenschutz/", data))
        if data["action"] == "delete" and data["confirm"] != "yes":
            assert Report.objects.filter(pk=world["report"].pk, reporter_email="buerger@example.org").exists()
        assert response.status_code in (200, 400)

    check()


def test_privacy_lookup_of_a_real_address(staff_client, world):
    for action in ("show", "download", "delete"):
        ok(staff_client.post("/verwaltung/datenschutz/", {"email": "buerger@example.org", "action": action}))


def test_photo_file_missing_is_404(world, staff_client):
    report, photo = world["report"], world["photo"]
    assert Client().get(f"/anliegen/{report.pk}/fotos/{photo.pk}/").status_code == 404
    assert staff_client.get(f"/verwaltung/anliegen/{report.pk}/fotos/{photo.pk}/").status_code == 404


def test_export_in_both_formats(staff_client, world):
    for kind in ("csv", "xlsx"):
        assert staff_client.get("/verwaltung/projekte-export/", {"format": kind}).status_code == 200
