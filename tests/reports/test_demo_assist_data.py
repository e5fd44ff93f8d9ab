"""The demo's texts are realistic enough for the assistance to be measured: varied, ~15 % misfiled and
corrected by staff, planted duplicates, some personal data (stored masked); and evaluate-assist runs on it."""

from collections import Counter

import pytest

from stadtdigital.reports.assist import evaluation
from stadtdigital.reports.models import (
    Event,
    EventKind,
    PersonalDataFinding,
    PersonalDataReview,
    Report,
    State,
)

# The demo loaded once for this module, and removed completely afterwards (shared with test_demo_reports).
from tests.reports.test_demo_reports import demo  # noqa: E402, F401


@pytest.mark.django_db
def test_texts_are_varied_short_and_long(demo):  # noqa: F811
    texts = list(Report.objects.values_list("description", flat=True))
    assert len(set(texts)) / len(texts) > 0.85
    lengths = sorted(len(t) for t in texts)
    assert lengths[len(lengths) // 10] < 40  # one-line notes
    assert lengths[len(lengths) * 9 // 10] > 120  # whole letters
    assert sum(" isch " in t or " net " in t for t in texts) > 100  # dialect
    assert sum(t == t.lower() for t in texts) > 300  # typed in a hurry


@pytest.mark.django_db
def test_about_fifteen_percent_misfiled_and_corrected_by_staff(demo):  # noqa: F811
    corrected = Event.objects.filter(kind=EventKind.CATEGORY).values_list("report_id", "data", "actor")
    corrected = list(corrected)
    share = len({r for r, _d, _a in corrected}) / Report.objects.count()
    assert 0.10 < share < 0.16
    for _report_id, data, actor in corrected:
        assert actor is not None
        assert data["from"] != data["to"]
    final = dict(Report.objects.filter(pk__in=[r for r, _d, _a in corrected]).values_list("pk", "category"))
    assert all(final[r] == d["to"] for r, d, _a in corrected)


@pytest.mark.django_db
def test_planted_duplicates_describe_the_same_problem_nearby(demo):  # noqa: F811
    pairs = list(
        Report.objects.filter(state=State.DUPLICATE, duplicate_of__isnull=False).values_list(
            "description", "duplicate_of__description"
        )
    )
    assert len(pairs) > 200
    assert sum(a != b for a, b in pairs) / len(pairs) > 0.95  # in their own words


@pytest.mark.django_db
def test_personal_data_is_stored_masked_with_a_finding(demo):  # noqa: F811
    findings = PersonalDataFinding.objects.select_related("report")
    assert 100 < findings.count() < 400
    assert not Report.objects.filter(description__contains="@example.org").exists()
    kinds = Counter(kind for f in findings for kind in f.kinds)
    assert set(kinds) == {"email", "phone", "plate", "iban"}
    pending = findings.filter(review=PersonalDataReview.PENDING)
    assert pending.exists()
    assert all(f.original_description and f.report.description != f.original_description for f in pending)
    assert all(not f.original_description for f in findings.exclude(review=PersonalDataReview.PENDING))


@pytest.mark.django_db
def test_evaluate_assist_on_the_demo_gives_every_figure(demo):  # noqa: F811
    result = evaluation.evaluate().as_dict()
    assert result["test_reports"] > 500
    # Not perfect (the old template texts gave ~100 %), but far better than guessing among 13 categories.
    assert 0.5 < result["top1"] < 0.99
    assert result["top3"] > result["top1"]
    assert len(result["per_category"]) >= 10
    assert result["citizen_mistakes"] > 30
    assert result["caught_by_suggestions"] is not None
    assert result["duplicates"]["duplicates"] > 20
    assert result["duplicates"]["recall"] is not None
    text = "\n".join(evaluation.lines(result))
    print(text)
    assert "Top-1" in text and "Duplikaterkennung" in text
