"""Section 8, cost of violence (templates/sections/cost.html.j2)."""

from __future__ import annotations

from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation.formatting import (
    gbp,
    gbp_millions,
    join_words,
    month_name,
    percent,
    period,
    plural,
    sentence,
    signed_percent,
    thousands,
    tidy_text,
)
from vru.presentation.tables import count, count_range, text
from vru.report.model import Table
from vru.report.sections.common import Common, Registry, strip_doc_refs


class CostContext(TypedDict, total=False):
    """What templates/sections/cost.html.j2 prints as `cost`."""

    available: bool
    estimate: dict
    low: str
    central: str
    high: str
    price_year: str
    period: str
    method: str
    range_table: Table
    components_table: Table
    unit_table: Table
    not_costed: list
    sexual_range: str | None
    assumptions: list
    unverified: list
    headline: dict | None
    reason: str  # when not available


def build(bundle: Bundle, registry: Registry, common: Common) -> CostContext:
    summary = bundle.summary
    cost = summary.get("cost") or {}
    if not cost.get("available"):
        return {
            "available": False,
            "reason": strip_doc_refs(cost.get("reason") or "The bundle holds no cost estimate."),
        }
    estimate = cost["area_estimate"]
    unit_costs = {_component_name(row["offence_group"]): row for row in cost.get("unit_costs") or []}
    status = cost.get("unit_cost_status") or {}
    range_table = registry.table(
        Table(
            caption="Estimated cost of a year of violence at the latest 12 months' level "
            f"({estimate['price_year']} prices)",
            columns=["", "Low", "Central", "High"],
            rows=[
                [
                    "Cost a year",
                    gbp_millions(estimate["low"]),
                    gbp_millions(estimate["central"]),
                    gbp_millions(estimate["high"]),
                ]
            ],
            numeric=[False, True, True, True],
        ),
        "table-cost-range",
    )
    components_table = registry.table(
        Table.of(
            "Police.uk \u2018violence and sexual offences\u2019 split by the force's "
            f"offence mix, {cost.get('period', '')}",
            [
                text("Component", lambda row: sentence(row["component"])),
                text(
                    "Share of the force's mix",
                    lambda row: _share_range(row.get("share_low"), row.get("share_high")),
                    numeric=True,
                ),
                count("Estimated crimes a year", "central"),
                count_range("Range", lambda row: row.get("low"), lambda row: row.get("high")),
                text(
                    "Unit cost",
                    lambda row: gbp(row["unit"]["unit_cost_gbp"]) if row["unit"] else "not costed",
                    numeric=True,
                ),
                text("Unit cost checked", lambda row: _status_text(row["flag"]) if row["unit"] else "\u2013"),
            ],
            [
                {
                    **row,
                    "unit": unit_costs.get(row["component"]),
                    "flag": status.get(row["component"]) or (unit_costs.get(row["component"]) or {}).get("status"),
                }
                for row in cost.get("split") or []
            ],
            partner=True,
            notes=[
                f"Estimated from {thousands(cost.get('vso_count_annualised'), 1)} crimes a year (annualised from "
                f"{plural(cost.get('months_with_data'), 'month')} with data) and the force's mix in the Home Office "
                f"tables for the 12 months ending {join_words(month_name(m) for m in cost.get('mix_editions') or [])}. "
                "These are estimates, not counts."
            ],
            compact=True,
        ),
        "table-cost-split",
    )
    unit_table = registry.table(
        Table(
            caption="Home Office unit costs of crime and whether each was checked against the source",
            columns=["Offence group", "Unit cost", "Price year", "Checked against the source", "Source"],
            rows=[
                [
                    row["offence_group"],
                    gbp(row["unit_cost_gbp"]),
                    row["price_year"],
                    _status_text(row["status"]),
                    row["source"],
                ]
                for row in cost.get("unit_costs") or []
            ],
            numeric=[False, True, False, False, False],
            compact=True,
        ),
        "table-unit-costs",
    )
    sexual = cost.get("sexual_offences_cost_range")
    result = {
        "available": True,
        "estimate": estimate,
        "low": gbp_millions(estimate["low"]),
        "central": gbp_millions(estimate["central"]),
        "high": gbp_millions(estimate["high"]),
        "price_year": estimate["price_year"],
        "period": cost.get("period"),
        "method": estimate.get("method"),
        "range_table": range_table,
        "components_table": components_table,
        "unit_table": unit_table,
        "not_costed": [
            (sentence(key), tidy_text(strip_doc_refs(text))) for key, text in (cost.get("not_costed") or {}).items()
        ],
        "sexual_range": f"{gbp_millions(sexual[0])} to {gbp_millions(sexual[1])}" if sexual else None,
        "assumptions": [tidy_text(strip_doc_refs(text)) for text in cost.get("assumptions") or []],
        "unverified": [sentence(name) for name, flag in status.items() if flag != "verified"],
        "headline": None,
    }
    check = cost.get("headline_check")
    if check:
        result["headline"] = {
            "claim": check.get("claim"),
            "period": period(check["period"]["from"], check["period"]["to"]),
            "months": thousands(check["period"]["months"]),
            "summary": registry.table(
                Table(
                    caption=f"The published {gbp_millions(check.get('published_gbp'))} headline recomputed from Home "
                    f"Office recorded crime ({check.get('price_year')} prices)",
                    columns=["", "Amount"],
                    rows=[
                        ["Published figure", gbp_millions(check.get("published_gbp"))],
                        ["Recomputed (central)", gbp_millions(check.get("cost_gbp"))],
                        [
                            "Recomputed range",
                            f"{gbp_millions(check.get('cost_low_gbp'))} to {gbp_millions(check.get('cost_high_gbp'))}",
                        ],
                        [
                            "Difference (recomputed \u2212 published)",
                            f"{gbp_millions(check.get('difference_gbp'))} "
                            f"({signed_percent(check.get('difference_percent'))})",
                        ],
                    ],
                    numeric=[False, True],
                ),
                "table-headline",
            ),
            "counts": registry.table(
                Table.of(
                    "Counts behind the recomputed headline",
                    [
                        text("Offence group", lambda row: sentence(row["offence_group"])),
                        count("Central", "central", decimals=1),
                        count_range("Range", lambda row: row.get("low"), lambda row: row.get("high"), decimals=1),
                        count("As first published", "first_published", decimals=1),
                        text("Months from P1", lambda row: thousands(row.get("months_p1")), numeric=True),
                        text("Months from P2", lambda row: thousands(row.get("months_p2")), numeric=True),
                        text(
                            "Months estimated",
                            lambda row: thousands((row.get("months_pro_rata") or 0) + (row.get("months_carried") or 0)),
                            numeric=True,
                        ),
                    ],
                    check.get("counts") or [],
                    partner=True,
                    notes=[
                        "Source: ONS police force area tables (Home Office police recorded crime): Table P1 counts and "
                        "Table P2 percentage changes. These partner-sourced counts follow the suppression rule."
                    ],
                    compact=True,
                ),
                "table-headline-counts",
            ),
            "assumptions": [tidy_text(strip_doc_refs(text)) for text in check.get("assumptions") or []],
        }
        result["headline"]["caption_amount"] = gbp_millions(check.get("published_gbp"))
    return result


def _component_name(name: str) -> str:
    return name.lower().replace(" ", "_")


def _share_range(low: float | None, high: float | None) -> str:
    """ "26.4% to 27.4%"; small shares keep two decimals ("0.03% to 0.03%")."""
    decimals = 2 if (high or 0) < 0.01 else 1
    return f"{percent(low, decimals)} to {percent(high, decimals)}"


def _status_text(status: str | None) -> str:
    if not status:
        return "not recorded"
    if status == "verified":
        return "Verified"
    return "NOT verified" + (f" ({status.split('(', 1)[1].rstrip(')')})" if "(" in status else "")
