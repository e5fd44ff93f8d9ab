"""The citizen's side of filing a report: the form (two steps, works without JavaScript), suggestions,
"Schon gemeldet?", thanks, confirmation links, support and following a report by email."""

import dataclasses
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stadtdigital.core import ratelimit
from stadtdigital.core.files import STORAGE_UNAVAILABLE_MESSAGE, StorageUnavailable
from stadtdigital.core.http import client_ip
from stadtdigital.reports.forms import PlaceFields, ReportForm
from stadtdigital.reports.geocoding import get_geocoder
from stadtdigital.reports.maps import map_config
from stadtdigital.reports.models import Category, Report, Visibility
from stadtdigital.reports.selectors.nearby import nearby_open_reports
from stadtdigital.reports.services import confirmation, submissions
from stadtdigital.reports.services.intake import (
    RateLimited,
    ReportRejected,
    confirmation_deadline,
    describe_point,
    in_city,
    parse_coordinate,
    resolve_category,
    resolve_location,
    service_notice,
    submit_report,
)
from stadtdigital.reports.views import assist

SESSION_KEY = "reports_submitted"
STEP2 = "#schritt-2"  # the heading of step 2: reading position and (in the browser) focus start there


def _categories():
    return (
        Category.objects.filter(is_active=True)
        .select_related("group")
        .order_by("group__position", "group__name", "position", "name")
    )


def _check_place(values: dict):
    """(category, location, errors) for step 1's values."""
    errors, category, location = {}, None, None
    try:
        category = resolve_category(values["kategorie"])
    except ValidationError as exc:
        errors["kategorie"] = exc.messages[0]
    try:
        location = resolve_location(values["lat"], values["lon"], values["adresse"])
    except ValidationError as exc:
        errors["adresse"] = exc.messages[0]
    return category, location, errors


def _error_list(form) -> list[tuple[str, str, str]]:
    """(anchor, label, message) for the error summary, in the order of the form."""
    items = []
    for name, messages in form.errors.items():
        if name == "__all__":
            items.extend(("", "", message) for message in messages)
            continue
        field = form.fields.get(name)
        anchor = {"adresse": "id_adresse", "photos": "id_photos"}.get(name, f"id_{name}")
        if name == "privacy_consent":
            label = _("Einwilligung")
        elif name == "kategorie":
            label = _("Kategorie")
        elif name == "adresse":
            label = _("Ort")
            anchor = "id_adresse" if "adresse" in form.fields and not form.is_step2 else "place-summary"
        else:
            label = field.label if field else name
        if (
            name.startswith("attr_")
            and field is not None
            and field.widget.input_type in ("radio", "checkbox")
        ):
            anchor = f"id_{name}_0"
        items.extend((anchor, label, message) for message in messages)
    return items


def _address_choices(form) -> list[tuple[str, str]]:
    """(street, link to step 2) for streets spelled like an address the list does not know (no JS needed)."""
    values = form.values() if form.is_bound else {}
    address = values.get("adresse", "")
    if not address or values.get("lat") or "\x00" in address:
        return []
    geocoder = get_geocoder()
    places = geocoder.suggest(address, 5) or geocoder.closest(address, 5)
    base = reverse("reports:new") + "?"
    return [
        (
            place.name,
            f"{base}{urlencode({'kategorie': values.get('kategorie', ''), 'adresse': place.name})}{STEP2}",
        )
        for place in places
    ]


def _render_step1(request, form, errors=None, status=200):
    form.is_step2 = False
    choices = []
    if errors:
        form.is_valid()
        for name, message in errors.items():
            form.add_error(name, message)
        if "adresse" in errors:
            choices = _address_choices(form)
    return render(
        request,
        "reports/new.html",
        {
            "step": 1,
            "form": form,
            "errors": _error_list(form) if errors else [],
            "address_choices": choices,
            "categories": _categories(),
            "map": map_config(),
        },
        status=status,
    )


def _render_step2(request, form, category, location, status=200, errors=None):
    form.is_step2 = True
    nearby = nearby_open_reports(category, location.lat, location.lon)
    source = form.data if form.is_bound else form.initial
    params = {"kategorie": category.code, "adresse": source.get("adresse") or location.address}
    if source.get("lat"):
        params.update(lat=source.get("lat"), lon=source.get("lon"))
    change_url = reverse("reports:new") + "?" + urlencode({**params, "aendern": "1"})
    return render(
        request,
        "reports/new.html",
        {
            "step": 2,
            "form": form,
            "errors": _error_list(form) if errors else [],
            "category": category,
            "location": location,
            "nearby": nearby,
            "change_url": change_url,
            "max_photos": settings.REPORT_MAX_PHOTOS,
            "description_required": not any(question.required for question in form.questions),
            "form_token": _form_token(form),
        },
        status=status,
    )


