from django.urls import path

from stadtdigital.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("projekte/", views.project_list, name="project-list"),
    path("projekte/<slug:slug>/", views.project_detail, name="project-detail"),
    path("berichte/", views.report_list, name="report-list"),
    path("verwaltung/projekte/", views.backoffice_projects, name="backoffice-projects"),
    path("verwaltung/berichte/", views.backoffice_reports, name="backoffice-reports"),
]
