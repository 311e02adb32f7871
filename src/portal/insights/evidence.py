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
    "IMPACT_BANDS",
    "LIBRARY_FILE",
    "SETTINGS",
    "THEMES",
    "library_rows",
    "thread_for_finding",
    "thread_for_gap_row",
]


def library_rows(path=LIBRARY_FILE) -> list[dict[str, Any]]:
    """The shipped evidence library (or the file at `path`), checked, one dict per approach."""
    from vru.sources.evidence_library import read_evidence_library

    frame = read_evidence_library(path)
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


def load_evidence_library(path=LIBRARY_FILE) -> tuple[int, int]:
    """Copy the toolkit's vocabularies in, and add the approaches of the shipped library (or `path`) that the
    portal does not have yet, by slug. Entries already in the portal are kept as they are: staff edits win over
    the file. Returns (added, kept)."""
    from django.db import transaction

    from portal.strategy.models import Approach, Term, TermKind

    rows = library_rows(path)
    existing = set(Approach.objects.values_list("slug", flat=True))
    added = 0
    vocabularies = {
        TermKind.IMPACT_BAND: IMPACT_BANDS,
        TermKind.SETTING: SETTINGS,
        TermKind.AGE_GROUP: AGE_GROUPS,
        TermKind.THEME: THEMES,
    }
    with transaction.atomic():
        # The toolkit's vocabularies are the reference: names and order follow it.
        for kind, names in vocabularies.items():
            for position, (slug, name) in enumerate(names.items()):
                Term.objects.update_or_create(kind=kind, slug=slug, defaults={"name": name, "position": position})
        for row in rows:
            if row["slug"] in existing:
                continue
            Approach.objects.create(
                slug=row["slug"],
                toolkit=row["toolkit"],
                name=row["name"],
                description=row["description"],
                impact_band=row["impact_band"],
                impact_statement=row["impact_statement"],
                evidence_rating=row["evidence_rating"],
                cost_rating=row["cost_rating"],
                delivery_settings=row["settings"],
                age_groups=row["age_groups"],
                themes=row["themes"],
                place_based=row["place_based"],
                source_url=row["source_url"],
                source_title=row["source_title"],
                date_read=row["date_read"],
                fields_read=row["fields_read"],
                verified=row["verified"],
            )
            added += 1
    return added, len(rows) - added
