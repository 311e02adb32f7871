"""Section 7, outcomes (templates/sections/outcomes.html.j2)."""

from __future__ import annotations

from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation.formatting import (
    join_words,
    percent,
    sentence,
    thousands,
)
from vru.presentation.suppression import METHOD_NOTE, any_suppressed, suppress, withhold
from vru.report.model import Table
from vru.report.sections.common import Common, Registry


class OutcomesContext(TypedDict):
    """What templates/sections/outcomes.html.j2 prints as `outcomes`."""

    caveat: str
    tables: list
    distribution: Table | None
    data_quality: list[str]


def build(bundle: Bundle, registry: Registry, common: Common) -> OutcomesContext:
    summary = bundle.summary
    outcomes = summary.get("outcomes") or {}
    headline = outcomes.get("headline") or []
    groups = list(dict.fromkeys(row["outcome_group"] for row in headline))
    tables = []
    for category in dict.fromkeys(row["category"] for row in headline):
        rows = []
        counts = []
        for year in sorted({row["year"] for row in headline if row["category"] == category}):
            cells = [year]
            total = None
            for group in groups:
                match = next(
                    (
                        r
                        for r in headline
                        if r["category"] == category and r["year"] == year and r["outcome_group"] == group
                    ),
                    None,
                )
                if match is None:
                    cells.append("\u2013")
                    continue
                total = match["total"]
                counts.append(match["count"])
                cells.append(f"{withhold(match['count'], percent(match['share'], 1))} ({suppress(match['count'])})")
            cells.append(suppress(total))
            rows.append(cells)
        tables.append(
            registry.table(
                Table(
                    caption=f"Outcomes of {category.lower()}: share of crimes by last outcome, "
                    "by year (count in brackets)",
                    columns=["Year", *[sentence(g) for g in groups], "Crimes"],
                    rows=rows,
                    numeric=[False] + [True] * (len(groups) + 1),
                    notes=[METHOD_NOTE] if any_suppressed(counts) else [],
                    compact=True,
                ),
                f"table-outcomes-{len(tables) + 1}",
            )
        )
    distribution, data_quality = _distribution(summary.get("outcome_distribution") or {}, registry)
    return {
        "caveat": outcomes.get("caveat") or "",
        "tables": tables,
        "distribution": distribution,
        "data_quality": data_quality,
    }


def _distribution(distribution: dict, registry: Registry) -> tuple[Table | None, list[str]]:
    """Every outcome group of the latest full year (bundle `outcome_distribution`), largest first, and the
    data-quality notes of the groups that are gaps in the data rather than outcomes."""
    if not distribution.get("available") or not distribution.get("groups"):
        return None, []
    groups = distribution["groups"]
    counts = [group["count"] for group in groups]
    data_quality = list(dict.fromkeys(group["data_quality"] for group in groups if group.get("data_quality")))
    table = registry.table(
        Table(
            caption=f"Every outcome of {join_words(c.lower() for c in distribution['categories'])} in "
            f"{distribution['year']}: crimes by last outcome",
            columns=["Outcome", "Crimes", "Share", "95% CI", "Data quality"],
            rows=[
                [
                    sentence(group["outcome_group"]),
                    suppress(group["count"]),
                    withhold(group["count"], percent(group["share"], 1)),
                    withhold(group["count"], _share_interval(group)),
                    "a gap in the data, not an outcome" if group.get("data_quality") else "",
                ]
                for group in groups
            ]
            + [["All outcomes", thousands(distribution["total"]), "100%", "", ""]],
            numeric=[False, True, True, True, False],
            notes=["Intervals are exact (Clopper-Pearson) for each share."]
            + ([METHOD_NOTE] if any_suppressed(counts) else []),
        ),
        "table-outcome-distribution",
    )
    return table, data_quality


def _share_interval(group: dict) -> str:
    return f"{percent(group['share_lower'], 1)} to {percent(group['share_upper'], 1)}"
