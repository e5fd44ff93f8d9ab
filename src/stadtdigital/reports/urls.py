from stadtdigital.reports.views import assist, backoffice, categories, citizen, privacy, public

app_name = "reports"

urlpatterns = (
    citizen.urlpatterns
    + assist.urlpatterns
    + public.urlpatterns
    + categories.urlpatterns  # before backoffice's "verwaltung/anliegen/<int:pk>/..." patterns
    + backoffice.urlpatterns
    + privacy.urlpatterns
)
