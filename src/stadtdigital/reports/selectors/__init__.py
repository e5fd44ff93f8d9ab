"""Reads of the reports app, one module per concern (public, nearby, clusters, backoffice, stats)."""
