"""Back office import and export of the portfolio as CSV/XLSX (logic: importing.py, exporting.py)."""

import io

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from stadtdigital.core.numbers import format_decimal_de
from stadtdigital.core.roles import is_digital_office
from stadtdigital.core.views import staff_required
from stadtdigital.portfolio import exporting, importing, tabular
from stadtdigital.portfolio.limits import MEGABYTE
from stadtdigital.portfolio.tabular import FileFormat, TableError

# A page shows this many problems or planned rows; the counts above it are always complete.
SHOWN_ITEMS = 200


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei"),
        error_messages={"required": _("Bitte eine Datei auswählen."), "empty": _("Die Datei ist leer.")},
    )
    dry_run = forms.BooleanField(
        label=_("Nur prüfen (Probelauf): zeigt, was sich ändern würde, und speichert nichts"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8, Trennzeichen ; oder ,) oder Excel (.xlsx), höchstens %(limit)s MB."
        ) % {"limit": settings.PORTFOLIO_IMPORT_MAX_UPLOAD_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit_bytes = settings.PORTFOLIO_IMPORT_MAX_UPLOAD_MB * MEGABYTE
        if upload.size > limit_bytes:
            raise forms.ValidationError(
                _("Die Datei ist %(size)s MB groß; erlaubt sind höchstens %(limit)s MB."),
                params={
                    "size": format_decimal_de(upload.size / 1024 / 1024, 1),
                    "limit": settings.PORTFOLIO_IMPORT_MAX_UPLOAD_MB,
                },
            )
        try:
            tabular.detect_format(upload.name)
        except TableError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


@staff_required
@require_http_methods(["GET", "POST"])
def import_portfolio(request):
    # Importing can rewrite every project, so it is the Digitalisierungsbüro's, not a department's.
    if not is_digital_office(request.user):
        raise PermissionDenied
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = importing.import_portfolio(
            upload.read(), upload.name, dry_run=form.cleaned_data["dry_run"], user=request.user
        )
    return render(
        request,
        "portfolio/backoffice/import.html",
        {"form": form, "result": result, **_result_context(result), "columns": tabular.COLUMNS},
    )


def _result_context(result: importing.ImportResult | None) -> dict:
    if result is None:
        return {}
    return {
        "problems": result.problems[:SHOWN_ITEMS],
        "hidden_problems": max(0, len(result.problems) - SHOWN_ITEMS),
        "created": result.created[:SHOWN_ITEMS],
        "updated": result.updated[:SHOWN_ITEMS],
        "created_count": len(result.created),
        "updated_count": len(result.updated),
        "unchanged_count": len(result.unchanged),
    }


@staff_required
@require_GET
def export_portfolio(request):
    """The whole portfolio with internal fields, for any staff member (back office only)."""
    try:
        file_format = FileFormat(request.GET.get("format", "csv"))
    except ValueError:
        return HttpResponseBadRequest(gettext("Unbekanntes Format; erlaubt sind csv und xlsx."))
    if file_format is FileFormat.CSV:
        buffer = io.StringIO(newline="")
        exporting.export_portfolio(file_format, buffer)
        content = buffer.getvalue().encode("utf-8")
    else:
        buffer = io.BytesIO()
        exporting.export_portfolio(file_format, buffer)
        content = buffer.getvalue()
    response = HttpResponse(content, content_type=exporting.CONTENT_TYPES[file_format])
    filename = exporting.export_filename(file_format, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