def _form_token(form) -> str:
    """The posted one-time token while the same form is corrected; a new one for a new form."""
    posted = form.data.get("form_token", "") if form.is_bound else ""
    return posted if submissions.TOKEN_RE.match(posted) else submissions.new_token()


@never_cache
@require_http_methods(["GET", "POST"])
def new_report(request):
    if request.method == "POST":
        return _submit(request)
    step1 = PlaceFields(request.GET or None)
    if not request.GET or request.GET.get("aendern"):
        form = PlaceFields(request.GET or None) if request.GET else PlaceFields()
        return _render_step1(request, form)
    values = step1.values()
    category, location, errors = _check_place(values)
    if errors:
        return _render_step1(request, step1, errors)
    initial = {
        "kategorie": category.code,
        "adresse": location.address,
        "lat": values["lat"] and f"{location.lat:.6f}",
        "lon": values["lon"] and f"{location.lon:.6f}",
    }
    return _render_step2(request, ReportForm(initial=initial, category=category), category, location)


def _submit(request):
    code = request.POST.get("kategorie", "")
    category = None if "\x00" in code else Category.objects.filter(code=code, is_active=True).first()
    form = ReportForm(request.POST, request.FILES, category=category)
    if form.honeypot_filled:
        request.session[SESSION_KEY] = {"id": None}
        return HttpResponseRedirect(reverse("reports:thanks"))
    if (pause := assist.pause_for_suggestions(request, form, category)) is not None:
        return pause  # no JavaScript: category suggestions shown once before sending
    claim = submissions.claim(request.POST.get("form_token", ""))
    if isinstance(claim, submissions.AlreadySubmitted):
        return _show_first_result(request, claim.report)
    try:
        data = dataclasses.replace(
            form.to_input(request.FILES), suggestion=assist.suggestion_record(request.POST)
        )
        result = submit_report(data, client_ip=client_ip(request), user=request.user)
    except BaseException as problem:
        claim.release()
        if isinstance(problem, StorageUnavailable):
            return _storage_unavailable(request, form, category)
        if not isinstance(problem, ReportRejected):
            raise
        rejected = problem
        form.apply_errors(rejected.errors)
        if request.FILES.getlist("photos") and "photos" not in rejected.errors:
            form.add_error(
                "photos", _("Bitte wählen Sie die Fotos noch einmal aus; sie wurden nicht gespeichert.")
            )
        status = 429 if isinstance(rejected, RateLimited) else 400
        if category is None or "location" in rejected.errors:
            step1 = PlaceFields(request.POST)
            step1_errors = {
                name: " ".join(messages)
                for key, messages in rejected.errors.items()
                if (name := {"category": "kategorie", "location": "adresse"}.get(key))
            }
            return _render_step1(request, step1, step1_errors or None, status=status)
        location = resolve_location(
            request.POST.get("lat"), request.POST.get("lon"), request.POST.get("adresse")
        )
        return _render_step2(request, form, category, location, status=status, errors=True)
    claim.finish(result.report)
    request.session[SESSION_KEY] = {
        "id": result.report.pk,
        "needs_confirmation": result.needs_confirmation,
        "notice": result.service_notice,
    }
    return HttpResponseRedirect(reverse("reports:thanks"))


def _show_first_result(request, report):
    """A second submit of the same form: the thanks page of the report the first one filed."""
    if report is None:  # the first submit is still being stored after a long wait: show its form state
        return HttpResponseRedirect(reverse("reports:thanks"))
    request.session[SESSION_KEY] = {
        "id": report.pk,
        "needs_confirmation": report.visibility == Visibility.PENDING_CONFIRMATION,
        "notice": service_notice(report.category),
    }
    return HttpResponseRedirect(reverse("reports:thanks"))


def _storage_unavailable(request, form, category):
    """503, with the form as typed (only the photos must be chosen again): nothing was stored."""
    form.add_error(None, str(STORAGE_UNAVAILABLE_MESSAGE))
    form.add_error("photos", _("Bitte wählen Sie die Fotos noch einmal aus; sie wurden nicht gespeichert."))
    location = resolve_location(request.POST.get("lat"), request.POST.get("lon"), request.POST.get("adresse"))
    response = _render_step2(request, form, category, location, status=503, errors=True)
    response["Retry-After"] = str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS)
    return response


@never_cache
def thanks(request):
    submitted = request.session.get(SESSION_KEY)
    if submitted is None:
        return HttpResponseRedirect(reverse("reports:new"))
    report = Report.objects.select_related("category").filter(pk=submitted.get("id")).first()
    context = {"submitted": submitted, "report": report, "mode": "report"}
    if report is not None and submitted.get("needs_confirmation"):
        context["valid_until"] = confirmation_deadline(report)
    return render(request, "reports/thanks.html", context)


