"""The WSGI application: API paths get a middleware chain without what only browsers need (decision 0025).

Django builds one middleware chain for every request. An Open311 request carries no session cookie, no
CSRF token (POST is authenticated by its api_key), shows no messages and needs no logged-in user, yet the
full chain costs it a good part of a single request's time. `PathSplitWSGIHandler` builds a second chain
without the middleware named in `settings.API_SKIPPED_MIDDLEWARE` and serves every path that starts with
one of `settings.API_PATH_PREFIXES` through it; everything else goes through the full chain. Middleware
added later (e.g. a login throttle or a second factor) is skipped for the API by adding it to that list.
"""

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler, get_path_info


class LeanWSGIHandler(WSGIHandler):
    """A WSGIHandler whose chain is settings.MIDDLEWARE without settings.API_SKIPPED_MIDDLEWARE."""

    def load_middleware(self, is_async=False):
        # BaseHandler.load_middleware reads settings.MIDDLEWARE; give it the lean list while it builds the
        # chain (at start-up, before any request is served, so no other thread sees the change).
        full = settings.MIDDLEWARE
        skipped = set(settings.API_SKIPPED_MIDDLEWARE)
        settings.MIDDLEWARE = [path for path in full if path not in skipped]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


class PathSplitWSGIHandler(WSGIHandler):
    def __init__(self):
        super().__init__()
        self.prefixes = tuple(settings.API_PATH_PREFIXES)
        self.api_handler = LeanWSGIHandler() if self.prefixes else None

    def __call__(self, environ, start_response):
        if self.api_handler is not None and get_path_info(environ).startswith(self.prefixes):
            return self.api_handler(environ, start_response)
        return super().__call__(environ, start_response)


def get_wsgi_application() -> WSGIHandler:
    import django

    django.setup(set_prefix=False)
    return PathSplitWSGIHandler()
