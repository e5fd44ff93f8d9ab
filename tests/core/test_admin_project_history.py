"""A superuser's change in Django's admin goes through the service layer and is recorded in the history."""

import datetime

from django.contrib.auth.models import User

from stadtdigital.portfolio.models import Project
from tests.portfolio.conftest import field_of_action, make_project  # noqa: F401 (fixtures)


def test_admin_status_change_records_version(client, make_project):  # noqa: F811
    project = make_project()
    root = User.objects.create_superuser("root", password="x" * 12)
    client.force_login(root)
    data = {
        "title": project.title,
        "slug": project.slug,
        "field_of_action": project.field_of_action_id,
        "department": project.department_id,
        "status": "completed",
        "priority": project.priority,
        "planned_budget": "150000.00",
        **{
            f"{prefix}-{key}": value
            for prefix in ("milestones", "kpis", "links", "versions")
            for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))
        },
    }
    data["versions-INITIAL_FORMS"] = data["versions-TOTAL_FORMS"] = str(project.versions.count())
    data["versions-0-id"] = project.versions.get().pk
    data["versions-0-project"] = project.pk
    response = client.post(f"/admin/portfolio/project/{project.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(pk=project.pk)
    assert project.status == "completed"
    latest = project.versions.latest("id")
    assert (latest.status, latest.recorded_by, latest.effective_date) == (
        "completed",
        root,
        datetime.date.today(),
    )
