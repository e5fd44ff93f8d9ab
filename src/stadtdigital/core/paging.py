"""Paged lists: one page parameter ("seite") for every list, and the query without it for page links."""

from django.core.paginator import Page, Paginator

PAGE_PARAMETER = "seite"


def page_of(request, items, per_page: int) -> Page:
    """The requested page; a missing, broken or too large number gives the first or last page, not a 404."""
    return Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAMETER))


def query_without_page(request, *also_without: str) -> str:
    """The request's query string without the page number (and `also_without`), for links to other pages."""
    query = request.GET.copy()
    for name in (PAGE_PARAMETER, *also_without):
        query.pop(name, None)
    return query.urlencode()
