"""Publishes an assessment bundle (`vru assess`) into the portal database (`manage.py publish_insights`).

Reads the bundle through portal.insights.bundle (the toolkit's own reader: a bundle `vru report` cannot read is
refused here too), stores it in a PublishedAssessment row, copies the SNA report (when given) to
VRU_VAR_DIR/published/reports/<area>/<id>/ and the bundle beside it (VRU_VAR_DIR/published/bundles/<area>/<id>/,
which approval renders the approved report from: portal.insights.reports), and sends `assessment_published`, on
which portal.dashboards builds the pages' figures and charts. After this, no request reads the bundle folder: it
can be moved or deleted.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import shutil
from datetime import UTC
from html.parser import HTMLParser
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from portal.insights.bundle import BundleError, read_bundle
from portal.insights.models import PublishedAssessment
from portal.insights.signals import assessment_published
from portal.insights.storage import REPORT_CONTENT_TYPES, published_root

logger = logging.getLogger(__name__)

# More distinct style attributes than this and the report's policy allows inline styles wholesale instead of
# listing a hash for each (a header with hundreds of hashes breaks proxies). Scripts stay forbidden.
MAX_STYLE_ATTRIBUTE_HASHES = 40


# --- The report ---------------------------------------------------------------------------------------


class _InlineStyles(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.attributes: set[str] = set()
        self.scripts = 0
        self._in_style = False
        self._block: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name == "style" and value is not None:
                self.attributes.add(value)
        if tag == "style":
            self._in_style, self._block = True, []
        elif tag == "script":
            self.scripts += 1

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag) -> None:
        if tag == "style" and self._in_style:
            self.blocks.append("".join(self._block))
            self._in_style = False

    def handle_data(self, data) -> None:
        if self._in_style:
            self._block.append(data)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def report_style_sources(html: str) -> list[str]:
    """The style-src sources that let report.html's own inline styles apply, and nothing else inline.

    <style> blocks are allowed by their hashes; style attributes by theirs with 'unsafe-hashes', or, when there
    are more than MAX_STYLE_ATTRIBUTE_HASHES distinct ones, by 'unsafe-inline' alone (a browser ignores
    'unsafe-inline' when any hash is listed).
    """
    parser = _InlineStyles()
    parser.feed(html)
    parser.close()
    if parser.scripts:
        logger.warning("report.html has %d script element(s): they will not run under its policy", parser.scripts)
    if len(parser.attributes) > MAX_STYLE_ATTRIBUTE_HASHES:
        return ["'unsafe-inline'"]
    sources = sorted({_csp_hash(block) for block in parser.blocks})
    if parser.attributes:
        sources = ["'unsafe-hashes'", *sources, *sorted({_csp_hash(value) for value in parser.attributes})]
    return sources


def report_files_of(report_dir: Path) -> list[Path]:
    """The files of a report folder that may be served (relative paths). Raises BundleError when it has none."""
    if not report_dir.is_dir():
        raise BundleError(f"no report folder at {report_dir}: write one with the toolkit's report command")
    files = []
    for path in sorted(report_dir.rglob("*")):
        relative = path.relative_to(report_dir)
        if any(part.startswith(".") for part in relative.parts) or path.is_symlink() or not path.is_file():
            continue
        if path.suffix.lower() not in REPORT_CONTENT_TYPES:
            logger.warning("Not publishing %s: only %s files are served", relative, ", ".join(REPORT_CONTENT_TYPES))
            continue
        files.append(relative)
    names = {str(path) for path in files}
    if "report.html" not in names and "report.pdf" not in names:
        raise BundleError(f"{report_dir} has neither report.html nor report.pdf")
    return files


def _bundle_files(bundle_dir: Path) -> list[Path]:
    return [
        path.relative_to(bundle_dir)
        for path in sorted(bundle_dir.rglob("*"))
        if path.is_file() and not path.is_symlink() and not any(part.startswith(".") for part in path.parts)
    ]


def _copy_report(report_dir: Path, files: list[Path], destination: Path) -> None:
    temporary = destination.with_name(f".{destination.name}.partial")
    if temporary.exists():
        shutil.rmtree(temporary)
    for relative in files:
        target = temporary / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(report_dir / relative, target)
    if destination.exists():
        shutil.rmtree(destination)
    temporary.rename(destination)


# --- Publishing -----------------------------------------------------------------------------------------


def publish_assessment(
    bundle_dir: Path, *, report_dir: Path | None = None, area_code: str | None = None
) -> PublishedAssessment:
    """Store the bundle (and copy the report) and build the dashboard pages from it. Raises BundleError,
    storing nothing, when the bundle or report cannot be published."""
    bundle_dir = Path(bundle_dir).resolve()
    bundle = read_bundle(bundle_dir)
    summary = bundle["summary"]
    generated_at = parse_datetime(str(summary["generated_at"]))
    if generated_at is None:
        raise BundleError(f"summary.json generated_at {summary['generated_at']!r} is not a date and time")
    if area_code and summary["area_code"] != area_code:
        raise BundleError(f"the bundle is for area {summary['area_code']!r}, not {area_code!r}")
    area = summary.get("area") or {}
    if timezone.is_naive(generated_at):
        generated_at = generated_at.replace(tzinfo=UTC)

    report_files: list[Path] = []
    style_sources: list[str] = []
    if report_dir is not None:
        report_dir = Path(report_dir).resolve()
        report_files = report_files_of(report_dir)
        if (report_dir / "report.html").is_file():
            style_sources = report_style_sources((report_dir / "report.html").read_text(encoding="utf-8"))

    copied: Path | None = None
    copies: list[Path] = []
    try:
        with transaction.atomic():
            published = PublishedAssessment.objects.create(
                area_code=summary["area_code"],
                area_name=area.get("name") or summary["area_code"],
                generated_at=generated_at,
                schema_version=summary["schema_version"],
                toolkit_version=str(summary.get("toolkit_version") or ""),
                bundle_path=str(bundle_dir),
                period_from=summary["period"]["from"],
                period_to=summary["period"]["to"],
                summary=summary,
                tables=bundle["tables"],
                boundaries=bundle["boundaries"],
            )
            if report_files:
                relative_dir = Path("reports") / published.area_code / str(published.pk)
                copied = published_root() / relative_dir
                copied.parent.mkdir(parents=True, exist_ok=True)
                _copy_report(report_dir, report_files, copied)
                published.report_dir = str(relative_dir)
                published.report_files = sorted(str(path) for path in report_files)
                published.report_style_hashes = style_sources
                published.save(update_fields=["report_dir", "report_files", "report_style_hashes"])
                # The report is the board's draft: approval renders it again, as approved, from this copy of
                # the bundle (portal.insights.reports), whatever becomes of the bundle folder.
                bundle_copy = published_root() / "bundles" / published.area_code / str(published.pk)
                bundle_copy.parent.mkdir(parents=True, exist_ok=True)
                _copy_report(bundle_dir, _bundle_files(bundle_dir), bundle_copy)
                copies.append(bundle_copy)
            assessment_published.send(sender=PublishedAssessment, assessment=published)
    except BaseException:
        for folder in [copied, *copies]:
            if folder is not None and folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
        raise

    if report_files:
        _remove_older_reports(published)
    return published


def _remove_older_reports(published: PublishedAssessment) -> None:
    """Keep the newest report of an area (a draft until it is approved) and those of approved assessments
    (portal.publication: the public keeps reading the approved one while a draft is checked); delete the
    other copies and forget them."""
    kept = PublishedAssessment.objects.filter(area_code=published.area_code).filter(
        Q(pk=published.pk) | Q(release__status="approved")
    )
    keep = {published_root() / folder for folder in kept.exclude(report_dir="").values_list("report_dir", flat=True)}
    area_dir = published_root() / "reports" / published.area_code
    for child in area_dir.iterdir():
        if child not in keep and child.is_dir() and not child.name.startswith("."):
            shutil.rmtree(child, ignore_errors=True)
    # The bundle copies approval renders from: the newest draft's, and the approved ones' (a withdrawn version
    # may be approved again).
    kept_ids = {str(pk) for pk in kept.values_list("pk", flat=True)}
    bundles_dir = published_root() / "bundles" / published.area_code
    for child in bundles_dir.iterdir() if bundles_dir.is_dir() else []:
        if child.name not in kept_ids and child.is_dir() and not child.name.startswith("."):
            shutil.rmtree(child, ignore_errors=True)
    PublishedAssessment.objects.filter(area_code=published.area_code).exclude(pk__in=kept.values("pk")).exclude(
        report_dir=""
    ).update(report_dir="", report_files=[], report_style_hashes=[])
