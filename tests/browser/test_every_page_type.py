"""Every page type, public and back office, with the demo loaded, in one browser visit each.

One visit per page collects: requests answering 4xx/5xx or failing (images, scripts, styles, fonts, the
offline basemap, Leaflet's marker icons after a pin is set), duplicate ids, labels that do not point at
exactly one control, axe-core findings (serious/critical violations and the "needs review" results of
duplicate-id-aria, form-field-multiple-labels, aria-valid-attr-value), and for public pages the width at a
320 px screen (WCAG 1.4.10 reflow). Each test below then reports one of these checks for all pages.

The demo (`stadtdigital demo --load-only`) is loaded once for this module; it takes a while.
"""

import io
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import (
    BLOCKING_IMPACTS,
    NEEDS_REVIEW_RULES,
    PASSWORD,
    format_violations,
)

PHONE_WIDTH = 320

# ids and labels: duplicates, labels whose `for` matches no control or several elements, controls that
# two labels claim.
ID_AND_LABEL_PROBLEMS = """() => {
  const problems = [];
  const counts = {};
  document.querySelectorAll("[id]").forEach((el) => { counts[el.id] = (counts[el.id] || 0) + 1; });
  Object.entries(counts).forEach(([id, n]) => { if (n > 1) problems.push(`id "${id}" ${n} times`); });
  const labelable = ["INPUT", "SELECT", "TEXTAREA", "BUTTON", "METER", "OUTPUT", "PROGRESS"];
  const claimed = {};
  document.querySelectorAll("label[for]").forEach((label) => {
    const targets = document.querySelectorAll(`[id="${CSS.escape(label.htmlFor)}"]`);
    const text = label.textContent.trim().slice(0, 40);
    if (targets.length !== 1) {
      problems.push(`label "${text}" for="${label.htmlFor}" matches ${targets.length} elements`);
    } else if (!labelable.includes(targets[0].tagName)) {
      const tag = targets[0].tagName.toLowerCase();
      problems.push(`label "${text}" for="${label.htmlFor}" points at a <${tag}>`);
    } else {
      claimed[label.htmlFor] = (claimed[label.htmlFor] || 0) + 1;
    }
  });
  Object.entries(claimed).forEach(([id, n]) => { if (n > 1) problems.push(`#${id} has ${n} labels`); });
  return problems;
}"""


@dataclass
class Visit:
    name: str
    path: str
    public: bool
    bad_requests: list = field(default_factory=list)
    id_problems: list = field(default_factory=list)
    axe_findings: str = ""
    width: int = 0


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    user: str | None = None  # demo login, None = anonymous
    status: int = 200
    action: str = ""  # "pin": set a map pin; "step2": go on to step 2 of the report form


