"""The response strategy document and the quarterly board pack, through the report pipeline: one Jinja2
template set gives the HTML and, with WeasyPrint, the tagged PDF, with the SNA report's stylesheet.

Input is the document the portal exports (portal.strategy.documents, docs/strategy.md): plain JSON-safe values,
with each SPC chart already drawn as SVG. This module reads nothing else.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from vru.report.render import STYLESHEET, write_pdf

TEMPLATES = Path(__file__).parent / "templates" / "strategy"
KINDS = {"strategy": "strategy.html.j2", "board-pack": "board_pack.html.j2"}
FORMATS = ("html", "pdf")


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_document_html(document: dict, medium: str) -> str:
    kind = document.get("kind")
    if kind not in KINDS:
        raise ValueError(f"document kind must be one of {', '.join(KINDS)} (got {kind!r})")
    template = _environment().get_template(KINDS[kind])
    return template.render(document=document, medium=medium, stylesheet=STYLESHEET.read_text(encoding="utf-8"))


def render_document(document: dict, out_dir: str | Path, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Write <kind>.html and/or <kind>.pdf to out_dir; returns the paths by format."""
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ValueError(f"formats must be among {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    if "html" in formats:
        written["html"] = out_dir / f"{document['kind']}.html"
        written["html"].write_text(render_document_html(document, "html"), encoding="utf-8")
    if "pdf" in formats:
        written["pdf"] = out_dir / f"{document['kind']}.pdf"
        write_pdf(render_document_html(document, "pdf"), out_dir, written["pdf"])
    return written
