"""Renders the strategy document and the board pack through the toolkit's report pipeline
(vru.report.strategy): HTML and a tagged PDF, written to VRU_VAR_DIR/published/strategy/<id>/. Called by
`manage.py render_strategy`, never by a web request; the pages serve the files written here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from portal.insights.assessments import published_root

DOCUMENT_NAMES = ("strategy.html", "strategy.pdf", "board-pack.html", "board-pack.pdf")


def documents_dir(strategy_pk: int) -> Path:
    return published_root() / "strategy" / str(strategy_pk)


def render_strategy_documents(
    strategy, produced_on: date, formats: tuple[str, ...] = ("html", "pdf")
) -> dict[str, Path]:
    """Write strategy.html/.pdf and board-pack.html/.pdf for `strategy`; returns the paths by file name."""
    from portal.strategy.board_pack import build_board_pack
    from portal.strategy.documents import board_pack_document, strategy_document
    from vru.report.strategy import render_document

    out = documents_dir(strategy.pk)
    written = {}
    for document in (
        strategy_document(strategy, produced_on),
        board_pack_document(build_board_pack(strategy, produced_on)),
    ):
        for path in render_document(document, out, formats).values():
            written[path.name] = path
    return written
