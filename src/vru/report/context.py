"""Turn a bundle into what the templates print: one module per report section in `vru.report.sections` (matching
templates/sections/), each with `build(bundle, registry, common)` returning that section's context. Nothing here
recomputes an analysis; the sections read, select, sort and format what `vru assess` wrote (docs/report.md lists
which key feeds which part), and write their figures' SVG files through the registry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from vru.bundle import Bundle
from vru.presentation.formatting import long_date, month_name, period
from vru.presentation.suppression import METHOD_NOTE
from vru.report.recommendations import recommendations
from vru.report.sections import (
    appendices,
    cost,
    forecast,
    gaps,
    nature,
    outcomes,
    partner_factors,
    population,
    scope,
    sources,
    summary,
    where,
)
from vru.report.sections.common import (
    BOUNDARY_ATTRIBUTION,
    LEVELS,
    POLICE_UK_ATTRIBUTION,
    SECTIONS,
    Common,
    Registry,
)
from vru.report.status import DRAFT, ReportStatus

# The template name of each section's context and the function that builds it, in report order (the order in
# which figures are drawn). A new section: a module in vru/report/sections/, one line here, its template.
SECTION_BUILDERS: dict[str, Callable[[Bundle, Registry, Common], Any]] = {
    "findings": summary.build,
    "scope": scope.build,
    "sources": sources.build,
    "population": population.build,
    "nature": nature.build,
    "where": where.build,
    "outcomes": outcomes.build,
    "cost": cost.build,
    "forecast": forecast.build,
    "gaps": gaps.build,
    "partner_factors": partner_factors.build,
    "methods": appendices.methods,
    "lsoa_table": appendices.lsoa_table,
    "files": appendices.files,
}


def build_context(bundle: Bundle, out_dir: Path, produced_on: date | None = None, status: ReportStatus = DRAFT) -> dict:
    """Everything the templates need (`status`: draft, or approved for publication). Writes the figures' SVG
    files into out_dir."""
    summary_json = bundle.summary
    registry = Registry(out_dir)
    common = Common.from_bundle(bundle)
    produced_on = produced_on or date.today()
    area = common.area
    sections = {name: build(bundle, registry, common) for name, build in SECTION_BUILDERS.items()}
    return {
        "status": status,
        "title": f"Serious violence strategic needs assessment: {area['name']}",
        "area": area,
        "ci": common.ci,
        "area_name": area["name"],
        "area_level": LEVELS.get(area["level"], area["level"]),
        "period_text": period(summary_json["period"]["from"], summary_json["period"]["to"]),
        "produced_on": f"{produced_on.day} {month_name(produced_on.strftime('%Y-%m')).split()[0]} {produced_on.year}",
        "generated_on": long_date(summary_json.get("generated_at")),
        "toolkit_version": summary_json.get("toolkit_version") or "not recorded",
        "licence": summary_json["sources"].get("licence") or "",
        "boundary_attribution": BOUNDARY_ATTRIBUTION,
        "police_uk_attribution": POLICE_UK_ATTRIBUTION,
        "sections": SECTIONS,
        "section": {section.id: section for section in SECTIONS},
        "recommendations": recommendations(summary_json, bundle.lsoa, bundle.locations),
        "priorities": summary_json.get("priorities") or [],
        "method_changes": summary_json.get("method_changes") or [],
        "references": appendices.REFERENCES,
        "suppression_note": METHOD_NOTE,
        "figures": registry.figures,
        **sections,
    }
