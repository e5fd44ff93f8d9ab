from django.http import Http404
from django.urls import path


def report_list(request):
    raise Http404


def report_detail(request, pk):
    raise Http404


urlpatterns = [
    path("anliegen/", report_list, name="list"),
    path("anliegen/<int:pk>/", report_detail, name="detail"),
]
