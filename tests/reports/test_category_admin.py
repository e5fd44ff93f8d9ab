"""Back office pages for the category catalogue: /verwaltung/anliegen/kategorien/ (groups, categories and
their extra questions), who may change them, and what stored data they never lose."""

import pytest
from django.urls import reverse

from stadtdigital.core import roles
from stadtdigital.reports.forms_categories import parse_choices
from stadtdigital.reports.models import (
    AttributeValue,
    Category,
    CategoryGroup,
    CategoryQuestion,
    QuestionType,
    Report,
)
from tests.conftest import make_user

LIST = "/verwaltung/anliegen/kategorien/"
CREATE = "/verwaltung/anliegen/kategorien/neu/"
FIELDS = ("id", "label", "code", "datatype", "required", "help_text", "position", "choices_text", "DELETE")


def edit_url(category):
    return reverse("reports:backoffice-category-edit", kwargs={"code": category.code})


def category_data(category_group, department, *, questions=(), initial=0, **fields):
    """POST data of the category form; `questions` are dicts of question fields (formset prefix "fragen")."""
    data = {
        "code": "",
        "name": "Wilder Müll",
        "group": category_group.pk,
        "department": department.pk,
        "description": "",
        "keywords": "Sperrmüll, Ablagerung",
        "duplicate_radius_m": "50",
        "target_days": "5",
        "notice": "",
        "emergency_notice": "",
        "position": "0",
        "is_active": "on",
        "fragen-TOTAL_FORMS": str(len(questions)),
        "fragen-INITIAL_FORMS": str(initial),
        "fragen-MIN_NUM_FORMS": "0",
        "fragen-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    for index, question in enumerate(questions):
        for name in FIELDS:
            value = question.get(name, "")
            if name in ("required", "DELETE") and not value:
                continue
            data[f"fragen-{index}-{name}"] = "on" if value is True else value
    return {key: value for key, value in data.items() if value is not None}


def existing(question: CategoryQuestion, **changes) -> dict:
    from stadtdigital.reports.forms_categories import format_choices

    values = {
        "id": str(question.pk),
        "label": question.label,
        "code": question.code,
        "datatype": question.datatype,
        "required": question.required,
        "help_text": question.help_text,
        "position": str(question.position),
        "choices_text": format_choices(question.choices),
    }
    values.update(changes)
    return values


@pytest.fixture
def manager(digital_office_user, client):
    client.force_login(digital_office_user)
    return client


@pytest.fixture
def questions_of(category):
    CategoryQuestion.objects.create(
        category=category, code="tiefe", label="Wie tief?", datatype=QuestionType.NUMBER, position=1
    )
    return CategoryQuestion.objects.create(
        category=category,
        code="gefahr",
        label="Gefahr für",
        datatype=QuestionType.MULTIPLE_CHOICE,
        choices=[{"key": "rad", "name": "Radfahrende"}, {"key": "fuss", "name": "Fußgänger"}],
        position=2,
    )


# --- choices parsing ----------------------------------------------------------------------------------------


def test_parse_choices_keys_and_names():
    assert parse_choices("klein = Kleiner Haufen\n\n Großer Haufen \nSperrmüll-Berg") == [
        {"key": "klein", "name": "Kleiner Haufen"},
        {"key": "grosser-haufen", "name": "Großer Haufen"},
        {"key": "sperrmuell-berg", "name": "Sperrmüll-Berg"},
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("a = Eins\na = Zwei", "kommt mehrfach vor"),
        ("Glätte\nglaette = Glätte nochmal", "kommt mehrfach vor"),
        ("a b = Eins", "nur Buchstaben, Ziffern"),
        (" = Eins", "Schlüssel = Name"),
        ("???", "kein Schlüssel"),
    ],
)
def test_parse_choices_rejects(text, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        parse_choices(text)
    assert message in " ".join(info.value.messages)


# --- list ---------------------------------------------------------------------------------------------------


def test_list_shows_groups_categories_and_counts(
    manager, category, other_category, questions_of, make_report
):
    make_report()
    make_report()
    empty = CategoryGroup.objects.create(name="Grün und Spiel", position=5)
    response = manager.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Straße und Verkehr" in html and empty.name in html
    assert "Straßenschäden und Schlaglöcher" in html and "<code>schlagloch</code>" in html
    assert "AfD" in html and "SVA" in html
    assert response.context["groups"][0].category_list[1].report_count == 2
    assert response.context["groups"][0].category_list[1].question_count == 2
    assert edit_url(category) in html and CREATE in html


def test_department_staff_see_the_list_read_only(client, department_user, category):
    client.force_login(department_user)
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200 and category.name in html
    assert edit_url(category) not in html and CREATE not in html and "Nur lesen" in html


def test_anonymous_goes_to_login(client, category):
    response = client.get(LIST)
    assert response.status_code == 302 and "anmelden" in response["Location"]


def test_card_links_to_categories_only_for_managers(client, department_user, digital_office_user, db):
    link = f'href="{LIST}"'
    client.force_login(department_user)
    assert link not in client.get("/verwaltung/").content.decode()
    client.force_login(make_user("leitstelle", roles.LEITSTELLE))
    assert link in client.get("/verwaltung/").content.decode()
    client.force_login(digital_office_user)
    assert link in client.get("/verwaltung/").content.decode()


# --- create and edit ----------------------------------------------------------------------------------------


ALL_TYPES = [
    {"label": "Was liegt dort?", "datatype": QuestionType.STRING, "required": True, "position": "1"},
    {"label": "Wie viele Säcke?", "code": "saecke", "datatype": QuestionType.NUMBER, "position": "2"},
    {"label": "Seit wann?", "datatype": QuestionType.DATETIME, "help_text": "ungefähr", "position": "3"},
    {"label": "Weitere Angaben", "datatype": QuestionType.TEXT, "position": "4"},
    {
        "label": "Menge",
        "datatype": QuestionType.SINGLE_CHOICE,
        "required": True,
        "position": "5",
        "choices_text": "klein = Ein Sack\ngross = Eine Ladung\nRiesig",
    },
    {
        "label": "Was genau?",
        "datatype": QuestionType.MULTIPLE_CHOICE,
        "position": "6",
        "choices_text": "Elektrogeräte\nReifen\nbau = Bauschutt",
    },
]


def test_create_category_with_a_question_of_each_type(manager, category_group, department):
    response = manager.post(CREATE, category_data(category_group, department, questions=ALL_TYPES))
    assert response.status_code == 302 and response["Location"] == LIST
    category = Category.objects.get(code="wilder-muell")
    assert (category.department, category.target_days, category.duplicate_radius_m) == (department, 5, 50)
    assert category.is_active
    questions = list(category.questions.all())
    assert [q.datatype for q in questions] == [t["datatype"] for t in ALL_TYPES]
    assert [q.code for q in questions] == [
        "was-liegt-dort",
        "saecke",
        "seit-wann",
        "weitere-angaben",
        "menge",
        "was-genau",
    ]
    assert questions[0].required and not questions[1].required and questions[2].help_text == "ungefähr"
    assert questions[4].choices == [
        {"key": "klein", "name": "Ein Sack"},
        {"key": "gross", "name": "Eine Ladung"},
        {"key": "riesig", "name": "Riesig"},
    ]
    assert [c["key"] for c in questions[5].choices] == ["elektrogeraete", "reifen", "bau"]
    assert all(q.choices == [] for q in questions[:4])
    # The citizen form asks them.
    html = manager.get("/anliegen/neu/", {"kategorie": "wilder-muell", "lat": "49.142", "lon": "9.21"})
    assert "Wie viele Säcke?" in html.content.decode() and "Eine Ladung" in html.content.decode()


def test_edit_category_changes_questions(manager, category, questions_of, department, other_department):
    depth = category.questions.get(code="tiefe")
    data = category_data(
        category.group,
        other_department,
        name="Schlaglöcher",
        target_days="20",
        duplicate_radius_m="80",
        emergency_notice="Bei Gefahr: 112",
        is_active="on",
        initial=2,
        questions=[
            existing(depth, DELETE=True),
            existing(
                questions_of, label="Gefahr für wen?", choices_text="rad = Radfahrende\nfuss = Zu Fuß\nKinder"
            ),
            {"label": "Fahrspur", "datatype": QuestionType.SINGLE_CHOICE, "choices_text": "links\nrechts"},
        ],
    )
    response = manager.post(edit_url(category), data)
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.code == "schlagloch" and category.name == "Schlaglöcher"
    assert category.department == other_department and category.target_days == 20
    assert category.duplicate_radius_m == 80 and category.emergency_notice == "Bei Gefahr: 112"
    assert list(category.questions.values_list("code", flat=True)) == ["gefahr", "fahrspur"]  # new: last
    questions_of.refresh_from_db()
    assert questions_of.label == "Gefahr für wen?" and questions_of.choices[2] == {
        "key": "kinder",
        "name": "Kinder",
    }


def test_changing_the_department_keeps_existing_reports(manager, category, make_report, other_department):
    report = make_report()
    response = manager.get(edit_url(category))
    assert "nur für neue" in response.content.decode()
    manager.post(edit_url(category), category_data(category.group, other_department, name=category.name))
    report.refresh_from_db()
    assert report.department != other_department


def test_the_code_cannot_be_changed(manager, category, department):
    data = category_data(category.group, department, code="anders", name=category.name)
    assert manager.post(edit_url(category), data).status_code == 302
    category.refresh_from_db()
    assert category.code == "schlagloch"


@pytest.mark.parametrize(
    "question, message",
    [
        ({"label": "Menge", "datatype": QuestionType.SINGLE_CHOICE}, "mindestens eine Auswahlmöglichkeit"),
        (
            {"label": "Was?", "datatype": QuestionType.MULTIPLE_CHOICE, "choices_text": "\n \n"},
            "mindestens eine",
        ),
        (
            {"label": "Tiefe", "datatype": QuestionType.NUMBER, "choices_text": "a\nb"},
            "nur bei „Auswahl (eine)“",
        ),
        (
            {"label": "Menge", "datatype": QuestionType.SINGLE_CHOICE, "choices_text": "a = Eins\na = Zwei"},
            "kommt mehrfach vor",
        ),
    ],
)
def test_choice_errors_are_shown_and_nothing_is_saved(manager, category_group, department, question, message):
    data = category_data(category_group, department, questions=[question], keywords="bleibt erhalten")
    response = manager.post(CREATE, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and 'id="error-summary"' in html and "Zusatzfrage 1: Auswahlmöglichkeiten" in html
    assert 'value="bleibt erhalten"' in html
    assert not Category.objects.exists() and not CategoryQuestion.objects.exists()


def test_choice_error_on_edit_changes_nothing(manager, category, questions_of, department):
    data = category_data(
        category.group,
        department,
        name="Neuer Name",
        initial=2,
        questions=[
            existing(category.questions.get(code="tiefe"), label="Wie tief genau?"),
            existing(questions_of, choices_text=""),
        ],
    )
    response = manager.post(edit_url(category), data)
    assert response.status_code == 200 and "mindestens eine Auswahlmöglichkeit" in response.content.decode()
    category.refresh_from_db()
    assert category.name == "Straßenschäden und Schlaglöcher"
    assert category.questions.get(code="tiefe").label == "Wie tief?"
    assert "Kategorie „Straßenschäden und Schlaglöcher“ bearbeiten" in response.content.decode()


def test_duplicate_question_codes_are_rejected(manager, category_group, department):
    data = category_data(
        category_group,
        department,
        questions=[
            {"label": "Ort", "code": "ort", "datatype": QuestionType.STRING},
            {"label": "Ort genauer", "code": "ort", "datatype": QuestionType.TEXT},
        ],
    )
    response = manager.post(CREATE, data)
    assert "hat schon eine andere Frage" in response.content.decode()
    assert not Category.objects.exists()


def test_reserved_and_taken_codes(manager, category, category_group, department):
    response = manager.post(CREATE, category_data(category_group, department, code="neu"))
    assert "reserviert" in response.content.decode()
    response = manager.post(CREATE, category_data(category_group, department, code="schlagloch"))
    assert "schon vergeben" in response.content.decode()
    assert Category.objects.count() == 1


# --- questions with answers ---------------------------------------------------------------------------------


@pytest.fixture
def answered(category, questions_of, make_report):
    report = make_report()
    AttributeValue.objects.create(report=report, question=questions_of, value=["rad"])
    return questions_of


def test_a_question_with_answers_cannot_be_deleted(manager, category, answered, department):
    page = manager.get(edit_url(category)).content.decode()
    assert "1 Antwort" in page
    data = category_data(
        category.group,
        department,
        name="Anderer Name",
        initial=2,
        questions=[existing(category.questions.get(code="tiefe")), existing(answered, DELETE=True)],
    )
    response = manager.post(edit_url(category), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "wurde schon einmal beantwortet und lässt sich nicht" in html and 'id="error-summary"' in html
    assert CategoryQuestion.objects.filter(pk=answered.pk).exists()
    assert AttributeValue.objects.filter(question=answered).count() == 1
    category.refresh_from_db()
    assert category.name == "Straßenschäden und Schlaglöcher"


def test_an_answered_question_keeps_its_type_and_chosen_keys(manager, category, answered, department):
    base = [existing(category.questions.get(code="tiefe"))]
    data = category_data(
        category.group,
        department,
        name=category.name,
        initial=2,
        questions=[*base, existing(answered, datatype=QuestionType.STRING, choices_text="")],
    )
    assert "die Art lässt sich nicht mehr ändern" in manager.post(edit_url(category), data).content.decode()
    data = category_data(
        category.group,
        department,
        name=category.name,
        initial=2,
        questions=[*base, existing(answered, choices_text="fuss = Zu Fuß")],
    )
    assert "„rad“ wurde schon gewählt" in manager.post(edit_url(category), data).content.decode()
    data = category_data(
        category.group,
        department,
        name=category.name,
        initial=2,
        questions=[*base, existing(answered, choices_text="rad = Rad- und Rollerfahrende\nfuss = Zu Fuß")],
    )
    assert manager.post(edit_url(category), data).status_code == 302
    answered.refresh_from_db()
    assert answered.choices[0] == {"key": "rad", "name": "Rad- und Rollerfahrende"}


def test_an_unanswered_question_can_be_deleted(manager, category, questions_of, department):
    data = category_data(
        category.group,
        department,
        name=category.name,
        initial=2,
        questions=[existing(category.questions.get(code="tiefe"), DELETE=True), existing(questions_of)],
    )
    assert manager.post(edit_url(category), data).status_code == 302
    assert list(category.questions.values_list("code", flat=True)) == ["gefahr"]


# --- permissions --------------------------------------------------------------------------------------------


def test_department_staff_cannot_change_categories(
    client, department_user, category, category_group, department
):
    client.force_login(department_user)
    delete = reverse("reports:backoffice-category-delete", kwargs={"code": category.code})
    group = reverse("reports:backoffice-category-group-edit", kwargs={"pk": category_group.pk})
    for address in (
        edit_url(category),
        CREATE,
        delete,
        group,
        "/verwaltung/anliegen/kategorien/gruppen/neu/",
    ):
        assert client.get(address).status_code == 403, address
    data = category_data(category_group, department, name="Umbenannt")
    assert client.post(edit_url(category), data).status_code == 403
    assert client.post(CREATE, category_data(category_group, department, code="neu-hier")).status_code == 403
    assert client.post(delete, {"action": "deactivate"}).status_code == 403
    assert client.post(group, {"name": "Umbenannt", "position": "0"}).status_code == 403
    category.refresh_from_db()
    category_group.refresh_from_db()
    assert category.name == "Straßenschäden und Schlaglöcher" and category.is_active
    assert category_group.name == "Straße und Verkehr" and Category.objects.count() == 1


@pytest.mark.parametrize("role", [roles.LEITSTELLE, roles.DIGITAL_OFFICE, None])
def test_leitstelle_digital_office_and_superuser_may_change(client, category, role):
    user = make_user("berechtigt", role)
    if role is None:
        user.is_superuser = True
        user.save()
    client.force_login(user)
    assert client.get(edit_url(category)).status_code == 200
    assert client.get(CREATE).status_code == 200


def test_read_only_role_cannot_change(client, category):
    client.force_login(make_user("lesen", roles.READ_ONLY))
    assert client.get(LIST).status_code == 200
    assert client.get(edit_url(category)).status_code == 403


# --- deactivate, delete, groups -----------------------------------------------------------------------------


def test_deactivating_hides_the_category_from_the_citizen_form_but_keeps_its_reports(
    manager, category, other_category, make_report
):
    report = make_report()
    delete = reverse("reports:backoffice-category-delete", kwargs={"code": category.code})
    page = manager.get(delete).content.decode()
    assert "nur deaktivieren" in page and "Endgültig löschen" not in page
    assert manager.post(delete, {"action": "delete"}).status_code == 302
    assert Category.objects.filter(pk=category.pk).exists()
    response = manager.post(delete, {"action": "deactivate"})
    assert response.status_code == 302
    category.refresh_from_db()
    assert not category.is_active
    citizen_form = manager.get("/anliegen/neu/").content.decode()
    assert 'value="schlagloch"' not in citizen_form and 'value="spielplatz"' in citizen_form
    assert Report.objects.filter(pk=report.pk, category=category).exists()
    assert manager.get(f"/anliegen/{report.pk}/").status_code == 200
    listing = manager.get(LIST).content.decode()
    assert "<strong>nein</strong>" in listing
    # ... and back.
    manager.post(delete, {"action": "activate"})
    assert 'value="schlagloch"' in manager.get("/anliegen/neu/").content.decode()


def test_deactivating_through_the_edit_form(manager, category, department):
    data = category_data(category.group, department, name=category.name, is_active=None)
    assert manager.post(edit_url(category), data).status_code == 302
    category.refresh_from_db()
    assert not category.is_active


def test_a_category_without_reports_can_be_deleted(manager, category, questions_of):
    delete = reverse("reports:backoffice-category-delete", kwargs={"code": category.code})
    assert "Endgültig löschen" in manager.get(delete).content.decode()
    assert manager.post(delete, {"action": "delete"}).status_code == 302
    assert not Category.objects.exists() and not CategoryQuestion.objects.exists()


def test_groups_create_and_edit(manager, category_group):
    response = manager.post("/verwaltung/anliegen/kategorien/gruppen/neu/", {"name": "Grün", "position": "3"})
    assert response.status_code == 302
    assert CategoryGroup.objects.filter(name="Grün", position=3).exists()
    edit = reverse("reports:backoffice-category-group-edit", kwargs={"pk": category_group.pk})
    response = manager.post(edit, {"name": "Grün", "position": "1"})
    assert response.status_code == 200 and 'id="error-summary"' in response.content.decode()
    assert manager.post(edit, {"name": "Straßen", "position": "1"}).status_code == 302
    category_group.refresh_from_db()
    assert category_group.name == "Straßen"


def test_category_urls_do_not_collide_with_report_urls(category):
    assert reverse("reports:backoffice-categories") == LIST
    assert reverse("reports:backoffice-report", kwargs={"pk": 1}) == "/verwaltung/anliegen/1/"
