"""Every route of the reports app, grouped by path. No two routes can match the same path (numbers are
<int:pk>; the category codes reject the fixed words "neu" and "gruppen"), so their order does not matter."""

from django.urls import include, path

from stadtdigital.reports.views import (
    alerts,
    assist,
    backoffice_actions,
    backoffice_assist,
    backoffice_case,
    backoffice_dashboard,
    backoffice_queue,
    backoffice_templates,
    categories,
    citizen,
    feedback,
    privacy,
    public,
    sending,
)

app_name = "reports"

# /anliegen/neu/...: the report form, its suggestions and "Schon gemeldet?"
new_report_routes = [
    path("", citizen.new_report, name="new"),
    path("danke/", citizen.thanks, name="thanks"),
    path("orte/", citizen.places, name="places"),
    path("ort-am-punkt/", citizen.place_of_point, name="place-of-point"),
    path("schon-gemeldet/", citizen.nearby_preview, name="nearby"),
    path("kategorievorschlaege/", assist.suggestions, name="category-suggestions"),
    path("kategorie-wechseln/", assist.switch_category, name="category-switch"),
]

# /anliegen/<pk>/...: one public report
public_report_routes = [
    path("", public.report_detail, name="detail"),
    path("fotos/<int:photo_pk>/", public.photo, name="photo"),
    path("fotos/<int:photo_pk>/vorschau/", public.photo_thumbnail, name="photo-thumbnail"),
    path("unterstuetzen/", citizen.support, name="support"),
    path("abonnieren/", citizen.subscribe, name="subscribe"),
    path("rueckmeldung/<str:token>/", feedback.feedback, name="feedback"),
]

# /anliegen/...
public_routes = [
    path("", public.report_list, name="list"),
    path("basiskarte.geojson", public.basemap, name="basemap"),
    path("karte.json", public.map_data, name="map-data"),
    path("feed.atom", public.report_feed, name="feed"),
    path("neu/", include(new_report_routes)),
    path("<int:pk>/", include(public_report_routes)),
    path("datenschutz/", citizen.privacy, name="privacy"),
    path("bestaetigen/<str:token>/", citizen.confirm, name="confirm"),
    path("abo/<str:token>/", citizen.subscription_confirm, name="subscription-confirm"),
    path("abo/<str:token>/abbestellen/", citizen.unsubscribe, name="unsubscribe"),
    path("benachrichtigung/", alerts.alert_subscribe, name="alert-subscribe"),
    path("benachrichtigung/bestaetigen/<uuid:token>/", alerts.alert_confirm, name="alert-confirm"),
    path("benachrichtigung/abbestellen/<uuid:token>/", alerts.alert_unsubscribe, name="alert-unsubscribe"),
    # Other systems: a body that received a report sends its new status (authenticated by its secret).
    path("rueckmeldung/<int:pk>/", sending.inbound, name="sending-inbound"),
]

# /verwaltung/anliegen/<pk>/...: one report in the back office and its actions
case_routes = [
    path("", backoffice_case.report_detail, name="backoffice-report"),
    path("fotos/<int:photo_pk>/", backoffice_case.report_photo, name="backoffice-photo"),
    path(
        "fotos/<int:photo_pk>/vorschau/",
        backoffice_case.report_photo,
        {"size": "thumbnail"},
        name="backoffice-photo-thumbnail",
    ),
    path("status/", backoffice_actions.report_state, name="backoffice-state"),
    path("antwort/", backoffice_actions.report_answer, name="backoffice-answer"),
    path("notiz/", backoffice_actions.report_note, name="backoffice-note"),
    path("zuweisung/", backoffice_actions.report_assign, name="backoffice-assign"),
    path("kategorie/", backoffice_actions.report_category, name="backoffice-category"),
    path("ort/", backoffice_actions.report_location, name="backoffice-location"),
    path("eingangspruefung/", backoffice_actions.report_triage, name="backoffice-triage"),
    path("moderation/", backoffice_actions.report_moderate, name="backoffice-moderate"),
    path("persoenliche-daten/", backoffice_assist.personal_data_decision, name="backoffice-personal-data"),
]

# /verwaltung/anliegen/vorlagen/...: answer templates
template_routes = [
    path("", backoffice_templates.template_list, name="backoffice-templates"),
    path("neu/", backoffice_templates.template_edit, name="backoffice-template-create"),
    path("<int:pk>/", backoffice_templates.template_edit, name="backoffice-template-edit"),
    path("<int:pk>/loeschen/", backoffice_templates.template_delete, name="backoffice-template-delete"),
]

# /verwaltung/anliegen/kategorien/...: the category catalogue
category_routes = [
    path("", categories.category_list, name="backoffice-categories"),
    path("neu/", categories.category_create, name="backoffice-category-create"),
    path("gruppen/neu/", categories.group_edit, name="backoffice-category-group-create"),
    path("gruppen/<int:pk>/bearbeiten/", categories.group_edit, name="backoffice-category-group-edit"),
    path("<slug:code>/bearbeiten/", categories.category_edit, name="backoffice-category-edit"),
    path("<slug:code>/loeschen/", categories.category_delete, name="backoffice-category-delete"),
]

# /verwaltung/anliegen/...
backoffice_routes = [
    path("", backoffice_queue.queue, name="backoffice-queue"),
    path("dashboard/", backoffice_dashboard.dashboard, name="backoffice-dashboard"),
    path("<int:pk>/", include(case_routes)),
    path("vorlagen/", include(template_routes)),
    path("persoenliche-daten/", backoffice_assist.personal_data_queue, name="backoffice-personal-data-queue"),
    path("vorschlaege/", backoffice_assist.assist_figures, name="backoffice-assist"),
    path("kategorien/", include(category_routes)),
    # sending to the bodies that fix things (decision 0023)
    path("versand/", sending.failed_queue, name="sending-failed"),
    path("versand/<int:pk>/erneut/", sending.retry, name="sending-retry"),
    path("empfangsstellen/", sending.target_list, name="sending-targets"),
    path("empfangsstellen/neu/", sending.target_edit, name="sending-target-create"),
    path("empfangsstellen/<int:pk>/", sending.target_edit, name="sending-target-edit"),
    path("gebiete/", sending.areas, name="sending-areas"),
    path("gebiete.geojson", sending.areas_geojson, name="sending-areas-geojson"),
]

urlpatterns = [
    path("anliegen/", include(public_routes)),
    path("verwaltung/anliegen/", include(backoffice_routes)),
    # personal data: purge, export and deletion for one email address
    path("verwaltung/datenschutz/", privacy.privacy_admin, name="privacy-admin"),
]
