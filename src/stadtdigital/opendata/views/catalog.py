from django.http import HttpResponse


def catalog(request, **kwargs):  # placeholder until the module is written
    return HttpResponse(status=501)
