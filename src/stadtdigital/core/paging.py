"""Paged lists: one page parameter ("seite") for every list, and the query without it for page links."""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

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


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` items; `capped` says there are more (the page shows "more
    than ..."). Counting every hit of a frequent search word costs one row look-up per hit (about 67,000
    for "Schlaglöcher" at 1,000,000 reports); the pages up to the cap still work as usual."""

    def __init__(self, object_list, per_page, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # Only the ids: no joins or columns the page needs (select_related) in the counted rows.
        return self.object_list.order_by().select_related(None).values("pk")[: self.cap + 1].count()

    @property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
