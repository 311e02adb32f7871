"""Renders a strategy document or board pack through the toolkit's report pipeline (vru.report.strategy): HTML
and a tagged PDF, written to VRU_VAR_DIR/published/strategy/<id>/. Called by `manage.py render_strategy`, never
by a web request; the pages serve the files written here."""

from __future__ import annotations

from pathlib import Path

from portal.insights.storage import published_root

DOCUMENT_NAMES = ("strategy.html", "strategy.pdf", "board-pack.html", "board-pack.pdf")


def documents_dir(strategy_pk: int) -> Path:
    return published_root() / "strategy" / str(strategy_pk)


def render_document(document: dict, out_dir: Path, formats: tuple[str, ...] = ("html", "pdf")) -> dict[str, Path]:
    """Write `document` (portal.strategy.documents) as <kind>.html and/or <kind>.pdf; returns paths by format."""
    from vru.report.strategy import render_document as render

    return render(document, out_dir, formats)
