"""The Digitalisierungsbericht: public /berichte/ pages and the back office's generate/publish page.

Published reports are served from their stored bytes only; nothing here regenerates a published report.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Length
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from stadtdigital.core.csp import allow_own_style_elements, svg_presentation_attributes
from stadtdigital.core.numbers import format_decimal_de, format_integer_de
from stadtdigital.core.roles import is_digital_office
from stadtdigital.core.views import staff_required
from stadtdigital.portfolio.annual_report import figures as report_figures
from stadtdigital.portfolio.annual_report import formatting as fmt
from stadtdigital.portfolio.annual_report.publishing import PublishError, publish_report, stored_bytes
from stadtdigital.portfolio.annual_report.render import FILE_NAMES, MEDIA_TYPES, html_fragment
from stadtdigital.portfolio.annual_report.render import render as render_report
from stadtdigital.portfolio.models import PublishedReport

FORMAT_CHOICES = [
    ("html", _("Webseite (HTML)")),
    ("pdf", _("PDF")),
    ("json", _("Anhang JSON")),
    ("csv", _("Anhang CSV")),
]
LIST_FIELDS = ("year", "as_of", "title", "published_at", "figures", "is_synthetic")


def _headline(report: PublishedReport) -> dict:
    """Display strings of a published report's stored headline figures."""
    figures = report.figures or {}
    by_status = figures.get("projects_by_status") or {}
    largest = figures.get("largest_field_of_action_by_cost") or {}
    comparison = figures.get("comparison") or {}
    return {
        "total": format_integer_de(int(figures.get("total_projects", 0))),
        "completed": format_integer_de(int(by_status.get("completed", 0))),
        "implementation": format_integer_de(int(by_status.get("implementation", 0))),
        "preparation": format_integer_de(int(by_status.get("preparation", 0))),
        "implementation_cost": fmt.eur_short(figures.get("implementation_cost_eur")),
        "largest": largest.get("name", ""),
        "changes": comparison.get("summary") or [],
    }


def report_list(request):
    reports = PublishedReport.objects.only(*LIST_FIELDS).order_by("-as_of", "-year")
    rows = [{"report": r, "headline": _headline(r), "as_of_de": fmt.date_de(r.as_of)} for r in reports]
    return render(request, "portfolio/reports/list.html", {"rows": rows})


def _published(year: int, *fields) -> PublishedReport:
    queryset = PublishedReport.objects.only(*fields) if fields else PublishedReport.objects.all()
    return get_object_or_404(queryset, year=year)


def report_detail(request, year: int):
    report = get_object_or_404(
        PublishedReport.objects.only(*LIST_FIELDS, "report_html").annotate(
            size_pdf=Length("report_pdf"),
            size_json=Length("report_json"),
            size_csv=Length("annex_csv"),
            size_html=Length("report_html"),
        ),
        year=year,
    )
    # The stored charts carry matplotlib's style="" attributes; the page's CSP allows no inline styles.
    fragment = svg_presentation_attributes(html_fragment(stored_bytes(report, "html").decode("utf-8")))
    context = {
        "report": report,
        "headline": _headline(report),
        "as_of_de": fmt.date_de(report.as_of),
        # Our own stored rendering (autoescaped when it was made), never user input at request time.
        "report_body": mark_safe(fragment),  # noqa: S308
        "downloads": _downloads(report),
    }
    return render(request, "portfolio/reports/detail.html", context)


def _downloads(report: PublishedReport) -> list[dict]:
    from django.urls import reverse

    labels = {
        "pdf": _("Bericht als PDF"),
        "csv": _("Anhang als CSV (Tabelle)"),
        "json": _("Anhang als JSON (maschinenlesbar)"),
        "html": _("Bericht als HTML-Datei"),
    }
    result = []
    for kind in ("pdf", "csv", "json", "html"):
        size = getattr(report, f"size_{kind}", None)
        result.append(
            {
                "url": reverse(f"portfolio:report-{kind}", kwargs={"year": report.year}),
                "label": labels[kind],
                "kind": kind.upper(),
                "size": _size(size) if size else "",
            }
        )
    return result


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{format_decimal_de(n / 1024 / 1024, 1)} MB"
    return f"{format_integer_de(max(1, round(n / 1024)))} KB"


def _file_response(content: bytes, kind: str, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=MEDIA_TYPES[kind])
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Content-Length"] = str(len(content))
    return response


