from stadtdigital.portfolio.views import backoffice, imports, public, reports

app_name = "portfolio"

# imports first: its fixed paths must win over the back office's /verwaltung/projekte/<slug>/.
urlpatterns = imports.urlpatterns + public.urlpatterns + reports.urlpatterns + backoffice.urlpatterns
