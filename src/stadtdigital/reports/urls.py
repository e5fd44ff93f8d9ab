from stadtdigital.reports.views import backoffice, citizen, public

app_name = "reports"

urlpatterns = citizen.urlpatterns + public.urlpatterns + backoffice.urlpatterns
