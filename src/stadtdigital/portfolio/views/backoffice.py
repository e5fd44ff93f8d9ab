"""Back office for the portfolio: /verwaltung/projekte/ (list, create, edit, status changes)."""

from django.shortcuts import render
from django.urls import path

from stadtdigital.core.views import staff_required
from stadtdigital.portfolio.models import Project


@staff_required
def project_list(request):
    return render(request, "portfolio/project_list.html", {"projects": Project.objects.all()})


urlpatterns = [
    path("verwaltung/projekte/", project_list, name="backoffice-projects"),
]
