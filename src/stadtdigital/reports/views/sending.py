"""Sending in the back office and the inbound status endpoint (decision 0023).

- /verwaltung/anliegen/versand/: the queue "Versand fehlgeschlagen" with "erneut senden" (case workers
  see the reports they may change).
- /verwaltung/anliegen/empfangsstellen/: send targets and which categories go where (Digitalisierungsbüro).
  Credentials are write-only: the form never shows a stored one.
- /verwaltung/anliegen/gebiete/: the areas of responsibility on a map and in a table (Digitalisierungsbüro).
- /anliegen/rueckmeldung/<target>/: a body reports a status change (email and webhook targets),
  authenticated by the target's own secret (`Authorization: Bearer <secret>`).
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from stadtdigital.core.actions import perform
from stadtdigital.core.forms import error_summary
from stadtdigital.core.paging import page_of
from stadtdigital.core.roles import is_digital_office
from stadtdigital.core.views import staff_required
from stadtdigital.reports.forms_sending import SendTargetForm
from stadtdigital.reports.models import Area, CategorySending, Dispatch, SendTarget
from stadtdigital.reports.selectors import sending as selectors
from stadtdigital.reports.sending import credentials, services, statusback


@staff_required
def failed_queue(request):
    page = page_of(request, selectors.failed_dispatches(request.user), 50)
    return render(request, "reports/backoffice/sending_failed.html", {"page": page})


@staff_required
@require_POST
def retry(request, pk):
    dispatch = get_object_or_404(Dispatch.objects.select_related("report", "target"), pk=pk)
    back_to_report = request.POST.get("next") == "report"
    return perform(
        request,
        lambda: services.retry(dispatch, request.user),  # NotAllowed is a PermissionDenied: 403
        success=_("Anliegen #%(id)s wird erneut an „%(to)s“ gesendet.")
        % {"id": dispatch.report_id, "to": dispatch.target.name},
        then=reverse("reports:backoffice-report", kwargs={"pk": dispatch.report_id})
        if back_to_report
        else "reports:sending-failed",
    )


def _require_digital_office(user):
    if not is_digital_office(user):
        raise PermissionDenied(_("Nur das Digitalisierungsbüro verwaltet Empfangsstellen."))


@staff_required
def target_list(request):
    _require_digital_office(request.user)
    return render(
        request, "reports/backoffice/sending_targets.html", {"targets": selectors.targets_with_categories()}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def target_edit(request, pk=None):
    _require_digital_office(request.user)
    target = get_object_or_404(SendTarget, pk=pk) if pk else None
    form = SendTargetForm(request.POST or None, instance=target)
    inbound_secret = ""
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            target = form.save(commit=False)
            if form.cleaned_data["secret"]:
                credentials.set_secret(target, form.cleaned_data["secret"])
            if form.cleaned_data["new_inbound_secret"]:
                inbound_secret = credentials.new_inbound_secret(target)
            target.save()
            CategorySending.objects.filter(target=target).exclude(
                category__in=form.cleaned_data["categories"]
            ).delete()
            for category in form.cleaned_data["categories"]:
                CategorySending.objects.update_or_create(category=category, defaults={"target": target})
        messages.success(request, _("Empfangsstelle „%(name)s“ gespeichert.") % {"name": target.name})
        if not inbound_secret:
            return redirect("reports:sending-targets")
        # Shown exactly once, on this answer; only its hash is stored.
        return render(
            request,
            "reports/backoffice/sending_target_secret.html",
            {
                "target": target,
                "inbound_secret": inbound_secret,
                "inbound_url": _inbound_url(request, target),
            },
        )
    return render(
        request,
        "reports/backoffice/sending_target_form.html",
        {
            "form": form,
            "target": target,
            "has_secret": bool(target and credentials.has_secret(target)),
            "errors": error_summary(form),  # linked, focused summary (core/_error_summary.html)
        },
    )


def _areas():
    areas = list(Area.objects.select_related("target", "department").prefetch_related("categories"))
    for area in areas:
        area.body_name = area.target.name if area.target_id else area.department.name
    return areas


@staff_required
def areas(request):
    _require_digital_office(request.user)
    from stadtdigital.reports.maps import map_config

    return render(request, "reports/backoffice/sending_areas.html", {"areas": _areas(), "map": map_config()})


@staff_required
def areas_geojson(request):
    _require_digital_office(request.user)
    areas_ = _areas()
    bodies = {name: index for index, name in enumerate(dict.fromkeys(a.body_name for a in areas_))}
    features = [
        {
            "type": "Feature",
            "geometry": area.geometry,
            "properties": {"name": area.name, "body": area.body_name, "body_index": bodies[area.body_name]},
        }
        for area in areas_
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _inbound_url(request, target) -> str:
    return request.build_absolute_uri(reverse("reports:sending-inbound", kwargs={"pk": target.pk}))


@csrf_exempt  # called by other systems, authenticated by the target's secret, never by a session
@require_POST
def inbound(request, pk):
    """{"report_id": 123, "status": "fixed", "description": "…", "update_id": "…"} with
    `Authorization: Bearer <secret>`. 200 applied (or already applied), 400 bad input, 401 bad secret,
    404 unknown report for this target."""
    target = SendTarget.objects.filter(pk=pk, is_active=True).first()
    header = request.headers.get("Authorization", "")
    secret = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if target is None or not credentials.inbound_secret_matches(target, secret):
        return JsonResponse({"error": "Unbekannte Stelle oder falscher Schlüssel."}, status=401)
    try:
        data = json.loads(request.body or b"")
    except ValueError:
        return JsonResponse({"error": "Kein gültiges JSON."}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": "Erwartet ein JSON-Objekt."}, status=400)
    errors = {}
    report_id = data.get("report_id")
    if not isinstance(report_id, int) or isinstance(report_id, bool):
        errors["report_id"] = "Ganzzahl erwartet (unsere Nummer des Anliegens)."
    status = data.get("status")
    if not isinstance(status, str) or status.strip().lower() not in statusback.STATUS_MAP:
        errors["status"] = "Einer von: " + ", ".join(sorted(statusback.STATUS_MAP))
    description = data.get("description", "")
    if not isinstance(description, str) or len(description) > 5000:
        errors["description"] = "Text bis 5000 Zeichen erwartet."
    update_id = data.get("update_id")
    if update_id is not None and not isinstance(update_id, str | int):
        errors["update_id"] = "Text oder Zahl erwartet."
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    dispatch = (
        Dispatch.objects.filter(target=target, report_id=report_id).select_related("report", "target").first()
    )
    if dispatch is None:
        return JsonResponse({"error": "Dieses Anliegen wurde nicht an diese Stelle gesendet."}, status=404)
    update_id = str(update_id) if update_id is not None else f"in:{status}:{description}"[:200]
    applied = statusback.apply_remote_update(
        dispatch, update_id=f"in:{update_id}", status=status, description=description
    )
    return JsonResponse({"applied": applied})
