"""The strategic needs assessment report: reads an assessment bundle (docs/bundle.md) and writes an accessible
HTML report and a PDF from one Jinja2 template set (docs/report.md). Reads the bundle only: never the
warehouse."""

from vru.report.bundle import Bundle, BundleError, load_bundle
from vru.report.render import FORMATS, ReportResult, render_report

__all__ = ["FORMATS", "Bundle", "BundleError", "ReportResult", "load_bundle", "render_report"]
