"""Concurrent submissions on SQLite never fail with "database is locked" (issue 3, bad input and abuse).

Runs in a subprocess against a real SQLite file (the test database is in memory, where locking differs):
8 threads submit 5 reports each through the intake service at the same time.
"""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import threading

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    from django.db import connection

    from stadtdigital.core.models import Department
    from stadtdigital.reports.models import Category, CategoryGroup, Report
    from stadtdigital.reports.services.intake import ReportInput, submit_report

    department = Department.objects.create(name="Tiefbauamt", slug="tiefbauamt")
    group = CategoryGroup.objects.create(name="Straße")
    Category.objects.create(code="schlagloch", name="Schlagloch", group=group, department=department)
    connection.close()

    errors = []

    def submit(worker):
        from django.db import connection

        try:
            for n in range(5):
                submit_report(
                    ReportInput(
                        category="schlagloch",
                        lat=49.12 + worker * 0.001,
                        lon=9.2 + n * 0.001,
                        description=f"Schlagloch Nummer {worker}-{n}",
                    ),
                    client_ip=f"192.0.2.{worker}",
                )
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("errors", errors)
    print("stored", Report.objects.count())
    """
)


def test_eight_concurrent_writers_on_sqlite_all_succeed(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "STADTDIGITAL_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="stadtdigital.settings",
        DATA_DIR=str(tmp_path),
        SECRET_KEY="concurrency-test-" + "k" * 50,
        TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        REPORT_RATE_LIMIT_PER_HOUR="100",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "errors []" in result.stdout, result.stdout
    assert "stored 40" in result.stdout
