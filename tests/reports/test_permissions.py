"""Who sees and changes which report (reports/permissions.py)."""

from django.contrib.auth.models import User

from stadtdigital.core import roles
from stadtdigital.reports import permissions
from stadtdigital.reports.models import AnswerTemplate
from tests.conftest import make_user


def test_rules_per_role(make_report, other_category, department, other_department, department_user):
    own = make_report()
    foreign = make_report(category=other_category)
    office = make_user("cdo", roles.DIGITAL_OFFICE)
    leitstelle = make_user("leit", roles.LEITSTELLE)
    reader = make_user("lesend", roles.READ_ONLY)
    both = make_user("beide", roles.DEPARTMENT_STAFF, [department, other_department])

    assert permissions.can_change_report(department_user, own)
    assert not permissions.can_view_report(department_user, foreign)
    assert not permissions.can_change_report(department_user, foreign)
    assert list(permissions.visible_reports(department_user)) == [own]
    for user in (office, leitstelle):
        assert permissions.can_change_report(user, foreign) and permissions.can_change_report(user, own)
        assert set(permissions.visible_reports(user)) == {own, foreign}
    assert permissions.can_view_report(reader, foreign) and not permissions.can_change_report(reader, foreign)
    assert not permissions.can_see_personal_data(reader, own)
    assert set(permissions.visible_reports(both)) == {own, foreign}


def test_membership_without_role_and_inactive_users_get_nothing(make_report, department):
    report = make_report()
    member = User.objects.create_user("nur-mitglied", password="x" * 12)
    department.staff.add(member)
    assert not permissions.can_view_report(member, report)
    assert not permissions.visible_reports(member).exists()
    leitstelle = make_user("leit", roles.LEITSTELLE)
    leitstelle.is_active = False
    leitstelle.save()
    assert not permissions.can_change_report(leitstelle, report)


def test_leitstelle_role_is_a_staff_role(db):
    user = make_user("leit", roles.LEITSTELLE)
    assert roles.is_staff_member(user)
    assert roles.LEITSTELLE in roles.ROLE_LABELS


def test_template_rules(category, other_category, department_user):
    own = AnswerTemplate.objects.create(title="a", text="t", category=category)
    foreign = AnswerTemplate.objects.create(title="b", text="t", category=other_category)
    common = AnswerTemplate.objects.create(title="c", text="t")
    assert permissions.can_change_template(department_user, own)
    assert not permissions.can_change_template(department_user, foreign)
    assert not permissions.can_change_template(department_user, common)
    assert set(permissions.visible_templates(department_user)) == {own, common}
    assert permissions.can_change_template(make_user("leit", roles.LEITSTELLE), common)
