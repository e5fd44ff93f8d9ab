"""axe-core finds no serious or critical problems on the Open311 documentation page."""


def test_open311_docs_page(page, url, axe_check, db):
    page.goto(url("/open311/v2/"))
    assert page.get_by_role("heading", level=1).count() == 1
    axe_check(page)
