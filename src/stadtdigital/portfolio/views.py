from django.shortcuts import get_object_or_404, render

from stadtdigital.portfolio.models import Project


def project_list(request):
    return render(request, "portfolio/project_list.html", {"projects": Project.objects.all()})


def project_detail(request, slug):
    project = get_object_or_404(Project, slug=slug)
    return render(request, "portfolio/project_detail.html", {"project": project})


def report_list(request):
    return render(request, "portfolio/report_list.html", {"reports": []})


def backoffice_projects(request):
    return render(request, "portfolio/project_list.html", {"projects": Project.objects.all()})


def backoffice_reports(request):
    return render(request, "portfolio/report_list.html", {"reports": []})
