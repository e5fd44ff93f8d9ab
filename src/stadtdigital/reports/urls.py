from stadtdigital.reports.views import backoffice, citizen, privacy, public

app_name = "reports"

urlpatterns = citizen.urlpatterns + public.urlpatterns + backoffice.urlpatterns + privacy.urlpatterns
