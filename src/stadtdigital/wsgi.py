import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadtdigital.settings")

from stadtdigital.core.handlers import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
