"""Section 7, outcomes (templates/sections/outcomes.html.j2)."""

from __future__ import annotations

from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation.formatting import (
    join_words,
    percent,
    sentence,
)
from vru.presentation.tables import count, derived, text
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
    by_key = {(row["category"], row["year"], row["outcome_group"]): row for row in headline}
    for category in dict.fromkeys(row["category"] for row in headline):
        years = [
            {"year": year, "groups": {g: by_key.get((category, year, g)) for g in groups}}
            for year in sorted({row["year"] for row in headline if row["category"] == category})
        ]
        columns = [
            text("Year", "year"),
            *[
                derived(
                    sentence(group),
                    lambda row, group=group: (
                        percent(row["groups"][group]["share"], 1) if row["groups"][group] else "\u2013"
                    ),
                    count=lambda row, group=group: (row["groups"][group] or {}).get("count"),
                    with_count=True,
                )
                for group in groups
            ],
            count("Crimes", _year_total),
        ]
        tables.append(
            registry.table(
                Table.of(
                    f"Outcomes of {category.lower()}: share of crimes by last outcome, by year (count in brackets)",
                    columns,
                    years,
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
    data_quality = list(dict.fromkeys(group["data_quality"] for group in groups if group.get("data_quality")))
    total = {"outcome_group": "all outcomes", "count": distribution["total"], "share_text": "100%", "ci": ""}
    table = registry.table(
        Table.of(
            f"Every outcome of {join_words(c.lower() for c in distribution['categories'])} in "
            f"{distribution['year']}: crimes by last outcome",
            [
                text("Outcome", lambda row: sentence(row["outcome_group"])),
                count("Crimes"),
                derived("Share", lambda row: row.get("share_text") or percent(row["share"], 1)),
                derived("95% CI", lambda row: row["ci"] if "ci" in row else _share_interval(row)),
                text(
                    "Data quality", lambda row: "a gap in the data, not an outcome" if row.get("data_quality") else ""
                ),
            ],
            [*groups, total],
            notes=["Intervals are exact (Clopper-Pearson) for each share."],
        ),
        "table-outcome-distribution",
    )
    return table, data_quality


def _year_total(row: dict) -> object:
    """The year's crimes of the category (every outcome group's row carries it): the last group's, as before."""
    present = [group for group in row["groups"].values() if group]
    return present[-1]["total"] if present else None


def _share_interval(group: dict) -> str:
    return f"{percent(group['share_lower'], 1)} to {percent(group['share_upper'], 1)}"
