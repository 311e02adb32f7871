"""The evidence library and the golden thread, from the toolkit: loading the shipped library and its vocabularies
into the portal database, and ranking approaches for a need (the golden thread).

The portal reaches `vru` only through portal.insights (docs/adr/0002), and only in management commands: the
web process never imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any

from vru.analysis.golden_thread import need_from_finding, need_from_gap_row, rank_approaches
from vru.sources.evidence_library import AGE_GROUPS, IMPACT_BANDS, LIBRARY_FILE, SETTINGS, THEMES

__all__ = [
    "AGE_GROUPS",
    "EvidenceLibraryError",
    "IMPACT_BANDS",
    "LIBRARY_FILE",
    "SETTINGS",
    "THEMES",
    "library_rows",
    "thread_for_finding",
    "thread_for_gap_row",
]


class EvidenceLibraryError(ValueError):
    """The library file cannot be loaded as it stands (the message names the file, line and column)."""


def library_rows(path=LIBRARY_FILE) -> list[dict[str, Any]]:
    """The shipped evidence library (or the file at `path`), checked, one dict per approach."""
    from vru.errors import InputError
    from vru.sources.evidence_library import read_evidence_library

    try:
        frame = read_evidence_library(path)
    except InputError as error:
        raise EvidenceLibraryError(str(error)) from error
    rows = []
    for row in frame.to_dict("records"):
        rows.append({key: list(value) if isinstance(value, tuple) else value for key, value in row.items()})
    return rows


def _thread(need, approaches: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    thread = rank_approaches(need, approaches, labels={**THEMES, **SETTINGS, **AGE_GROUPS})
    return {
        "need": asdict(thread.need),
        "candidates": [asdict(candidate) for candidate in thread.candidates],
        "avoid": thread.avoid,
        "summary": thread.summary,
    }


def thread_for_finding(finding: Mapping[str, Any], approaches: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The golden thread of a key finding: the need, ranked candidates with explanations, approaches to avoid."""
    return _thread(need_from_finding(finding), approaches)


def thread_for_gap_row(row: Mapping[str, Any], approaches: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The golden thread of a gap-register row (vru.analysis.gaps)."""
    return _thread(need_from_gap_row(row), approaches)