def demo_targets() -> list[Target]:
    """The page types, addressed through the demo's data."""
    from stadtdigital.portfolio.models import FieldOfAction, Project, PublishedReport
    from stadtdigital.reports.models import AnswerTemplate, Category, Report, State, Visibility

    project = Project.objects.order_by("pk").first()
    year = PublishedReport.objects.order_by("-year").values_list("year", flat=True).first()
    field_slug = FieldOfAction.objects.order_by("pk").values_list("slug", flat=True).first()
    public_report = (
        Report.objects.filter(visibility=Visibility.PUBLIC, photos__isnull=False).order_by("-pk").first()
        or Report.objects.filter(visibility=Visibility.PUBLIC).order_by("-pk").first()
    )
    tiefbau_case = (
        Report.objects.filter(category__department__slug="tiefbauamt", state=State.IN_PROGRESS)
        .order_by("-pk")
        .first()
    )
    category = Category.objects.filter(is_active=True).order_by("pk").first()
    template = AnswerTemplate.objects.order_by("pk").first()
    office, tiefbau, leitstelle = "demo", "demo-tiefbau", "demo-leitstelle"
    targets = [
        Target("Startseite", "/"),
        Target("Projekte", "/projekte/"),
        Target("Projekt", f"/projekte/{project.slug}/"),
        Target("Berichte", "/berichte/"),
        Target("Bericht", f"/berichte/{year}/"),
        Target("Anliegen", "/anliegen/"),
        Target("Anliegen", f"/anliegen/{public_report.pk}/"),
        Target("Anliegen melden, Schritt 1 mit Pin", "/anliegen/neu/", action="pin"),
        Target("Anliegen melden, Schritt 2", "/anliegen/neu/", action="step2"),
        Target("Benachrichtigung", "/anliegen/benachrichtigung/"),
        Target("Datenschutz Mängelmelder", "/anliegen/datenschutz/"),
        Target("Offene Daten", "/opendata/"),
        Target("Open311-Dokumentation", "/open311/v2/"),
        Target("Barrierefreiheit", "/barrierefreiheit/"),
        Target("Leichte Sprache", "/leichte-sprache/"),
        Target("Anmeldung", "/verwaltung/anmelden/"),
        Target("Seite nicht gefunden", "/gibt-es-nicht/", status=404),
        # Digitalisierungsbüro
        Target("Verwaltung", "/verwaltung/", office),
        Target("Projekte (Verwaltung)", "/verwaltung/projekte/", office),
        Target("Projekt anlegen", "/verwaltung/projekte/neu/", office),
        Target("Projekt (Verwaltung)", f"/verwaltung/projekte/{project.slug}/", office),
        Target("Projekt bearbeiten", f"/verwaltung/projekte/{project.slug}/bearbeiten/", office),
        Target("Handlungsfelder", "/verwaltung/handlungsfelder/", office),
        Target("Handlungsfeld bearbeiten", f"/verwaltung/handlungsfelder/{field_slug}/bearbeiten/", office),
        Target("Projekt-Import", "/verwaltung/projekte-import/", office),
        Target("Berichte (Verwaltung)", "/verwaltung/berichte/", office),
        Target("Open311-Schlüssel", "/verwaltung/open311/", office),
        Target("Rückmeldungen Barrierefreiheit", "/verwaltung/barrierefreiheit/", office),
        Target("Datenschutz (Verwaltung)", "/verwaltung/datenschutz/", office),
        # Tiefbauamt
        Target("Eingang", "/verwaltung/anliegen/", tiefbau),
        Target("Fallseite", f"/verwaltung/anliegen/{tiefbau_case.pk}/", tiefbau),
        Target("Dashboard", "/verwaltung/anliegen/dashboard/", tiefbau),
        Target("Antwortvorlagen", "/verwaltung/anliegen/vorlagen/", tiefbau),
        Target("Antwortvorlage anlegen", "/verwaltung/anliegen/vorlagen/neu/", tiefbau),
        # Leitstelle
        Target("Kategorien", "/verwaltung/anliegen/kategorien/", leitstelle),
        Target("Kategorie anlegen", "/verwaltung/anliegen/kategorien/neu/", leitstelle),
        Target(
            "Kategorie bearbeiten", f"/verwaltung/anliegen/kategorien/{category.code}/bearbeiten/", leitstelle
        ),
        Target("Kategoriegruppe anlegen", "/verwaltung/anliegen/kategorien/gruppen/neu/", leitstelle),
    ]
    if template is not None:
        targets.append(Target("Antwortvorlage", f"/verwaltung/anliegen/vorlagen/{template.pk}/", leitstelle))
    return targets


