"""Browser tests: headless Debian Chromium through Playwright (sync API) against pytest-django's live server.

Reusable fixtures for every browser test module:
- `browser`: one Chromium per test session;
- `page`: a fresh German-language context and page (1280 px wide), closed after the test;
- `new_page(width=..., java_script_enabled=...)`: more pages, e.g. phone width or without JavaScript;
- `url(path)`: the live server's address for a path;
- `axe_check(page)`: runs axe-core, fails on violations of impact "serious" or "critical" and on "needs
  review" results of NEEDS_REVIEW_RULES, listing them;
- `login(page, user)`: signs `user` in through the login form.
Every page made by `page`/`new_page` records Content-Security-Policy violations (the browser's
`securitypolicyviolation` events and its "Refused to ..." console errors); the test fails at teardown if
there was any, so every browser test also checks the CSP.
All tests here are marked `browser`: `pytest -m browser` runs only them, `-m "not browser"` skips them.
"""

import os

import pytest

# The portfolio's service-layer fixtures (make_project ...), for browser tests of any module.
from tests.portfolio.conftest import field_of_action, make_project, other_field_of_action  # noqa: F401

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = ("serious", "critical")
# axe's "needs review" (incomplete) results that still fail a page: ids and labels that may point at the
# wrong element (issue 9: the case page's "Interne Notiz" label led to the public answer box).
NEEDS_REVIEW_RULES = ("duplicate-id-aria", "form-field-multiple-labels", "aria-valid-attr-value")
PASSWORD = "correct-horse-battery"  # tests.conftest.make_user's password


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _live_database(transactional_db):
    """The live server runs in another thread: data must be committed, so these tests use transactions."""


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Injected by Playwright (not subject to the page's CSP): reports each violation to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
    + ` (${(event.sample || "").slice(0, 60)})`
  );
});
"""


def record_csp_violations(context, violations: list) -> None:
    context.expose_function("__reportCspViolation", lambda text: violations.append(text))
    context.add_init_script(CSP_LISTENER)
    context.on(
        "console",
        lambda message: (
            violations.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )


@pytest.fixture
def new_page(browser):
    contexts = []
    csp_violations = []

    def make(width=1280, height=900, java_script_enabled=True):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="de-DE",
            java_script_enabled=java_script_enabled,
        )
        context.set_default_timeout(10_000)
        record_csp_violations(context, csp_violations)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def url(live_server):
    def make(path="/"):
        return live_server.url + path

    return make


def format_violations(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node.get('failureSummary', '')}")
            lines.append(f"       {node['html'][:200]}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def axe_check(axe):
    """axe_check(page): fails the test on serious/critical WCAG violations of the page as it is now, and on
    "needs review" findings of NEEDS_REVIEW_RULES."""

    def check(page, context=None):
        page.wait_for_load_state()  # a click that navigates returns before the new page has loaded
        results = axe.run(page, context=context)
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        blocking += [v for v in results.response["incomplete"] if v["id"] in NEEDS_REVIEW_RULES]
        assert not blocking, f"axe found accessibility problems on {page.url}:\n" + format_violations(
            blocking
        )
        return results

    return check


@pytest.fixture
def login(url):
    def sign_in(page, user, password=PASSWORD):
        page.goto(url("/verwaltung/anmelden/"))
        page.get_by_label("Benutzername").fill(user.username)
        page.get_by_label("Passwort").fill(password)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(url("/verwaltung/"))
        return page

    return sign_in
