"""The portfolio's open data datasets (the project register, the published annual reports), declared on
PortfolioConfig.opendata_datasets and collected by opendata/registry.py."""
