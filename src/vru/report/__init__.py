"""The strategic needs assessment report: reads an assessment bundle (docs/bundle.md, through `vru.bundle`) and
writes an accessible HTML report and a PDF from one Jinja2 template set (docs/report.md). Reads the bundle only:
never the warehouse."""

from vru.report.render import FORMATS, ReportResult, render_report
from vru.report.status import DRAFT, ReportStatus, StatusError

__all__ = ["DRAFT", "FORMATS", "ReportResult", "ReportStatus", "StatusError", "render_report"]
