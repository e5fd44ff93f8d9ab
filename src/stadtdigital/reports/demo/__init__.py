"""Synthetic demo data of the Mängelmelder: category catalogue, 5,000 reports with history, bulk generation.

- `load_demo_reports()`: the catalogue (groups, categories, questions, answer templates, departments) and
  5,000 synthetic reports over the last two years with consistent histories; idempotent.
- `generate_reports(count, seed=...)`: many more reports, fast (benchmarks with 1,000,000).
- `DEMO_LOADER`: what `stadtdigital demo` calls (registered as `demo_loaders` on the reports AppConfig).
"""

from stadtdigital.reports.demo.generator import generate_reports
from stadtdigital.reports.demo.loader import (
    DEMO_ACCOUNTS,
    DEMO_REPORT_COUNT,
    LoadResult,
    demo_loaded,
    ensure_catalogue,
    load_demo_reports,
    real_data_present,
)


class ReportsDemo:
    """The reports app's part of `stadtdigital demo` (see core/management/commands/demo.py)."""

    label = "Mängelmelder"
    real_data_label = "eigene Anliegen oder Kategorien"
    accounts = DEMO_ACCOUNTS

    def loaded(self) -> bool:
        return demo_loaded()

    def real_data_present(self) -> bool:
        return real_data_present()

    def load(self, out) -> None:
        out.step("Mängelmelder: Kategorien und synthetische Anliegen laden …")
        result = load_demo_reports(progress=lambda done, total: out.write(f"  Anliegen: {done}/{total}"))
        if result.already_loaded:
            out.write("  Anliegen sind schon vorhanden, nichts doppelt angelegt.")
        else:
            out.write(
                f"  {result.categories} Kategorien und {result.created} synthetische Anliegen mit Verlauf "
                "angelegt."
            )


DEMO_LOADER = ReportsDemo()

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_LOADER",
    "DEMO_REPORT_COUNT",
    "LoadResult",
    "demo_loaded",
    "ensure_catalogue",
    "generate_reports",
    "load_demo_reports",
    "real_data_present",
]
