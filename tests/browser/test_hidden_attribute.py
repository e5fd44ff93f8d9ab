"""`hidden` always hides: "Punkt entfernen" is neither visible nor focusable until a pin is set (issue 9,
item 8: `button { display: inline-block }` used to override the attribute)."""

from playwright.sync_api import expect

from tests.browser.test_report_form import category  # noqa: F401  (fixture)


def test_remove_pin_button_only_with_a_pin(page, url, category):  # noqa: F811
    page.goto(url("/anliegen/neu/"))
    clear = page.locator("#clear-pin")
    page.locator("#map.leaflet-container").wait_for()
    assert clear.get_attribute("hidden") is not None
    assert not clear.is_visible()
    assert page.evaluate("getComputedStyle(document.getElementById('clear-pin')).display") == "none"
    # Not reachable with the keyboard either: tab through the whole page.
    focused = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        focused.add(page.evaluate("document.activeElement && document.activeElement.id"))
    assert "clear-pin" not in focused

    page.locator("#map").click()
    expect(clear).to_be_visible()
    clear.click()
    assert not clear.is_visible()
    assert page.locator("#id_lat").input_value() == ""
