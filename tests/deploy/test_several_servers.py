"""The production shape on one machine (issue 14): PostgreSQL, an S3 API server (moto), two gunicorn app
servers A and B on different ports with their own local directories, two `stadtdigital worker` processes;
shared are only the database, the bucket and the SECRET_KEY.

Proves: a report with a photo posted to A is shown with its processed photo on B (and no server keeps a
local file); a login on A is valid on B; the rate limit is shared; kill -9 of a worker in the middle of a
task loses no task (the other worker takes it up after the watchdog's timeout); every task runs exactly once;
each daily job runs once per day although both workers look for due jobs every second.
"""

import re
import time
from pathlib import Path

import psycopg
import pytest
import requests

from tests.deploy.processes import AppServer, Worker, shared_environment, stadtdigital, wait_for
from tests.reports.test_intake_helpers import exif_with_gps_and_orientation, jpeg_bytes

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.xdist_group("several_servers"),
]  # one setup, on one xdist worker

RATE_LIMIT = 4
RECORD_TASKS = 24
SETUP = """
from django.contrib.auth.models import Group, User
from stadtdigital.core import roles
from stadtdigital.core.models import Department
from stadtdigital.reports.models import Category, CategoryGroup
department = Department.objects.create(name="Tiefbauamt", slug="tiefbau")
Category.objects.create(code="schlagloch", name="Schlagloch", department=department,
                        group=CategoryGroup.objects.create(name="Straße"))
user = User.objects.create_user("sachbearbeitung", password="correct-horse-battery-staple")
user.groups.add(Group.objects.get(name=roles.DIGITAL_OFFICE))
department.staff.add(user)
"""
# The quick tasks first, shared by both workers; then one that a worker is in the middle of when it is killed.
ENQUEUE = """
from tests.deploy.tasks import hold, record
for n in range({count}):
    record.enqueue(f"r{{n}}")
hold.enqueue("held")
"""


class Cluster:
    pass


@pytest.fixture(scope="module")
def cluster(postgres_server, s3_server, tmp_path_factory):
    started = time.monotonic()
    tmp = tmp_path_factory.mktemp("several-servers")
    c = Cluster()
    c.database_url = postgres_server.create_database("servers")
    c.bucket = s3_server.new_bucket()
    c.task_log = tmp / "tasks.log"
    c.task_log.touch()
    c.release = tmp / "release"
    env = shared_environment(
        c.database_url,
        s3_server.url(c.bucket),
        REPORT_RATE_LIMIT_PER_HOUR=str(RATE_LIMIT),
        TASK_HEARTBEAT_SECONDS="1",
        TASK_WORKER_TIMEOUT_SECONDS="3",
        DEPLOY_TEST_TASK_LOG=str(c.task_log),
        DEPLOY_TEST_RELEASE=str(c.release),
    )
    stadtdigital(env, "migrate", "--noinput", "-v", "0")
    stadtdigital(env, "shell", "-c", SETUP)
    c.api_key = stadtdigital(env, "open311", "create-key", "Mängel-App").strip().splitlines()[-1]
    c.servers = [AppServer(env, "server-a"), AppServer(env, "server-b")]
    c.workers = [Worker(env, "worker-1"), Worker(env, "worker-2")]
    try:
        for server in c.servers:
            server.wait_ready()
        stadtdigital(env, "shell", "-c", ENQUEUE.format(count=RECORD_TASKS))
        held = wait_for(lambda: _lines(c, "started"), 120)
        assert held, [worker.log_text()[-2000:] for worker in c.workers]
        c.killed = next(worker for worker in c.workers if worker.pid == int(held[0][2]))
        c.killed.kill()  # kill -9 in the middle of the task
        c.survivor = next(worker for worker in c.workers if worker is not c.killed)
        c.release.touch()  # a new run of the task may finish
        c.setup_seconds = time.monotonic() - started
        yield c
    finally:
        processes = (*c.servers, *c.workers)
        for process in processes:
            process.terminate()
        for process in processes:
            process.stop()


def _lines(c, event: str) -> list[list[str]]:
    return [line.split() for line in c.task_log.read_text().splitlines() if line.startswith(event + " ")]


def _query(c, sql: str, *params):
    with psycopg.connect(c.database_url) as connection:
        return connection.execute(sql, params).fetchall()


def _post_report(server, c, description: str, photo: bytes | None = None):
    files = {"media": ("IMG_0001.JPG", photo, "image/jpeg")} if photo else None
    data = {
        "api_key": c.api_key,
        "service_code": "schlagloch",
        "lat": "49.142",
        "long": "9.21",
        "description": description,
    }
    return requests.post(f"{server.url}/open311/v2/requests.json", data=data, files=files, timeout=60)


