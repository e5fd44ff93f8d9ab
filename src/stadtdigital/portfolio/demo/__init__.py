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

__all__ = [
    "HISTORY_END",
    "REPORT_2021_AS_OF",
    "REPORT_2022_AS_OF",
    "LoadResult",
    "demo_loaded",
    "generate_portfolio",
    "load_demo_portfolio",
    "publish_demo_report",
]
