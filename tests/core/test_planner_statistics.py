"""Planner statistics (decision 0025): gathered after migrate, after bulk loads, and as a daily job."""

import pytest
from django.db import connection

from stadtdigital.core.db import update_planner_statistics
from stadtdigital.core.scheduling import daily_jobs
from stadtdigital.reports.demo import generate_reports

pytestmark = pytest.mark.django_db


def sqlite_stat_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM sqlite_stat1")
        return {table for (table,) in cursor.fetchall()}


def test_statistics_are_a_daily_job():
    assert "stadtdigital.core.db.update_planner_statistics" in daily_jobs()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps its statistics in sqlite_stat1")
def test_sqlite_has_statistics_after_migrate_and_a_bulk_load():
    # The test database was built by migrate, whose post_migrate signal ran ANALYZE.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 1
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
    generate_reports(300, events=False)
    assert "reports_report" in sqlite_stat_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'report_public_created_idx'")
        assert int(cursor.fetchone()[0].split()[0]) == 300  # rows counted


def test_update_runs_on_either_database():
    assert update_planner_statistics().startswith(connection.vendor)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite plans from sqlite_stat1")
def test_sqlite_reads_open311_boxes_through_the_map_index_with_statistics():
    from django.http import QueryDict

    from stadtdigital.open311 import selectors
    from stadtdigital.open311.views.read import filtered_requests

    generate_reports(2000, events=False)
    queryset, offset, limit = filtered_requests(QueryDict("bbox=9.200,49.140,9.204,49.143"))
    sql, params = queryset[offset:limit].values(*selectors.REQUEST_COLUMNS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert "report_map_idx" in plan and "report_nearby_idx" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite plans from sqlite_stat1")
def test_sqlite_reads_the_duplicate_look_up_through_the_map_index_with_statistics():
    # With the pinned statistics of report_nearby_idx but no `noskipscan`, SQLite skip-scanned it; and
    # with the period's bounds usable, it walked report_public_created_idx through 45 days of reports.
    from django.utils import timezone

    from stadtdigital.reports.assist.duplicates import open_reports_around
    from stadtdigital.reports.models import Category, Report

    generate_reports(2000, events=False)
    report = Report(category=Category.objects.first(), lat=49.14, lon=9.21, created_at=timezone.now())
    sql, params = open_reports_around(report).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert "report_map_idx (visibility=? AND is_open=? AND lat>? AND lat<?)" in plan, plan
