from stadtdigital.reports.views import (
    assist,
    backoffice,
    backoffice_assist,
    categories,
    citizen,
    privacy,
    public,
    sending,
)

app_name = "reports"

urlpatterns = (
    sending.urlpatterns  # before the public "anliegen/..." and back office "verwaltung/anliegen/<pk>"
    + citizen.urlpatterns
    + assist.urlpatterns
    + public.urlpatterns
    + categories.urlpatterns  # before backoffice's "verwaltung/anliegen/<int:pk>/..." patterns
    + backoffice_assist.urlpatterns  # before backoffice's "verwaltung/anliegen/<int:pk>/..."
    + backoffice.urlpatterns
    + privacy.urlpatterns
)
