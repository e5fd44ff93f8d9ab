"""Views of the Open311 app: the API's read and write halves, its documentation page and OpenAPI document,
and the back office for API keys. Routes are in open311/urls.py and open311/backoffice_urls.py."""
