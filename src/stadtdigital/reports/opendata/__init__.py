"""The open data datasets of citizens' reports (the reports, the monthly statistics), declared on
ReportsConfig.opendata_datasets and collected by opendata/registry.py."""
