"""Category suggestions on step 2 of the report form, with and without JavaScript.

- With JavaScript, htmx asks `suggestions` while the citizen types the description and shows up to three
  categories the model is confident about ("Passt eine dieser Kategorien besser?").
- Without JavaScript, the first "Absenden" pauses once on step 2 with the same box when there are
  suggestions (`pause_for_suggestions`); the second sends the report as it is.
- A suggestion is never applied by itself: the citizen presses its button (`switch_category`), which shows
  step 2 again in the new category with the text kept. What was shown and chosen is recorded on the report's
  CREATED event (`suggestion_record`), to learn from.
"""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from stadtdigital.reports.assist.suggestions import suggest
from stadtdigital.reports.models import Category

SEEN = "vorschlaege_gesehen"
SHOWN = "vorschlaege"
MODEL = "vorschlag_modell"
CHOSEN = "vorschlag_gewaehlt"


def suggestions_for(description: str, current_code: str) -> tuple[list, int | None]:
    found, version = suggest(description)
    return [s for s in found if s.category.code != current_code], version


def box_context(description: str, current_code: str, shown_before: str = "", chosen: str = "") -> dict:
    found, version = suggestions_for(description, current_code)
    shown = ",".join(
        dict.fromkeys([*filter(None, shown_before.split(",")), *(str(s.category.pk) for s in found)])
    )
    return {"suggestions": found, "model_version": version or "", "shown": shown, "chosen": chosen}


@require_GET
def suggestions(request):
    """htmx: the suggestion box for the description typed so far."""
    context = box_context(
        request.GET.get("description", "")[:5000],
        request.GET.get("kategorie", ""),
        request.GET.get(SHOWN, ""),
        request.GET.get(CHOSEN, ""),
    )
    response = render(request, "reports/_category_suggestions.html", context)
    response["Cache-Control"] = "no-store"
    return response


def pause_for_suggestions(request, form, category):
    """No JavaScript: before the first send, show step 2 once with suggestions if there are any."""
    if request.POST.get(SEEN) or category is None:
        return None
    context = box_context(request.POST.get("description", ""), category.code, request.POST.get(SHOWN, ""))
    if not context["suggestions"]:
        return None
    from stadtdigital.reports.views.citizen import _render_step2, resolve_location

    location = resolve_location(request.POST.get("lat"), request.POST.get("lon"), request.POST.get("adresse"))
    request.category_suggestions = context
    return _render_step2(request, form, category, location)


def suggestion_record(post) -> dict | None:
    """What the citizen was shown and chose, for the report's CREATED event."""
    shown = [int(pk) for pk in post.get(SHOWN, "").split(",") if pk.isdigit()]
    if not shown:
        return None
    chosen = post.get(CHOSEN, "")
    return {
        "model": int(post[MODEL]) if post.get(MODEL, "").isdigit() else None,
        "suggested": shown,
        "chosen": int(chosen) if chosen.isdigit() else None,
    }


@require_POST
def switch_category(request):
    """A suggestion's button: step 2 again in the chosen category, the typed text kept (photos must be
    chosen again: browsers cannot carry files over)."""
    from stadtdigital.reports.forms import ReportForm
    from stadtdigital.reports.views.citizen import _render_step2, resolve_location

    category = Category.objects.filter(code=request.POST.get("neue_kategorie", ""), is_active=True).first()
    if category is None:
        return HttpResponseBadRequest("Unbekannte Kategorie.")
    initial = {
        key: request.POST.get(key, "") for key in ("adresse", "lat", "lon", "description", "email", "name")
    }
    initial["kategorie"] = category.code
    location = resolve_location(request.POST.get("lat"), request.POST.get("lon"), request.POST.get("adresse"))
    request.category_suggestions = {
        "suggestions": [],
        "model_version": request.POST.get(MODEL, ""),
        "shown": request.POST.get(SHOWN, ""),
        "chosen": str(category.pk),
        "switched_to": category,
    }
    return _render_step2(request, ReportForm(initial=initial, category=category), category, location)
