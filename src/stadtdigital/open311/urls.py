from stadtdigital.open311 import read, write

app_name = "open311"

urlpatterns = write.urlpatterns + read.urlpatterns