@require_GET
def places(request):
    """htmx: <option> suggestions for the address field's <datalist>."""
    text = request.GET.get("adresse", "") or request.GET.get("q", "")
    suggestions = get_geocoder().suggest(text, 8) if len(text.strip()) >= 2 else []
    response = render(request, "reports/_new_places.html", {"places": suggestions})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def place_of_point(request):
    """JSON for the map pin: {"address": "nahe Hauptstraße 12–20"} (empty when no street is near)."""
    try:
        lat, lon = parse_coordinate(request.GET.get("lat")), parse_coordinate(request.GET.get("lon"))
    except ValueError:
        lat = lon = None
    if lat is None or lon is None:
        return JsonResponse({"error": _("lat und lon müssen Zahlen sein.")}, status=400)
    if not in_city(lat, lon):
        return JsonResponse({"error": _("Der Ort liegt außerhalb des Stadtgebiets.")}, status=400)
    response = JsonResponse({"address": describe_point(lat, lon)})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def nearby_preview(request):
    """htmx: "Schon gemeldet?" for step 1 once category and place are known (empty otherwise)."""
    values = PlaceFields(request.GET).values()
    category, location, errors = _check_place(values)
    nearby = [] if errors else nearby_open_reports(category, location.lat, location.lon)
    return render(
        request,
        "reports/_nearby.html",
        {"nearby": nearby, "category": category, "location": location, "preview": True, "known": not errors},
    )


@require_POST
def support(request, pk):
    report = get_object_or_404(Report, pk=pk, visibility=Visibility.PUBLIC)
    if not request.session.session_key:
        request.session.save()
    outcome = confirmation.add_support(report, request.session.session_key or client_ip(request))
    email = (request.POST.get("email") or "").strip()
    email_error = _subscribe(request, report, email) if email else ""
    subscribed = bool(email) and not email_error
    return render(
        request,
        "reports/thanks.html",
        {
            "mode": "support",
            "report": report,
            "outcome": outcome,
            "subscribed": subscribed,
            "email_error": email_error,
        },
        status=400 if email_error else 200,
    )


def _subscribe(request, report, email: str) -> str:
    """Subscribes `email` to the report (rate-limited per address); returns the error to show, or ""."""
    if not ratelimit.hit(f"subscribe:ip:{client_ip(request)}", settings.REPORT_RATE_LIMIT_PER_HOUR, 3600):
        return _("Zu viele Anfragen. Bitte versuchen Sie es später noch einmal.")
    try:
        confirmation.subscribe(report, email)
    except ValidationError as exc:
        return exc.messages[0]
    return ""


@require_http_methods(["GET", "POST"])
def subscribe(request, pk):
    report = get_object_or_404(Report, pk=pk, visibility=Visibility.PUBLIC)
    error = _subscribe(request, report, request.POST.get("email", "")) if request.method == "POST" else ""
    done = request.method == "POST" and not error
    return render(
        request,
        "reports/subscribe.html",
        {"report": report, "error": error, "done": done, "email": request.POST.get("email", "")},
        status=400 if error else 200,
    )


def _emailed_link(request, template, *, act, show):
    """A link from a mail: GET only shows what it will do (mail scanners follow links), POST does it.

    `act()` does it and returns the page's context; `show()` returns (context, whether the token is known).
    """
    if request.method == "POST":
        return render(request, template, {**act(), "done": True})
    context, found = show()
    return render(request, template, {**context, "done": False}, status=200 if found else 404)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    def show():
        report = confirmation.report_for_token(token)
        expired = report is not None and confirmation.is_expired(report)
        pending = report is not None and report.visibility == Visibility.PENDING_CONFIRMATION
        return {"report": report, "pending": pending, "expired": expired}, report is not None

    return _emailed_link(
        request,
        "reports/confirm.html",
        act=lambda: {"result": confirmation.confirm_report(token)},
        show=show,
    )


def _subscription(token):
    subscription = confirmation.subscription_for_token(token)
    return {"subscription": subscription, "found": subscription is not None}, subscription is not None


@never_cache
@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token):
    return _emailed_link(
        request,
        "reports/subscribe_confirm.html",
        act=lambda: {"subscription": confirmation.confirm_subscription(token)},
        show=lambda: _subscription(token),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    return _emailed_link(
        request,
        "reports/subscribe_cancel.html",
        act=lambda: {"found": confirmation.unsubscribe(token)},
        show=lambda: _subscription(token),
    )


def privacy(request):
    return render(
        request,
        "reports/privacy.html",
        {
            "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
            "confirmation_days": settings.REPORT_CONFIRMATION_DAYS,
        },
    )
