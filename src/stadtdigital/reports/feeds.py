"""Atom feed of the newest public reports for any list filter: /anliegen/feed.atom?<filters of /anliegen/>.

Entries carry only the public part of a report: category, place, public description, state, dates.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from stadtdigital.reports.filters import ReportFilter
from stadtdigital.reports.selectors import public as selectors

FEED_SIZE = 50


class ReportFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        report_filter = ReportFilter(request.GET, queryset=selectors.public_reports())
        if not report_filter.form.is_valid():
            raise BadRequest("invalid filter")
        return report_filter

    def title(self, report_filter):
        if report_filter.active:
            return _("Anliegen in %(city)s (Auswahl)") % {"city": settings.CITY_NAME}
        return _("Neue Anliegen in %(city)s") % {"city": settings.CITY_NAME}

    def subtitle(self, report_filter):
        return _("Öffentliche Meldungen aus dem Mängelmelder, neueste zuerst.")

    def link(self, report_filter):
        query = urlencode(report_filter.clean_query())
        return reverse("reports:list") + (f"?{query}" if query else "")

    def feed_url(self, report_filter):
        query = urlencode(report_filter.clean_query())
        return reverse("reports:feed") + (f"?{query}" if query else "")

    def feed_guid(self, report_filter):
        """The feed's Atom `id` (RFC 4287 4.2.6: permanent): from SITE_URL, never the host the request
        named, so a reader that fetched it through another name or a proxy sees the same feed."""
        return settings.SITE_URL + self.feed_url(report_filter)

    def item_guid(self, report):
        return settings.SITE_URL + report.get_absolute_url()

    item_guid_is_permalink = False

    def author_name(self, report_filter):
        return settings.CITY_PUBLISHER

    def items(self, report_filter):
        reports = report_filter.filter_for_map().select_related("category")
        return reports.order_by("-created_at", "-id")[:FEED_SIZE]

    def item_title(self, report):
        if report.address:
            return f"{report.category.name}: {report.address}"
        return str(report.category.name)

    def item_description(self, report):
        # Atom summaries are HTML: the citizen's text is escaped, so it can never inject markup.
        state = report.get_state_display()
        return escape(f"{state}. {report.description}" if report.description else f"{state}.")

    def item_link(self, report):
        return report.get_absolute_url()

    def item_pubdate(self, report):
        return report.created_at

    def item_updateddate(self, report):
        return report.updated_at

    def item_categories(self, report):
        return [report.category.name]
