"""The browser enforces our Content-Security-Policy, the shared fixture catches violations, and the
account pages (two-factor setup with its QR code) work under it."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from stadtdigital.core import roles
from tests.browser.conftest import record_csp_violations
from tests.conftest import make_user
from tests.core.test_two_factor import app_code


def test_the_fixture_records_what_the_policy_blocks(browser, url):
    violations = []
    context = browser.new_context()
    record_csp_violations(context, violations)
    page = context.new_page()
    page.goto(url("/"))
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.append(script);
        const image = document.createElement("img");
        image.src = "https://tiles.evil.example/1/1/1.png";
        document.body.append(image);
    }"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("window.injected === undefined")
    context.close()
    text = "\n".join(violations)
    assert "script-src" in text and "img-src" in text and "tiles.evil.example" in text


def test_two_factor_setup_works_under_the_policy(page, url, login, axe_check):
    cdo = make_user("cdo", roles.DIGITAL_OFFICE)
    login(page, cdo)
    page.get_by_role("link", name="Konto und Sicherheit").click()
    axe_check(page)
    page.get_by_role("link", name="Zwei-Faktor-Anmeldung einrichten").click()
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    axe_check(page)
    device = TOTPDevice.objects.get(user=cdo, confirmed=False)
    page.get_by_label("Code").fill(app_code(device))
    page.get_by_role("button", name="Einrichten").click()
    page.get_by_role("heading", name="Ihre Wiederherstellungscodes").wait_for()
    assert page.locator(".recovery-codes li").count() == 10
    axe_check(page)
