"""Recommendations generated from the findings and caveats in the bundle.

Each recommendation names what it rests on: a finding id (`summary["findings"][i]["id"]`, linked to the
finding in the executive summary) or a caveat of the assessment (the definition profile's `cannot_separate`
list, missing months, the comparison note, the gaps not yet assessed). A recommendation appears only when
the bundle holds what it rests on, and every number in it is read from the bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vru.presentation.formatting import (
    gbp_millions,
    join_words,
    month_list,
    month_name,
    number,
    percent,
    percent_value,
    thousands,
)

# What each caveat id points at in the report (anchor, words).
CAVEATS = {
    "profile": ("cannot-separate", "what the definition cannot separate (section 2)"),
    "missing-months": ("caveats", "missing months (section 3)"),
    "comparison": ("comparison", "comparison not available (section 5)"),
    "gaps": ("gaps", "gaps not yet assessed (section 10)"),
}


@dataclass(frozen=True)
class Basis:
    kind: str  # "finding" or "caveat"
    id: str

    @property
    def anchor(self) -> str:
        return f"finding-{self.id}" if self.kind == "finding" else CAVEATS[self.id][0]

    @property
    def label(self) -> str:
        return f"finding \u201c{self.id}\u201d" if self.kind == "finding" else CAVEATS[self.id][1]


@dataclass(frozen=True)
class Recommendation:
    title: str
    text: str
    rests_on: tuple[Basis, ...]


def area_label(row: pd.Series | dict, full_names: bool) -> str:
    """ "007A (Kingsmead)" from "Bath and North East Somerset 007A" in ward Kingsmead; the full name when the
    area spans several local authorities."""
    name = str(row["lsoa21_name"])
    short = name if full_names else name.rsplit(" ", 1)[-1]
    ward = row.get("ward_name")
    return f"{short} ({ward})" if ward else short


def _finding(findings: dict, id_: str) -> Basis | None:
    return Basis("finding", id_) if id_ in findings else None


def _bases(*items: Basis | None) -> tuple[Basis, ...]:
    return tuple(item for item in items if item is not None)


def recommendations(summary: dict, lsoa: pd.DataFrame, locations: pd.DataFrame) -> list[Recommendation]:
    findings = {finding["id"]: finding for finding in summary["findings"]}
    full_names = summary["area"]["level"] == "pfa"
    result: list[Recommendation] = []

    # 1. Places: significant hot spots, else the most concentrated neighbourhoods.
    hot = lsoa[lsoa["hotspot"] == "hot spot"].sort_values("count", ascending=False)
    groups = summary["concentration"]["lsoa"]["groups"]
    if len(hot) and "hotspots" in findings:
        names = [area_label(row, full_names) for _, row in hot.iterrows()]
        result.append(
            Recommendation(
                "Prioritise the hot-spot neighbourhoods",
                f"Make the {thousands(len(hot))} statistically significant hot-spot "
                f"{'neighbourhood' if len(hot) == 1 else 'neighbourhoods'} \u2014 {join_words(names)} \u2014 the first "
                "places for place-based prevention (guardianship, night-time economy and licensing work, detached "
                "youth work), and check which services already reach them.",
                _bases(_finding(findings, "hotspots"), _finding(findings, "concentration")),
            )
        )
    elif groups and "concentration" in findings:
        top = groups[0]
        rows = lsoa.set_index("lsoa21_code").loc[[code for code in top["codes"] if code in set(lsoa["lsoa21_code"])]]
        names = [area_label(row, full_names) for _, row in rows.reset_index().iterrows()]
        result.append(
            Recommendation(
                "Focus on the neighbourhoods where violence concentrates",
                f"No neighbourhood is a statistically significant hot spot, but the {thousands(top['units'])} "
                f"neighbourhoods with the most crimes ({join_words(names)}) hold "
                f"{percent(top['share_of_incidents'])} of them: start place-based prevention there.",
                _bases(_finding(findings, "concentration"), _finding(findings, "hotspots")),
            )
        )

    # 2. Repeat locations.
    if len(locations) and "concentration" in findings:
        by_code = {row["lsoa21_code"]: row for row in lsoa.to_dict("records")}
        described = []
        for row in locations.head(3).to_dict("records"):
            where = by_code.get(row["lsoa21_code"])
            described.append(f"{row['location']} in {area_label(where, full_names) if where else row['lsoa21_code']}")
        snap = summary["concentration"].get("snap_points", {}).get("groups", [])
        share = ""
        if snap:
            share = (
                f" (the busiest {percent(snap[0]['actual_share_of_units'])} of locations hold "
                f"{percent(snap[0]['share_of_incidents'])} of crimes)"
            )
        result.append(
            Recommendation(
                "Review the busiest locations with their owners and licensing",
                f"Review the locations with the most crimes in the profile \u2014 {'; '.join(described)} \u2014 with "
                f"licensing, premises and transport partners{share}. police.uk places crimes at approximate "
                "points, so confirm the places with force data first.",
                _bases(_finding(findings, "concentration")),
            )
        )

    # 3. Trend.
    trend = summary["trend"]
    # "Rising" only for a change that is the area's own (the level-shift verdict), not a force-wide step.
    shift = summary.get("change") or {}
    direction = trend["direction"]
    if shift and shift.get("verdict") != "not tested":
        direction = {"area's own rise": "rising", "area's own fall": "falling"}.get(shift.get("verdict"), "step")
    if "trend" in findings and trend.get("annual_change_percent") is not None:
        change = percent_value(abs(trend["annual_change_percent"]))
        if direction == "rising":
            text = (
                f"Find out what is behind the rise of about {change} a year before the strategy sets targets: "
                "compare with hospital and force data, because police.uk counts also move with reporting and "
                "recording practice."
            )
            title = "Explain the rise"
        elif direction == "falling":
            text = (
                f"Check whether the fall of about {change} a year is seen in hospital and force data too, and which "
                "work may have contributed, before relying on it."
            )
            title = "Confirm the fall"
        elif direction == "step" and shift["area_shift"].get("significant"):
            text = (
                f"The count stepped {shift['area_shift']['direction']} from "
                f"{month_name(shift['area_shift']['break_month'])}"
                + (
                    " across the whole force: agree with the force whether recording or reporting changed"
                    if shift.get("verdict") == "force-wide shift"
                    else ": load the whole force's files to see whether the step is the area's own"
                )
                + ", and follow the area's share of the force each month rather than the raw count."
            )
            title = "Check the step before setting targets"
        else:
            text = "There is no significant trend: keep monitoring monthly, with the seasonal pattern in mind."
            title = "Keep monitoring the trend"
        result.append(Recommendation(title, text, _bases(_finding(findings, "trend"), _finding(findings, "latest-12"))))

    # 4. Deprivation.
    ratio = summary["deprivation"]["imd2025"]["quintile_ratio"]
    deprivation = findings.get("deprivation")
    if deprivation and deprivation.get("significant") and ratio.get("ratio") and ratio["ratio"] > 1:
        result.append(
            Recommendation(
                "Target prevention where deprivation is highest",
                f"Direct early help and youth provision to the most deprived neighbourhoods, where the rate is "
                f"{number(ratio['ratio'])} times that in the least deprived. This compares places, not people: "
                "use partner data on victims and offenders to target people.",
                _bases(_finding(findings, "deprivation")),
            )
        )

    # 5. Partner data for what police.uk cannot show.
    cannot = summary["profile"].get("cannot_separate") or []
    if cannot:
        result.append(
            Recommendation(
                "Get partner data for what police.uk cannot show",
                f"police.uk cannot separate {thousands(len(cannot))} things this definition needs (listed in "
                "section 2), including injury, weapons, age and domestic abuse. Agree data sharing for emergency "
                "department assault data (ISB1594), force-recorded knife crime and domestic abuse flags, and victim "
                "and offender ages, and load the Home Office recorded crime tables for the partnership.",
                _bases(Basis("caveat", "profile"), _finding(findings, "cost")),
            )
        )

    # 6. Missing months.
    missing = summary.get("missing_months") or []
    if missing:
        years = sorted({row["year"] for row in summary["volume"] if row["partial_year"]})
        result.append(
            Recommendation(
                "Fill the missing months",
                f"Ask the force for {month_list(missing)}, which police.uk does not hold, and re-run the assessment: "
                f"until then the figures for {join_words(years)} rest on part-years.",
                _bases(_finding(findings, "volume"), Basis("caveat", "missing-months")),
            )
        )

    # 7. Forecast.
    backtest = summary.get("backtest") or {}
    coverage = backtest.get("coverage")
    if "forecast" in findings and not backtest.get("reliable"):
        result.append(
            Recommendation(
                "Do not plan on the forecast",
                f"The forecast's test intervals held {percent(coverage or 0)} of actual months: do not use it to "
                "plan or set targets; test it again as new months arrive.",
                _bases(_finding(findings, "forecast")),
            )
        )

    # 8. Outcomes.
    if "outcomes" in findings:
        shares = findings["outcomes"].get("figure") or {}
        charged = shares.get("charged or summonsed")
        detail = (
            f" (about {percent(charged)} charged or summonsed in the latest full year)" if charged is not None else ""
        )
        result.append(
            Recommendation(
                "Review outcomes with the police",
                f"Review with the police why few crimes in the profile reach a charge or summons{detail}, using "
                "force data current at the time: police.uk outcomes are as at download and change afterwards.",
                _bases(_finding(findings, "outcomes")),
            )
        )

    # 9. Cost.
    cost = summary.get("cost") or {}
    if "cost" in findings and cost.get("available"):
        unverified = [group for group, status in (cost.get("unit_cost_status") or {}).items() if status != "verified"]
        estimate = cost["area_estimate"]
        low, high = gbp_millions(estimate["low"]), gbp_millions(estimate["high"])
        text = f"Quote the cost of violence as a range ({low} to {high} a year, {estimate['price_year']} prices), "
        text += "not a single figure"
        if unverified:
            names = join_words(name.replace("_", " ") for name in unverified)
            text += (
                f", and verify the unit costs marked unverified ({names}) against Home Office Research Report 99 "
                "before the figure is published"
            )
        result.append(Recommendation("Quote the cost as a range", text + ".", _bases(_finding(findings, "cost"))))

    # 10. Comparison.
    comparison = summary.get("comparison") or {}
    if not comparison.get("complete"):
        result.append(
            Recommendation(
                "Compare with the other partnerships",
                f"Load the police.uk files and reference data for the whole of {summary['area']['pfa_name']} and "
                "re-run the assessment, so the partnership can see its rate beside the others and the force.",
                _bases(Basis("caveat", "comparison")),
            )
        )

    # 11. What has not been assessed yet.
    result.append(
        Recommendation(
            "Complete the assessment of provision and voice",
            "Before the strategy is agreed, map current services, consult partners and hear from communities and "
            "young people (section 10): this assessment covers police.uk data only.",
            _bases(Basis("caveat", "gaps")),
        )
    )
    return result
