"""Render the report: one Jinja2 template set gives report.html (screen, with its SVG figures beside it) and
report.pdf (WeasyPrint, from the same templates with `medium="pdf"` and the print stylesheet)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from vru.bundle import read_bundle
from vru.presentation.formatting import FILTERS
from vru.report.context import build_context
from vru.report.model import Numbering
from vru.report.status import DRAFT, ReportStatus

PACKAGE = Path(__file__).parent
TEMPLATES = PACKAGE / "templates"
STYLESHEET = PACKAGE / "static" / "report.css"
FORMATS = ("html", "pdf")
KEEP_WITH_FIGURE_ROWS = 8  # in the PDF a figure and a data table this short stay on one page
NARROW_FIGURE_PX = 500  # figures narrower than this keep their own width in print (not stretched to the page)


@dataclass
class ReportResult:
    html: Path | None = None
    pdf: Path | None = None
    figures: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def render_html(context: dict, medium: str) -> str:
    """The report as HTML for `medium` "html" (screen: data tables in <details>, contents as links) or "pdf"
    (every table printed, contents with page numbers)."""
    template = environment().get_template("report.html.j2")
    stylesheet = STYLESHEET.read_text(encoding="utf-8")
    return template.render(
        **context,
        medium=medium,
        stylesheet=stylesheet,
        numbering=Numbering(),
        keep_rows=KEEP_WITH_FIGURE_ROWS,
        narrow_px=NARROW_FIGURE_PX,
    )


def write_pdf(html: str, base_dir: Path, target: Path) -> None:
    from weasyprint import HTML  # imported here: WeasyPrint takes a moment to load

    # A tagged PDF: headings, tables, lists and figures (with their alternative text) in a structure tree
    # that screen readers follow; the title and language come from the HTML.
    HTML(string=html, base_url=str(base_dir)).write_pdf(target, pdf_tags=True)


def render_report(
    bundle_dir: str | Path,
    out_dir: str | Path,
    formats: tuple[str, ...] | list[str] = FORMATS,
    produced_on: date | None = None,
    status: ReportStatus = DRAFT,
) -> ReportResult:
    """Read the bundle at bundle_dir and write report.html (with its figures) and/or report.pdf to out_dir,
    as a draft for the partnership board or, with `status`, as the version approved for publication."""
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ValueError(f"formats must be among {', '.join(FORMATS)} (got {', '.join(sorted(unknown)) or 'none'})")
    out_dir = Path(out_dir)
    result = ReportResult()
    start = time.perf_counter()
    bundle = read_bundle(bundle_dir)  # first: a bundle that cannot be read leaves the output folder alone
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("figure-*.svg"):  # figures of an earlier run that this bundle may not have
        stale.unlink()
    context = build_context(bundle, out_dir, produced_on, status)
    result.figures = [out_dir / figure.filename for figure in context["figures"]]
    result.seconds["figures"] = time.perf_counter() - start
    if "html" in formats:
        start = time.perf_counter()
        result.html = out_dir / "report.html"
        result.html.write_text(render_html(context, "html"), encoding="utf-8")
        result.seconds["html"] = time.perf_counter() - start
    if "pdf" in formats:
        start = time.perf_counter()
        result.pdf = out_dir / "report.pdf"
        write_pdf(render_html(context, "pdf"), out_dir, result.pdf)
        result.seconds["pdf"] = time.perf_counter() - start
    return result