def _download(kind: str, *, inline: bool = False):
    field = {"pdf": "report_pdf", "json": "report_json", "csv": "annex_csv", "html": "report_html"}[kind]

    def view(request, year: int):
        report = _published(year, "year", field)
        name = f"digitalisierungsbericht-{report.year}-{FILE_NAMES[kind]}"
        response = _file_response(stored_bytes(report, kind), kind, name, inline=inline)
        response["Cache-Control"] = "public, max-age=3600"
        return response

    view.__name__ = f"report_{kind}"
    return view


report_pdf = _download("pdf")
report_html = _download("html")
report_json = _download("json")
report_csv = _download("csv")


# --- Back office -------------------------------------------------------------------------------------


class GenerateForm(forms.Form):
    as_of = forms.DateField(
        label=_("Stichtag"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Alle Zahlen werden aus der Projekthistorie zu diesem Tag berechnet."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="pdf")


class PublishForm(forms.Form):
    """Shares the page with GenerateForm: own ids (publish-as_of ...) so each label has one control."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "publish-%s")
        super().__init__(*args, **kwargs)

    as_of = forms.DateField(
        label=_("Stichtag"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    year = forms.IntegerField(
        label=_("Berichtsjahr"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_(
            "Leer lassen für das Jahr des Stichtags. Jedes Jahr kann nur einmal veröffentlicht werden."
        ),
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        required=False,
        help_text=_("Leer lassen für „Digitalisierungsbericht <Jahr>“."),
    )
    confirm = forms.BooleanField(
        label=_(
            "Ich habe die Vorschau geprüft. Der Bericht wird eingefroren und öffentlich; "
            "er kann danach nicht mehr geändert werden."
        ),
        required=True,
    )

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(_("Der Stichtag darf nicht in der Zukunft liegen."))
        return as_of


def _default_as_of() -> datetime.date:
    today = timezone.localdate()
    mid_year = datetime.date(today.year, 6, 30)
    return mid_year if mid_year <= today else datetime.date(today.year - 1, 12, 31)


@staff_required
def backoffice_reports(request):
    """Preview/download a report as of any date (all staff); publish form for the Digitalisierungsbüro."""
    can_publish = is_digital_office(request.user)
    if "as_of" in request.GET:
        form = GenerateForm(request.GET)
        if form.is_valid():
            as_of, kind = form.cleaned_data["as_of"], form.cleaned_data["format"]
            data = report_figures.build_report_data(as_of)
            name = f"digitalisierungsbericht-vorschau-{as_of.isoformat()}-{FILE_NAMES[kind]}"
            content = render_report(data, kind)
            if kind == "html":  # shown in the browser, under the CSP: its own <style> by hash, no style=""
                content = svg_presentation_attributes(content.decode("utf-8")).encode("utf-8")
            response = _file_response(content, kind, name, inline=kind in ("html", "pdf"))
            if kind == "html":
                allow_own_style_elements(response, content.decode("utf-8"))
            response["Cache-Control"] = "no-store"
            return response
    else:
        form = GenerateForm(initial={"as_of": _default_as_of(), "format": "pdf"})
    publish_form = PublishForm(initial={"as_of": _default_as_of()}) if can_publish else None
    return _backoffice_page(request, form, publish_form, can_publish)


def _backoffice_page(request, form, publish_form, can_publish, status=200):
    reports = PublishedReport.objects.only(*LIST_FIELDS).order_by("-as_of", "-year")
    context = {
        "form": form,
        "publish_form": publish_form,
        "can_publish": can_publish,
        "rows": [{"report": r, "headline": _headline(r), "as_of_de": fmt.date_de(r.as_of)} for r in reports],
    }
    return render(request, "portfolio/reports/backoffice.html", context, status=status)


@staff_required
@require_POST
def backoffice_publish(request):
    if not is_digital_office(request.user):
        raise PermissionDenied(_("Nur das Digitalisierungsbüro darf einen Bericht veröffentlichen."))
    publish_form = PublishForm(request.POST)
    if publish_form.is_valid():
        try:
            report = publish_report(
                as_of=publish_form.cleaned_data["as_of"],
                year=publish_form.cleaned_data["year"],
                title=publish_form.cleaned_data["title"],
                user=request.user,
            )
        except PublishError as exc:
            publish_form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Der %(title)s ist veröffentlicht.") % {"title": report.title},
            )
            return redirect("portfolio:report-detail", year=report.year)
    form = GenerateForm(initial={"as_of": _default_as_of(), "format": "pdf"})
    return _backoffice_page(request, form, publish_form, True, status=400)
