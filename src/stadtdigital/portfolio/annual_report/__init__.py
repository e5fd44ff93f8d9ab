"""The Digitalisierungsbericht (annual report), built from the portfolio's history.

- `figures.build_report_data(as_of)`: every figure of the report as a JSON-ready dict
  (format: docs/annual-report-json.md)
- `charts`: the report's SVG charts (matplotlib, thread-safe object-oriented API)
- `render`: HTML, PDF (WeasyPrint), JSON and CSV annex from that dict; same data gives the same bytes
- `publishing.publish_report(...)`: renders every format once and freezes it as a PublishedReport
"""
