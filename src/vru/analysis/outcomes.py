"""Outcomes of police.uk street crimes: share with no suspect identified, charged or summonsed, still under
investigation, by category and year.

police.uk publishes each crime's *last* outcome as at the download date: a month downloaded later shows
more crimes charged and fewer under investigation. Every result carries that caveat.
"""

from __future__ import annotations

import pandas as pd
from scipy import stats

from vru.analysis.rates import poisson_ci
from vru.analysis.records import json_safe

# police.uk "Last outcome category" values, grouped. A value not listed here is reported as "other".
OUTCOME_GROUPS: dict[str, tuple[str, ...]] = {
    "no suspect identified": ("Investigation complete; no suspect identified",),
    "charged or summonsed": (
        "Awaiting court outcome",
        "Court result unavailable",
        "Suspect charged as part of another case",
        "Defendant sent to Crown Court",
        "Court case unable to proceed",
        "Offender sent to prison",
        "Offender given suspended prison sentence",
        "Offender fined",
        "Offender given community sentence",
        "Offender given conditional discharge",
        "Offender given absolute discharge",
        "Offender ordered to pay compensation",
        "Offender otherwise dealt with",
        "Offender deprived of property",
        "Defendant found not guilty",
    ),
    "under investigation": ("Under investigation",),
    "unable to prosecute suspect": ("Unable to prosecute suspect",),
    "resolved out of court": (
        "Local resolution",
        "Offender given a caution",
        "Offender given penalty notice",
        "Offender given a drugs possession warning",
    ),
    "not in the public interest or passed on": (
        "Formal action is not in the public interest",
        "Further investigation is not in the public interest",
        "Further action is not in the public interest",
        "Action to be taken by another organisation",
    ),
    "status update unavailable": ("Status update unavailable",),
}
OUTCOME_GROUP_OF = {outcome: group for group, outcomes in OUTCOME_GROUPS.items() for outcome in outcomes}
HEADLINE_GROUPS = ("no suspect identified", "charged or summonsed", "under investigation")
CAVEAT = (
    "Outcomes are the last outcome recorded as at the date the data were downloaded from police.uk; "
    "recent months have had less time to reach an outcome."
)


def outcome_group(outcome: str | None) -> str:
    if outcome is None or pd.isna(outcome) or outcome == "":
        return "no outcome recorded"
    return OUTCOME_GROUP_OF.get(outcome, "other")


def outcome_shares(crimes: pd.DataFrame) -> pd.DataFrame:
    """Shares of each outcome group by year and category.

    `crimes` has columns year, category, outcome, count (one row per combination). Returns year,
    category, outcome_group, count, total, share (0..1), with every headline group present even at zero.
    """
    frame = crimes.assign(outcome_group=crimes["outcome"].map(outcome_group))
    grouped = frame.groupby(["year", "category", "outcome_group"], as_index=False)["count"].sum()
    keys = grouped[["year", "category"]].drop_duplicates()
    headline = keys.merge(pd.DataFrame({"outcome_group": list(HEADLINE_GROUPS)}), how="cross")
    grouped = headline.merge(grouped, how="outer", on=["year", "category", "outcome_group"]).fillna({"count": 0})
    grouped["count"] = grouped["count"].astype(int)
    grouped["total"] = grouped.groupby(["year", "category"])["count"].transform("sum")
    grouped["share"] = grouped["count"] / grouped["total"].where(grouped["total"] > 0)
    return grouped.sort_values(["category", "year", "outcome_group"]).reset_index(drop=True)


def headline_shares(shares: pd.DataFrame, category: str) -> list[dict]:
    """For one category: the three headline shares per year, with an exact 95% interval on the count."""
    rows = []
    selected = shares[(shares["category"] == category) & shares["outcome_group"].isin(HEADLINE_GROUPS)]
    for row in selected.itertuples(index=False):
        lower, upper = poisson_ci(row.count)
        rows.append(
            {
                "year": row.year,
                "category": category,
                "outcome_group": row.outcome_group,
                "count": int(row.count),
                "total": int(row.total),
                "share": None if pd.isna(row.share) else round(float(row.share), 4),
                "share_lower": round(min(lower / row.total, 1.0), 4) if row.total else None,
                "share_upper": round(min(upper / row.total, 1.0), 4) if row.total else None,
            }
        )
    return rows


DATA_QUALITY_GROUPS = {
    "status update unavailable": (
        "'Status update unavailable' means the force did not send police.uk an outcome: a data-quality gap, "
        "not a result of the investigation."
    ),
    "no outcome recorded": "No outcome at all is recorded for these crimes on police.uk.",
}


def outcome_distribution(shares: pd.DataFrame, categories: list[str], year: str, confidence: float = 0.95) -> dict:
    """Every outcome group for the crimes of `categories` in `year`, largest first: count, share and its
    exact (Clopper-Pearson) interval, and a data-quality note beside the groups that are gaps, not
    outcomes. `shares` is `outcome_shares`' table."""
    selected = shares[(shares["year"] == year) & shares["category"].isin(categories)]
    grouped = selected.groupby("outcome_group")["count"].sum()
    total = int(grouped.sum())
    groups = []
    for group, count in grouped.sort_values(ascending=False, kind="stable").items():
        count = int(count)
        if total:
            interval = stats.binomtest(count, total).proportion_ci(confidence, method="exact")
            low, high = interval.low, interval.high
        else:
            low = high = None
        groups.append(
            {
                "outcome_group": group,
                "count": count,
                "share": count / total if total else None,
                "share_lower": low,
                "share_upper": high,
                "data_quality": DATA_QUALITY_GROUPS.get(group),
            }
        )
    return json_safe({"year": year, "categories": list(categories), "total": total, "groups": groups, "caveat": CAVEAT})
