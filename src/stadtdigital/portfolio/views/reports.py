"""The Digitalisierungsbericht: public /berichte/ pages and the back office's generate/publish page."""

from django.shortcuts import render
from django.urls import path

from stadtdigital.core.views import staff_required


def report_list(request):
    return render(request, "portfolio/report_list.html", {"reports": []})


@staff_required
def backoffice_reports(request):
    return render(request, "portfolio/report_list.html", {"reports": []})


urlpatterns = [
    path("berichte/", report_list, name="report-list"),
    path("verwaltung/berichte/", backoffice_reports, name="backoffice-reports"),
]
