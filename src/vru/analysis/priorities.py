"""At most five priorities for a partnership board, each resting on a finding that passed its test.

Each priority names places (ward and neighbourhood names, not codes) or groups, gives the evidence in one
line, what the partnership could do, a suggested owner (police, council, health, education, youth justice,
licensing, VCS), a measure to follow it by, and the finding it rests on (with the report anchor). Findings
that failed their test (a forecast that failed its back-test, a ratio whose interval includes no effect,
a hot spot that is not stable) never become priorities. Input: the assessment summary with its findings.
"""

from __future__ import annotations

MAX_PRIORITIES = 5
DATA_QUALITY_SHARE = 0.2


def _priority(title, places, evidence, action, owner, measure, finding_id) -> dict:
    return {
        "title": title,
        "places": places,
        "evidence": evidence,
        "action": action,
        "owner": owner,
        "measure": measure,
        "finding": finding_id,
        "link": f"#finding-{finding_id}",
    }


def _found(summary: dict, finding_id: str) -> dict | None:
    return next((f for f in summary.get("findings", []) if f["id"] == finding_id), None)


def priorities(summary: dict) -> list[dict]:
    """The board's priorities, most specific first, at most five."""
    result = []
    places = (summary.get("priority_places") or {}).get("places") or []
    if places and (finding := _found(summary, "own-excess")) and finding["significant"]:
        wards = list(dict.fromkeys(row["ward_name"] for row in places))
        top = places[0]
        result.append(
            _priority(
                f"Place-based prevention in {', '.join(wards)}",
                [f"{row['ward_name']} ({row['lsoa21_name']})" for row in places],
                f"{top['ward_name']} has {top['excess_ratio']:.1f} times the crimes its residents would give at the "
                "area's rate; each place named is high on its own (5% false discovery rate).",
                "Agree a problem-solving plan for these places: guardianship and patrol at the busiest times, "
                "licensing conditions and the night-time economy, and youth outreach where young people gather.",
                "police, with licensing and the council",
                "monthly count of the profile in these neighbourhoods against their expected count",
                "own-excess",
            )
        )
    deprivation = _found(summary, "deprivation")
    ratio = (summary.get("deprivation") or {}).get("imd2025", {}).get("quintile_ratio", {})
    if deprivation and deprivation["significant"] and (ratio.get("ratio") or 0) > 1:
        wards = [row["ward_name"] for row in summary.get("most_deprived_wards") or []]
        result.append(
            _priority(
                "Prevention in the most deprived neighbourhoods" + (f": {', '.join(wards[:4])}" if wards else ""),
                wards or ["the most deprived fifth of neighbourhoods (IMD 2025 deciles 1-2)"],
                f"The rate there is {ratio['ratio']:.1f} times the least deprived fifth (95% CI {ratio['lower']:.1f} "
                f"to {ratio['upper']:.1f}, neighbourhood by neighbourhood).",
                "Target early help, family support and detached youth work at these neighbourhoods; check which "
                "services already reach them.",
                "council (early help), with VCS and education",
                "rate ratio of the most to the least deprived fifth, each year",
                "deprivation",
            )
        )
    change = summary.get("change") or {}
    if change.get("verdict") == "area's own rise" and _found(summary, "trend"):
        result.append(
            _priority(
                "Explain the area's own rise",
                [summary["area"]["name"]],
                change["text"],
                "Compare with hospital (ED) and force data to find what changed before setting targets.",
                "police, with health",
                "the area's share of the force's count, monthly",
                "trend",
            )
        )
    comparison = _found(summary, "comparison")
    if comparison and comparison["significant"] and "higher" in comparison["text"]:
        result.append(
            _priority(
                "Understand why the area is higher than the rest of its force",
                [summary["area"]["name"]],
                comparison["text"],
                "Review with the force which offences and places account for the difference.",
                "police",
                "rate against the rest of the force, each quarter",
                "comparison",
            )
        )
    distribution = summary.get("outcome_distribution") or {}
    gap = next(
        (row for row in distribution.get("groups", []) if row["outcome_group"] == "status update unavailable"), None
    )
    if gap and gap["share"] and gap["share"] >= DATA_QUALITY_SHARE and _found(summary, "outcomes"):
        result.append(
            _priority(
                "Close the outcome data gap",
                [summary["area"]["name"]],
                f"{gap['share']:.0%} of the profile's crimes in {distribution['year']} have 'status update "
                "unavailable' on police.uk: their outcome cannot be followed.",
                "Ask the force to send outcomes for these crimes, and agree an outcome data share for the partnership.",
                "police",
                "share of crimes with 'status update unavailable', each quarter",
                "outcomes",
            )
        )
    return result[:MAX_PRIORITIES]
