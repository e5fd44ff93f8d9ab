"""Reports views, one module per area; the routes to them are all in reports/urls.py."""
