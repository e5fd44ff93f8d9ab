from django.http import Http404
from django.urls import path


def new_report(request):
    raise Http404


urlpatterns = [path("anliegen/neu/", new_report, name="new")]
