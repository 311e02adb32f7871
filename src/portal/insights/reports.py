"""The approved report: `vru report` run again on the published assessment's own copy of its bundle, with the
approval (version, date, who) on the cover and every PDF page, in place of the board's draft.

When an assessment is published with a report, its bundle is copied to VRU_VAR_DIR/published/bundles/<area>/<id>/
(portal.insights.assessments), so that it can be rendered as approved even after the bundle folder has been
moved or deleted. Rendering takes tens of seconds (the PDF): it runs from `manage.py approve_assessment` and
`manage.py render_approved_report`, never inside a web request.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from portal.insights.models import PublishedAssessment
from portal.insights.signals import assessment_published
from portal.insights.storage import published_root


class ApprovedReportError(Exception):
    """The approved report cannot be rendered (no stored bundle, or the toolkit refused it)."""


def stored_bundle_dir(assessment: PublishedAssessment) -> Path:
    return published_root() / "bundles" / assessment.area_code / str(assessment.pk)


def withhold_report(assessment: PublishedAssessment) -> None:
    """Stop serving the assessment's report (the board's draft) until the approved one is rendered."""
    if assessment.report_files:
        assessment.report_files = []
        assessment.report_style_hashes = []
        assessment.save(update_fields=["report_files", "report_style_hashes"])
        assessment_published.send(sender=PublishedAssessment, assessment=assessment)


def render_approved_report(
    assessment: PublishedAssessment, *, version: int, approved_on: date, approved_by: str
) -> None:
    """Render report.html (with its figures) and report.pdf as approved (the formats the draft had), replace
    the stored report with them, and rebuild the dashboard pages so that the public links the new files.
    Raises ApprovedReportError."""
    # Imported here: publishing code, loaded only where a report is rendered (and never by the dashboard's pages).
    from portal.insights.assessments import report_files_of, report_style_sources
    from vru.bundle import BundleError
    from vru.report import ReportStatus, render_report

    source = stored_bundle_dir(assessment)
    if not (source / "summary.json").is_file():
        raise ApprovedReportError(
            "the assessment's bundle was not kept when it was published (published with an older portal, or "
            "without a report): publish the bundle again with its report, then approve that one"
        )
    relative_dir = Path("reports") / assessment.area_code / str(assessment.pk)
    destination = published_root() / relative_dir
    partial = destination.with_name(f".{destination.name}.approved.partial")
    if partial.exists():
        shutil.rmtree(partial)
    status = ReportStatus.approved(approved_on, approved_by, version)
    # The formats the draft was published in (a report published as a web page only stays one).
    formats = tuple(kind for kind in ("html", "pdf") if (destination / f"report.{kind}").is_file()) or ("html", "pdf")
    try:
        render_report(source, partial, formats, status=status)
    except (BundleError, OSError, ValueError) as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise ApprovedReportError(f"the report could not be rendered: {error}") from error
    files = report_files_of(partial)
    html = partial / "report.html"
    styles = report_style_sources(html.read_text(encoding="utf-8")) if html.is_file() else []
    if destination.exists():
        shutil.rmtree(destination)
    partial.rename(destination)
    assessment.report_dir = str(relative_dir)
    assessment.report_files = sorted(str(path) for path in files)
    assessment.report_style_hashes = styles
    assessment.save(update_fields=["report_dir", "report_files", "report_style_hashes"])
    assessment_published.send(sender=PublishedAssessment, assessment=assessment)
