"""A browsable static HTML report of the corpus store (``rok report``).

    >>> from rok_compare.report import build_report
    >>> summary = build_report("rok.db", "site")   # then open site/index.html
"""

from rok_compare.report.build import ReportError, ReportSummary, build_report

__all__ = ["ReportError", "ReportSummary", "build_report"]
