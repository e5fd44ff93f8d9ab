from stadtdigital.reports.views import backoffice, categories, citizen, privacy, public, sending

app_name = "reports"

urlpatterns = (
    sending.urlpatterns  # before the public "anliegen/..." and back office "verwaltung/anliegen/<pk>"
    + citizen.urlpatterns
    + public.urlpatterns
    + categories.urlpatterns  # before backoffice's "verwaltung/anliegen/<int:pk>/..." patterns
    + backoffice.urlpatterns
    + privacy.urlpatterns
)
