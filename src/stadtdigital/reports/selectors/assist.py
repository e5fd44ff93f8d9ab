"""What the back office shows from the assistance: a report's suggested category (where it differs),
its likely duplicates, its personal-data finding, and the figures of the current model.

The duplicate and evaluation modules are imported on first use: they load scikit-learn and numpy (about
80 MB), which a web process should only pay for when it shows a case page."""

from stadtdigital.reports.assist.suggestions import staff_suggestion
from stadtdigital.reports.models import AssistModel
from stadtdigital.reports.services.personal_data import kind_labels, pending_finding


def report_panel(report) -> dict:
    from stadtdigital.reports.assist.duplicates import likely_duplicates

    finding = pending_finding(report)
    return {
        "suggestion": staff_suggestion(report) if report.is_open else None,
        "likely_duplicates": likely_duplicates(report)
        if report.is_open and not report.duplicate_of_id
        else [],
        "finding": finding,
        "finding_kinds": kind_labels(finding.kinds) if finding else [],
    }


def current_model_figures() -> dict | None:
    model = AssistModel.objects.filter(is_current=True).defer("data").order_by("-version").first()
    if model is None:
        return None
    from stadtdigital.reports.assist.evaluation import lines

    return {
        "model": model,
        "categories": sorted(model.categories.values(), key=lambda c: c["name"]),
        "lines": lines(model.metrics) if model.metrics else [],
        "metrics": model.metrics,
    }
