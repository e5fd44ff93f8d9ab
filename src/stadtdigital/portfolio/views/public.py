"""Public portfolio pages: /projekte/ and /projekte/<slug>/."""

from django.shortcuts import get_object_or_404, render
from django.urls import path

from stadtdigital.portfolio.models import Project


def project_list(request):
    return render(request, "portfolio/project_list.html", {"projects": Project.objects.all()})


def project_detail(request, slug):
    project = get_object_or_404(Project, slug=slug)
    return render(request, "portfolio/project_detail.html", {"project": project})


urlpatterns = [
    path("projekte/", project_list, name="project-list"),
    path("projekte/<slug:slug>/", project_detail, name="project-detail"),
]
