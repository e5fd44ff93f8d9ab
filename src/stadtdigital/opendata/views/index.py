from django.http import HttpResponse


def index(request, **kwargs):  # placeholder until the module is written
    return HttpResponse(status=501)
