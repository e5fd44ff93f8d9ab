"""Synthetic demo data: the demo portfolio (modelled on a real Digitalisierungsbericht) and bulk generation.

- `load_demo_portfolio()`: the 102 (+8 later) demo projects with whole history, written through the service
  layer; idempotent; publishes the Digitalisierungsbericht as of 2021-06-30.
- `generate_portfolio(count, seed=...)`: many more synthetic projects, fast (benchmarks).
"""

from stadtdigital.portfolio.demo.generator import generate_portfolio
from stadtdigital.portfolio.demo.loader import (
    HISTORY_END,
    REPORT_2021_AS_OF,
    REPORT_2022_AS_OF,
    LoadResult,
    demo_loaded,
    load_demo_portfolio,
    publish_demo_report,
)


class PortfolioDemo:
    """The portfolio's part of `stadtdigital demo` (see core/management/commands/demo.py)."""

    label = "Projektportfolio"
    real_data_label = "eigene Projekte"
    accounts = ()  # the demo command's own logins ("demo", "demo-fachbereich") cover the portfolio

    def loaded(self) -> bool:
        return demo_loaded()

    def real_data_present(self) -> bool:
        from stadtdigital.portfolio.models import Project

        return Project.objects.filter(is_synthetic=False).exists()

    def load(self, out) -> None:
        def progress(done, total):
            if done == total or done % 25 == 0:
                out.write(f"  Projekte: {done}/{total}")

        result = load_demo_portfolio(publish=False, progress=progress)
        if result.already_loaded:
            out.write("  Demodaten sind schon vorhanden, nichts doppelt angelegt.")
        else:
            out.write(f"  {result.created} synthetische Projekte mit Verlauf angelegt.")
        out.step("Digitalisierungsbericht 2021 veröffentlichen …")
        report = publish_demo_report()
        out.write(f"  veröffentlicht: {report}" if report else "  schon veröffentlicht.")


DEMO_LOADER = PortfolioDemo()

__all__ = [
    "DEMO_LOADER",
    "HISTORY_END",
    "REPORT_2021_AS_OF",
    "REPORT_2022_AS_OF",
    "LoadResult",
    "demo_loaded",
    "generate_portfolio",
    "load_demo_portfolio",
    "publish_demo_report",
]
