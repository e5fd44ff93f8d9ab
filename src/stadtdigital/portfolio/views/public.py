"""Public portfolio pages: /projekte/ and /projekte/<slug>/. Only public fields reach these templates."""

from django.shortcuts import render

from stadtdigital.core.kpis import live_kpis_for
from stadtdigital.core.paging import page_of, query_without_page
from stadtdigital.portfolio import selectors
from stadtdigital.portfolio.filters import ProjectFilter

PAGE_SIZE = 50


def project_list(request):
    project_filter = ProjectFilter(request.GET or None, queryset=selectors.project_list_queryset())
    projects = project_filter.qs
    page = page_of(request, projects, PAGE_SIZE)
    return render(
        request,
        "portfolio/project_list.html",
        {
            "filter": project_filter,
            "page": page,
            "totals": selectors.portfolio_totals(projects),
            "query": query_without_page(request),
        },
    )


def project_detail(request, slug):
    project = selectors.public_project(slug)
    return render(
        request,
        "portfolio/project_detail.html",
        {
            "project": project,
            "timeline": selectors.status_timeline(project),
            "milestones": list(project.milestones.all()),
            "kpis": list(project.kpis.all()),
            # Live figures another app provides for this project (e.g. the Mängelmelder), via core.kpis.
            "live_kpis": live_kpis_for(project.slug),
        },
    )
