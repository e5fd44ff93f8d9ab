"""`stadtdigital demo --load-only` prepares the demo, twice without duplicates, with a working login."""

import io
import re
import time

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.http import HttpRequest
from django_tasks import task

from stadtdigital.core import roles
from stadtdigital.portfolio.models import Project, ProjectVersion, PublishedReport


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", "--load-only", stdout=out)
    return out.getvalue()


def login_from(output: str) -> tuple[str, str]:
    username = re.search(r"Benutzername: (\S+)", output).group(1)
    password = re.search(r"Passwort: +(\S+)", output).group(1)
    return username, password


@pytest.mark.django_db
def test_demo_load_only_twice_no_duplicates_and_login_works(client):
    first = run_demo()
    counts = (Project.objects.count(), ProjectVersion.objects.count(), PublishedReport.objects.count())
    assert counts[0] == 110
    assert counts[2] == 1
    assert PublishedReport.objects.get().is_synthetic

    second = run_demo()
    assert (
        Project.objects.count(),
        ProjectVersion.objects.count(),
        PublishedReport.objects.count(),
    ) == counts
    assert "nichts doppelt" in second

    username, password = login_from(second)
    assert username == "demo"
    assert login_from(first)[1] != password  # each run gives a new password
    user = authenticate(HttpRequest(), username=username, password=password)
    assert user is not None
    assert roles.is_digital_office(user) and not user.is_superuser
    assert authenticate(HttpRequest(), username=username, password=login_from(first)[1]) is None

    assert client.login(request=HttpRequest(), username=username, password=password)
    assert client.get("/verwaltung/").status_code == 200
    assert "http://127.0.0.1:8000/" in second


@pytest.mark.django_db
def test_demo_loads_reports_once_and_prints_reports_logins(client):
    from stadtdigital.reports.models import Category, Report

    first = run_demo()
    assert Report.objects.count() == 5000 and Category.objects.count() == 13
    assert "5000 synthetische Anliegen" in first
    second = run_demo()
    assert Report.objects.count() == 5000
    assert "Anliegen sind schon vorhanden" in second
    logins = re.findall(r"Benutzername: (\S+)", second)
    assert logins == ["demo", "demo-fachbereich", "demo-tiefbau", "demo-leitstelle"]
    password = login_from(second)[1]
    tiefbau = authenticate(HttpRequest(), username="demo-tiefbau", password=password)
    assert tiefbau is not None and tiefbau.departments.filter(slug="tiefbauamt").exists()
    assert tiefbau.groups.filter(name=roles.DEPARTMENT_STAFF).exists()
    leitstelle = authenticate(HttpRequest(), username="demo-leitstelle", password=password)
    assert leitstelle is not None and leitstelle.groups.filter(name="Leitstelle").exists()
    assert Report.objects.filter(assigned_to=tiefbau).exists()


@task()
def record_demo_worker_ran(marker: str) -> str:
    return f"ran {marker}"


@pytest.mark.django_db(transaction=True)
def test_demo_worker_thread_runs_queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    from stadtdigital.core.management.commands.demo import start_worker_thread

    result = record_demo_worker_ran.enqueue("x")
    worker = start_worker_thread(interval=0.05, daily_jobs=False)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            time.sleep(0.05)
            try:
                row = DBTaskResult.objects.get(pk=result.id)
            except OperationalError:  # the in-memory SQLite test database locks whole tables
                continue
            if row.status == "SUCCESSFUL":
                break
        assert row.status == "SUCCESSFUL"
        assert row.return_value == "ran x"
    finally:
        worker.running = False
        worker.thread.join(timeout=10)
    assert not worker.thread.is_alive()


@pytest.mark.django_db
def test_demo_refuses_a_database_with_real_projects(department):
    from stadtdigital.portfolio import services
    from stadtdigital.portfolio.models import FieldOfAction

    field = FieldOfAction.objects.create(name="Breitband", slug="breitband")
    services.create_project(title="Echtes Projekt", field_of_action=field, department=department)
    with pytest.raises(CommandError, match="eigene Projekte"):
        call_command("demo", "--load-only", stdout=io.StringIO())
    assert Project.objects.count() == 1
    assert not get_user_model().objects.filter(username="demo").exists()


@pytest.mark.django_db
def test_demo_refuses_a_database_with_real_reports(department):
    from django.utils import timezone

    from stadtdigital.reports.models import Category, CategoryGroup, Report

    group = CategoryGroup.objects.create(name="Straße")
    category = Category.objects.create(
        code="schlagloch", name="Schlagloch", group=group, department=department
    )
    now = timezone.now()
    Report.objects.create(  # a citizen's report from the web form
        category=category, department=department, lat=49.14, lon=9.2, created_at=now, updated_at=now
    )
    with pytest.raises(CommandError, match="eigene Anliegen"):
        call_command("demo", "--load-only", stdout=io.StringIO())
    assert Report.objects.count() == 1
    assert not Project.objects.exists()
