from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", include("stadtdigital.core.urls")),
    path("", include("stadtdigital.portfolio.urls")),
    path("", include("stadtdigital.reports.urls")),
    path("open311/v2/", include("stadtdigital.open311.urls")),
    path("opendata/", include("stadtdigital.opendata.urls")),
    path("verwaltung/open311/", include("stadtdigital.open311.backoffice_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the site's login (throttle, two-factor, single sign-on, LOCAL_LOGIN_ENABLED).
    path("admin/login/", RedirectView.as_view(pattern_name="core:login", query_string=True)),
    path("admin/", admin.site.urls),
]

handler400 = "stadtdigital.core.errors.bad_request"
handler403 = "stadtdigital.core.errors.permission_denied"
handler404 = "stadtdigital.core.errors.page_not_found"
handler500 = "stadtdigital.core.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