def load_demo():
    call_command("demo", "--load-only", stdout=io.StringIO())
    for user in get_user_model().objects.filter(username__startswith="demo"):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def sign_in(page, base, username):
    page.goto(base + "/verwaltung/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(base + "/verwaltung/")


def perform(page, target):
    if target.action in ("pin", "step2"):
        page.locator("#map.leaflet-container").wait_for()
        page.locator("#map").click()  # the middle of the map lies in the city area
        page.locator(".leaflet-marker-icon").first.wait_for()
        page.wait_for_load_state("networkidle")
    if target.action == "step2":
        page.get_by_label("Kategorie").select_option(index=1)
        page.get_by_label("Straße und Hausnummer oder markanter Ort").fill("Hauptstraße 7")
        page.get_by_role("button", name="Weiter").click()
        page.get_by_label("Beschreibung").wait_for()
        page.wait_for_load_state("networkidle")


@pytest.fixture(scope="module")
def visits(django_db_setup, django_db_blocker, browser, live_server, axe):
    """Loads the demo, visits every page type once, returns the Visit records (then empties the database)."""
    base = live_server.url
    with django_db_blocker.unblock():
        try:
            load_demo()
            targets = demo_targets()
            results, contexts = [], {}
            for target in targets:
                public = target.user is None
                key = target.user or "public"
                if key not in contexts:
                    width = PHONE_WIDTH if public else 1280
                    context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE")
                    context.set_default_timeout(20_000)
                    contexts[key] = context.new_page()
                    if not public:
                        sign_in(contexts[key], base, target.user)
                page = contexts[key]
                visit = Visit(target.name, target.path, public)
                responses, failures = [], []

                def on_response(response, responses=responses):
                    responses.append(response)

                def on_failed(request, failures=failures):
                    # ERR_ABORTED: the page itself cancelled it (htmx replaces a preview on submit).
                    if "ERR_ABORTED" not in (request.failure or ""):
                        failures.append(f"failed: {request.url} ({request.failure})")

                page.on("response", on_response)
                page.on("requestfailed", on_failed)
                try:
                    main = page.goto(base + target.path, wait_until="networkidle")
                except PlaywrightError as exc:  # e.g. an empty error response: reported, checks go on
                    visit.bad_requests.append(str(exc).splitlines()[0])
                    results.append(visit)
                    continue
                if main.status != target.status:  # reported with the other failed requests
                    visit.bad_requests.append(f"the page itself answered {main.status}")
                else:
                    try:
                        perform(page, target)
                    except PlaywrightError as exc:  # reported, and the page as it is still checked
                        visit.bad_requests.append(f"could not {target.action}: {str(exc).splitlines()[0]}")
                page.remove_listener("response", on_response)
                page.remove_listener("requestfailed", on_failed)
                visit.bad_requests = failures + [
                    f"{r.status}: {r.url}" for r in responses if r.status >= 400 and r != main
                ]
                visit.id_problems = page.evaluate(ID_AND_LABEL_PROBLEMS)
                findings = axe.run(page).response
                blocking = [v for v in findings["violations"] if v.get("impact") in BLOCKING_IMPACTS]
                review = [v for v in findings["incomplete"] if v["id"] in NEEDS_REVIEW_RULES]
                visit.axe_findings = format_violations(blocking + review)
                visit.width = page.evaluate("document.scrollingElement.scrollWidth")
                results.append(visit)
            for page in contexts.values():
                page.context.close()
            yield results
        finally:
            call_command("flush", interactive=False, verbosity=0)


def report(visits, attribute) -> str:
    return "\n".join(
        f"{v.name} ({v.path}):\n    " + "\n    ".join(getattr(v, attribute))
        for v in visits
        if getattr(v, attribute)
    )


def test_every_page_type_is_covered(visits):
    assert len(visits) >= 35
    assert any(v.path.startswith("/verwaltung/anliegen/") and v.path[-2].isdigit() for v in visits)


def test_no_request_answers_4xx_or_5xx(visits):
    problems = report(visits, "bad_requests")
    assert not problems, "Requests that failed or answered 4xx/5xx:\n" + problems


def test_ids_are_unique_and_each_label_points_at_one_control(visits):
    problems = report(visits, "id_problems")
    assert not problems, "Duplicate ids or labels without exactly one control:\n" + problems


def test_axe_finds_nothing_serious_and_nothing_to_review(visits):
    problems = "\n".join(f"{v.name} ({v.path}):\n{v.axe_findings}" for v in visits if v.axe_findings)
    assert not problems, "axe-core findings:\n" + problems


def test_no_public_page_is_wider_than_320_px(visits):
    too_wide = [f"{v.name} ({v.path}): {v.width} px" for v in visits if v.public and v.width > PHONE_WIDTH]
    assert not too_wide, "Pages wider than a 320 px screen (WCAG 1.4.10):\n" + "\n".join(too_wide)
