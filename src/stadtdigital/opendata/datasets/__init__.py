"""One module per kind of published data; `collect()` returns their datasets in the order of /opendata/."""

from stadtdigital.opendata.registry import Dataset


def collect() -> list[Dataset]:
    from stadtdigital.opendata.datasets import annual_reports, portfolio, report_statistics, reports

    return [
        *portfolio.datasets(),
        *annual_reports.datasets(),
        *reports.datasets(),
        *report_statistics.datasets(),
    ]
