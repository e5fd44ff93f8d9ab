from stadtdigital.core.models import SyntheticDataMarker


def test_landing_links_portfolio_and_reports(client, db):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/projekte/"' in body
    assert 'href="/berichte/"' in body
    assert '<html lang="de">' in body


def test_landing_in_english_after_language_switch(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()


def test_synthetic_data_banner_only_when_demo_data_loaded(client, db):
    assert "Demodaten" not in client.get("/").content.decode()
    SyntheticDataMarker.objects.create(dataset="portfolio")
    assert "Demodaten" in client.get("/").content.decode()
