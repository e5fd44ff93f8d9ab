from django.urls import path

from stadtdigital.portfolio.views import backoffice, imports, public, reports

app_name = "portfolio"

urlpatterns = [
    # Public register and reports
    path("projekte/", public.project_list, name="project-list"),
    path("projekte/<slug:slug>/", public.project_detail, name="project-detail"),
    path("berichte/", reports.report_list, name="report-list"),
    path("berichte/<int:year>/", reports.report_detail, name="report-detail"),
    path("berichte/<int:year>/bericht.pdf", reports.report_pdf, name="report-pdf"),
    path("berichte/<int:year>/bericht.html", reports.report_html, name="report-html"),
    path("berichte/<int:year>/anhang.json", reports.report_json, name="report-json"),
    path("berichte/<int:year>/anhang.csv", reports.report_csv, name="report-csv"),
    # Back office
    path("verwaltung/projekte/", backoffice.project_list, name="backoffice-projects"),
    path("verwaltung/projekte/neu/", backoffice.project_create, name="backoffice-project-create"),
    path("verwaltung/projekte/<slug:slug>/", backoffice.project_detail, name="backoffice-project"),
    path(
        "verwaltung/projekte/<slug:slug>/bearbeiten/", backoffice.project_edit, name="backoffice-project-edit"
    ),
    path(
        "verwaltung/projekte/<slug:slug>/status/", backoffice.project_status, name="backoffice-project-status"
    ),
    path("verwaltung/projekte-import/", imports.import_portfolio, name="backoffice-import"),
    path("verwaltung/projekte-export/", imports.export_portfolio, name="backoffice-export"),
    path("verwaltung/handlungsfelder/", backoffice.field_list, name="backoffice-fields"),
    path("verwaltung/handlungsfelder/neu/", backoffice.field_edit, name="backoffice-field-create"),
    path(
        "verwaltung/handlungsfelder/<slug:slug>/bearbeiten/",
        backoffice.field_edit,
        name="backoffice-field-edit",
    ),
    path("verwaltung/berichte/", reports.backoffice_reports, name="backoffice-reports"),
    path(
        "verwaltung/berichte/veroeffentlichen/", reports.backoffice_publish, name="backoffice-report-publish"
    ),
]
