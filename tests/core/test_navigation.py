import pytest


@pytest.mark.parametrize(
    ("path", "current"),
    [("/anliegen/neu/", "/anliegen/neu/"), ("/anliegen/", "/anliegen/"), ("/projekte/", "/projekte/")],
)
def test_only_the_most_specific_entry_is_marked_current(client, db, path, current):
    body = client.get(path).content.decode()
    nav = body[body.index('<ul class="nav">') : body.index("</ul>", body.index('<ul class="nav">'))]
    assert nav.count('aria-current="page"') == 1
    assert f'href="{current}" aria-current="page"' in nav
