"""Section 1, executive summary: the key findings as the bundle words them (templates/sections/summary.html.j2)."""

from __future__ import annotations

from vru.bundle import Bundle
from vru.report.sections.common import Common, Registry

FINDING_SECTIONS = {
    "nature and extent": "nature",
    "where": "where",
    "population": "population",
    "outcomes": "outcomes",
    "cost": "cost",
    "risk factors": "risk-factors",
    "who is affected": "who-is-affected",
}


def build(bundle: Bundle, registry: Registry, common: Common) -> list[dict]:
    summary = bundle.summary
    result = []
    for finding in summary["findings"]:
        significant = finding.get("significant")
        section = "forecast" if finding["id"] == "forecast" else FINDING_SECTIONS.get(finding.get("section"), "summary")
        result.append(
            {
                "id": finding["id"],
                "anchor": f"finding-{finding['id']}",
                "text": finding["text"],
                "figure": finding["figure_text"],
                "test": finding.get("test"),
                "significance": None
                if significant is None
                else ("statistically significant" if significant else "not statistically significant"),
                "section": section,
                "in_summary": finding.get("in_summary", True),
            }
        )
    return result
