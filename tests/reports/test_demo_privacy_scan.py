"""No public page, feed or map response contains a demo reporter's email or phone (Done-when of issue 3).

Loads the synthetic demo (5,000 reports, reporters with emails and phones), collects every reporter email
and phone, then requests the public surfaces: lists with filters and pages, the map data at several zooms,
Atom feeds, and the detail page of every public report that carries personal data.
"""

import pytest
from django.test import Client

from stadtdigital.reports.demo.loader import load_demo_reports
from stadtdigital.reports.models import Report, Visibility


@pytest.fixture(scope="module")
def demo_reports(django_db_setup, django_db_blocker):
    from django.contrib.auth import get_user_model

    from stadtdigital.core.models import Department, SyntheticDataMarker
    from stadtdigital.reports.models import AnswerTemplate, AreaAlert, Category, CategoryGroup

    with django_db_blocker.unblock():
        departments = set(Department.objects.values_list("pk", flat=True))
        users = set(get_user_model().objects.values_list("pk", flat=True))
        load_demo_reports()
        yield
        Report.objects.all().delete()
        AreaAlert.objects.all().delete()
        AnswerTemplate.objects.all().delete()
        Category.objects.all().delete()
        CategoryGroup.objects.all().delete()
        SyntheticDataMarker.objects.all().delete()
        get_user_model().objects.exclude(pk__in=users).delete()
        Department.objects.exclude(pk__in=departments).delete()


def public_urls():
    urls = [
        "/",
        "/anliegen/",
        "/anliegen/?status=alle",
        "/anliegen/feed.atom",
        "/anliegen/feed.atom?status=alle",
    ]
    urls += [f"/anliegen/?status=alle&seite={page}" for page in range(2, 12)]
    urls += [f"/anliegen/?status=alle&sortierung=unterstuetzt&seite={page}" for page in range(1, 4)]
    for zoom in (12, 14, 16, 18):
        urls.append(f"/anliegen/karte.json?bbox=49.10,9.13,49.19,9.28&zoom={zoom}&status=alle")
    with_personal_data = (
        Report.objects.filter(visibility=Visibility.PUBLIC).exclude(reporter_email="").order_by("pk")
    )
    urls += [f"/anliegen/{pk}/" for pk in with_personal_data.values_list("pk", flat=True)[:400]]
    return urls


@pytest.mark.django_db
def test_no_public_response_contains_a_demo_reporters_email_or_phone(demo_reports):
    emails = set(Report.objects.exclude(reporter_email="").values_list("reporter_email", flat=True))
    phones = set(Report.objects.exclude(reporter_phone="").values_list("reporter_phone", flat=True))
    assert len(emails) > 100 and len(phones) > 50  # the demo really has reporters to leak

    client = Client()
    leaks = []
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        leaks += [(url, value) for value in emails | phones if value in text]
    assert leaks == []


@pytest.mark.django_db
def test_hidden_and_unconfirmed_demo_reports_are_not_public(demo_reports):
    client = Client()
    for report in Report.objects.exclude(visibility=Visibility.PUBLIC)[:50]:
        assert client.get(f"/anliegen/{report.pk}/").status_code == 404
