"""Section 2, scope and definition: the profile and the months (templates/sections/scope.html.j2)."""

from __future__ import annotations

from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation.formatting import (
    missing_months_text,
    month_list,
    sentence,
)
from vru.report.sections.common import Common, Registry, strip_doc_refs


class ScopeContext(TypedDict):
    """What templates/sections/scope.html.j2 prints as `scope`."""

    profile: dict
    categories: list
    recorded_groups: list
    cannot_separate: list
    source: str
    months_expected: int
    months_present: int
    missing: str
    missing_text: str
    has_missing: bool


def build(bundle: Bundle, registry: Registry, common: Common) -> ScopeContext:
    summary = bundle.summary
    profile = summary["profile"]
    return {
        "profile": profile,
        "categories": profile.get("police_uk_categories") or [],
        "recorded_groups": [sentence(group) for group in profile.get("recorded_crime_groups") or []],
        "cannot_separate": profile.get("cannot_separate") or [],
        "source": strip_doc_refs(profile.get("source") or ""),
        "months_expected": summary["period"]["months_expected"],
        "months_present": summary["period"]["months_present"],
        "missing": month_list(summary["missing_months"]),
        "missing_text": missing_months_text(summary["missing_months"], summary.get("missing_months_checked")),
        "has_missing": bool(summary["missing_months"]),
    }