def test_a_report_with_a_photo_posted_to_a_is_shown_with_its_processed_photo_on_b(cluster, s3_server):
    server_a, server_b = cluster.servers
    raw = jpeg_bytes(size=(2400, 1600), exif=exif_with_gps_and_orientation(1))
    answer = _post_report(server_a, cluster, "Tiefes Schlagloch vor Hausnummer 12", raw)
    assert answer.status_code == 200, answer.text
    report_id = int(answer.json()[0]["service_request_id"])

    def processed():
        rows = _query(cluster, "SELECT id, status, image FROM reports_photo WHERE report_id = %s", report_id)
        return rows if rows and rows[0][1] != "pending" else None

    [(photo_id, status, image_name)] = wait_for(processed, 90)
    assert status == "ready"
    page = requests.get(f"{server_b.url}/anliegen/{report_id}/", timeout=30)
    assert page.status_code == 200
    photo_path = f"/anliegen/{report_id}/fotos/{photo_id}/"
    assert photo_path in page.text
    photo = requests.get(server_b.url + photo_path, timeout=30)
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/jpeg"
    assert photo.content == s3_server.objects(cluster.bucket)[image_name]
    assert b"Testkamera" not in photo.content  # processed: no EXIF
    assert len(photo.content) < len(raw)
    # Nothing on any server's local disk: the upload and the processed photo live in the bucket only.
    assert not [path for process in (*cluster.servers, *cluster.workers) for path in _media_files(process)]


def _media_files(process) -> list[Path]:
    root = Path(process.env["MEDIA_ROOT"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_login_on_a_is_valid_on_b(cluster):
    server_a, server_b = cluster.servers
    on_a = requests.Session()
    form = on_a.get(f"{server_a.url}/verwaltung/anmelden/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    login = on_a.post(
        f"{server_a.url}/verwaltung/anmelden/",
        data={
            "username": "sachbearbeitung",
            "password": "correct-horse-battery-staple",
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": f"{server_a.url}/verwaltung/anmelden/"},
        allow_redirects=False,
        timeout=30,
    )
    assert login.status_code == 302, login.text[-2000:]
    on_b = requests.Session()
    on_b.cookies.set("sessionid", on_a.cookies["sessionid"])
    backoffice = on_b.get(f"{server_b.url}/verwaltung/", allow_redirects=False, timeout=30)
    assert backoffice.status_code == 200
    assert "sachbearbeitung" in backoffice.text
    stranger = requests.get(f"{server_b.url}/verwaltung/", allow_redirects=False, timeout=30)
    assert stranger.status_code == 302  # without the session: to the login page


def test_the_rate_limit_is_shared_between_the_servers(cluster):
    server_a, server_b = cluster.servers
    already = _query(cluster, "SELECT count(*) FROM reports_report")[0][0]
    codes = []
    for n in range(RATE_LIMIT - already + 1):
        server = (server_b, server_a)[n % 2]
        codes.append(_post_report(server, cluster, f"Schlagloch Nummer {n} am Marktplatz").status_code)
    assert codes == [200] * (RATE_LIMIT - already) + [429]
    assert _post_report(server_a, cluster, "Noch ein Schlagloch").status_code == 429
    assert _post_report(server_b, cluster, "Und noch eines").status_code == 429
    assert _query(cluster, "SELECT count(*) FROM reports_report")[0][0] == RATE_LIMIT


def test_kill_9_of_a_worker_loses_no_task(cluster):
    finished = wait_for(lambda: _lines(cluster, "finished"), 120)
    assert finished, (cluster.survivor.log_text()[-3000:], _lines(cluster, "started"))
    assert finished == [["finished", "held", str(cluster.survivor.pid)]]
    [(status, worker_ids)] = _query(
        cluster,
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
        "tests.deploy.tasks.hold",
    )
    assert status == "SUCCESSFUL" and len(worker_ids) == 2  # claimed by the killed worker, then the survivor


def test_every_task_runs_exactly_once_and_each_daily_job_once_per_day(cluster):
    def queue_empty():
        rows = _query(
            cluster, "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
        )
        return dict(rows) if set(dict(rows)) == {"SUCCESSFUL"} else None

    assert wait_for(queue_empty, 120), _query(
        cluster,
        "SELECT task_path, status FROM django_tasks_database_dbtaskresult WHERE status <> 'SUCCESSFUL'",
    )
    ran = _lines(cluster, "ran")
    assert sorted(key for _event, key, _pid in ran) == sorted(f"r{n}" for n in range(RECORD_TASKS))
    assert len({pid for _event, _key, pid in ran}) == 2  # both workers took tasks from the one queue
    claims = _query(
        cluster,
        "SELECT task_path, jsonb_array_length(worker_ids::jsonb) FROM django_tasks_database_dbtaskresult",
    )
    assert {count for path, count in claims if path != "tests.deploy.tasks.hold"} == {1}

    daily_jobs = (
        stadtdigital(
            cluster.survivor.env,
            "shell",
            "-c",
            "from stadtdigital.core import scheduling; print(*scheduling.daily_jobs())",
        )
        .splitlines()[-1]
        .split()
    )
    assert daily_jobs
    runs = _query(cluster, "SELECT name, day, count(*) FROM core_dailyjobrun GROUP BY name, day")
    assert sorted(name for name, _day, count in runs if count == 1) == sorted(daily_jobs)
    assert len({day for _name, day, _count in runs}) == 1
    enqueued = _query(
        cluster,
        "SELECT args_kwargs::jsonb -> 'args' ->> 0, count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'stadtdigital.core.scheduling.run_daily_job' GROUP BY 1",
    )
    assert dict(enqueued) == dict.fromkeys(daily_jobs, 1)
