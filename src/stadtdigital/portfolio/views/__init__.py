"""Portfolio views, one module per area; the routes are in portfolio/urls.py."""
