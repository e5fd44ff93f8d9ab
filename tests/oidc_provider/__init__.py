"""A real OpenID Connect provider for the tests: a small Django project with django-oauth-toolkit.

The test run starts it as a separate process (see `provider.py`); our app signs users in against it over
HTTP exactly as against Keycloak or Entra ID.
"""
