"""Findings of personal data for the demo reports whose text held some (demo/texts.py adds it to ~4 %).

Like the intake, the demo stores such texts masked. Reports staff have already closed were reviewed (kept
masked, original deleted); open ones wait in the back office's "Persönliche Daten" tab with the original.
"""

from stadtdigital.reports.models import PersonalDataFinding, PersonalDataReview


def write_findings(plans) -> None:
    findings = []
    for plan in plans:
        if plan.personal_data is None:
            continue
        kinds, original = plan.personal_data
        report = plan.report
        handled = [e for e in plan.events if e["actor"] is not None]
        finding = PersonalDataFinding(report_id=report.pk, kinds=kinds, created_at=report.created_at)
        # Closed reports were reviewed on the way; open ones still wait in the moderation queue.
        if handled and not report.is_open:
            first = min(handled, key=lambda e: e["created_at"])
            finding.review = PersonalDataReview.KEPT_MASKED
            finding.reviewed_at = first["created_at"]
            finding.reviewed_by = first["actor"]
        else:
            finding.original_description = original
        findings.append(finding)
    PersonalDataFinding.objects.bulk_create(findings, batch_size=1000)
