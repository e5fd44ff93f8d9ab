from stadtdigital.reports.views import (
    assist,
    backoffice,
    backoffice_assist,
    categories,
    citizen,
    privacy,
    public,
)

app_name = "reports"

urlpatterns = (
    citizen.urlpatterns
    + assist.urlpatterns
    + public.urlpatterns
    + categories.urlpatterns  # before backoffice's "verwaltung/anliegen/<int:pk>/..." patterns
    + backoffice_assist.urlpatterns  # before backoffice's "verwaltung/anliegen/<int:pk>/..."
    + backoffice.urlpatterns
    + privacy.urlpatterns
)
