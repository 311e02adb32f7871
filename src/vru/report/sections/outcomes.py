"""Section 7, outcomes (templates/sections/outcomes.html.j2)."""

from __future__ import annotations

from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation.formatting import (
    percent,
    sentence,
)
from vru.presentation.suppression import METHOD_NOTE, any_suppressed, suppress, withhold
from vru.report.model import Table
from vru.report.sections.common import Common, Registry


class OutcomesContext(TypedDict):
    """What templates/sections/outcomes.html.j2 prints as `outcomes`."""

    caveat: str
    tables: list


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
    return {"caveat": outcomes.get("caveat") or "", "tables": tables}
