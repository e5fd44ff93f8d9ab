"""Publishing freezes a report: every format is rendered once and stored; pages serve those bytes."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtdigital.portfolio.annual_report.figures import build_report_data, headline_figures
from stadtdigital.portfolio.annual_report.render import (
    render_annex_csv,
    render_html,
    render_json,
    render_pdf,
)
from stadtdigital.portfolio.models import PublishedReport


class PublishError(ValueError):
    """A report cannot be published; the message says why, in German, for the user."""


def publish_report(
    *, as_of: datetime.date, year: int | None = None, title: str | None = None, user=None
) -> PublishedReport:
    """Builds the report as of `as_of` in every format and stores it as the published report of `year`.

    `year` defaults to the Stichtag's year; a year is published once (a PublishError otherwise), and the
    Stichtag must not lie in the future. The stored bytes are never regenerated.
    """
    year = year or as_of.year
    if as_of > timezone.localdate():
        raise PublishError(
            _(
                "Der Stichtag %(date)s liegt in der Zukunft; veröffentlicht werden kann nur ein "
                "Bericht zu einem vergangenen oder heutigen Stichtag."
            )
            % {"date": f"{as_of:%d.%m.%Y}"}
        )
    title = (title or "").strip() or None
    existing = PublishedReport.objects.filter(year=year).only("as_of").first()
    if existing is not None:
        raise PublishError(_already_published(year, existing.as_of))
    # Rendering takes seconds; it happens outside the transaction so no write lock is held meanwhile.
    data = build_report_data(as_of, year=year, title=title)
    report = PublishedReport(
        year=year,
        as_of=as_of,
        title=data["title"],
        published_by=user if user is not None and user.is_authenticated else None,
        figures=headline_figures(data),
        report_json=render_json(data),
        report_html=render_html(data).encode("utf-8"),
        report_pdf=render_pdf(data),
        annex_csv=render_annex_csv(data),
        is_synthetic=data["is_synthetic"],
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # the same year was published concurrently
        raise PublishError(_already_published(year, as_of)) from exc
    return report


def _already_published(year: int, as_of: datetime.date) -> str:
    return _(
        "Für das Berichtsjahr %(year)s ist bereits ein Bericht veröffentlicht (Stichtag %(date)s). "
        "Ein veröffentlichter Bericht wird nicht überschrieben; wählen Sie ein anderes Berichtsjahr."
    ) % {"year": year, "date": f"{as_of:%d.%m.%Y}"}


def stored_bytes(report: PublishedReport, fmt: str) -> bytes:
    """The frozen file of a published report (PostgreSQL returns memoryview, SQLite bytes)."""
    field = {"html": "report_html", "pdf": "report_pdf", "json": "report_json", "csv": "annex_csv"}[fmt]
    return bytes(getattr(report, field))
