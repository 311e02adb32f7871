"""Partner data quality and safe publication: the scorecard per partner, kind and month; the counts that
may be public; where partner counts by LSOA differ from police counts. Pure functions on DataFrames.

* `scorecard(records)`: one row per (organisation, kind, month) with `rows`, `completeness` (mean share
  of a row's expected fields given and not "unknown"), `days_late` (days from the end of the month to the
  first upload holding it: timeliness), `geocoded_share` (share of rows placed in an LSOA; missing for
  kinds without a location), `duplicates` (rows whose key repeats an earlier row's, across uploads).
* `public_counts(counts, publishable)`: only sources staff marked publishable, and counts from 1 to 4
  withheld (docs/adr/0004-small-numbers.md: zero is shown, 1-4 never).
* `partner_police_difference(partner, police)`: for each LSOA, an exact binomial test of the partner's
  share of (partner + police) against the share over all LSOAs, with Benjamini-Hochberg false discovery
  rate control; `more_than_police` marks LSOAs where the partner sees significantly more than the police
  record (injuries seen at the emergency department but not reported: the Cardiff Model's blind spot).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from vru.analysis.multiple_testing import benjamini_hochberg

SMALL_NUMBER_THRESHOLD = 5
FALSE_DISCOVERY_RATE = 0.05
SCORECARD_COLUMNS = ["organisation", "kind", "month", "rows", "completeness", "days_late", "geocoded_share",
                     "duplicates"]  # fmt: skip


def scorecard(records: pd.DataFrame) -> pd.DataFrame:
    """records: one row per partner record with `organisation`, `kind`, `month` (first day, date-like),
    `received_at` (when its upload arrived), `record_key`, `completeness` (0-1), `geocoded` (bool, or
    missing for kinds without a location), `count` (1 for an event; the count for aggregate rows)."""
    if records.empty:
        return pd.DataFrame(columns=SCORECARD_COLUMNS)
    frame = records.copy()
    frame["month"] = pd.to_datetime(frame["month"])
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=True).dt.tz_localize(None)
    frame = frame.sort_values(["received_at"], kind="stable")
    frame["duplicate"] = frame.duplicated(["organisation", "kind", "record_key"], keep="first")
    month_end = frame["month"] + pd.offsets.MonthBegin(1)
    frame["days_late"] = (frame["received_at"] - month_end).dt.days.clip(lower=0)
    grouped = frame.groupby(["organisation", "kind", "month"], sort=True)
    out = grouped.agg(
        rows=("record_key", "size"),
        completeness=("completeness", "mean"),
        days_late=("days_late", "min"),
        duplicates=("duplicate", "sum"),
    ).reset_index()
    geocoded = grouped["geocoded"].apply(
        lambda values: values.dropna().astype(float).mean() if values.notna().any() else np.nan
    )
    out["geocoded_share"] = geocoded.to_numpy()
    out["month"] = out["month"].dt.strftime("%Y-%m")
    out["duplicates"] = out["duplicates"].astype(int)
    return out[SCORECARD_COLUMNS]


def public_counts(counts: pd.DataFrame, publishable: set[tuple[str, str]]) -> pd.DataFrame:
    """counts: `organisation`, `kind`, `count` and any grouping columns. Rows from a source staff have not
    marked publishable are dropped; a count from 1 to 4 becomes missing with `withheld` true."""
    keep = [
        (organisation, kind) in publishable
        for organisation, kind in zip(counts["organisation"], counts["kind"], strict=True)
    ]
    out = counts[keep].copy()
    out["withheld"] = (out["count"] > 0) & (out["count"] < SMALL_NUMBER_THRESHOLD)
    out["count"] = out["count"].astype("Float64").mask(out["withheld"])
    return out.reset_index(drop=True)


def partner_police_difference(partner: pd.Series, police: pd.Series) -> pd.DataFrame:
    """partner and police: counts indexed by LSOA code (same period). One row per LSOA in either."""
    frame = pd.DataFrame({"partner": partner, "police": police}).fillna(0).astype(int)
    total_partner, total = frame["partner"].sum(), frame.to_numpy().sum()
    if total == 0:
        return frame.assign(expected_partner=0.0, p_value=1.0, more_than_police=False, fewer_than_police=False)
    share = total_partner / total
    both = frame["partner"] + frame["police"]
    frame["expected_partner"] = both * share
    frame["p_value"] = [
        binomtest(int(k), int(n), share).pvalue if n else 1.0 for k, n in zip(frame["partner"], both, strict=True)
    ]
    significant, _ = benjamini_hochberg(frame["p_value"].to_numpy(), FALSE_DISCOVERY_RATE)
    frame["more_than_police"] = significant & (frame["partner"] > frame["expected_partner"])
    frame["fewer_than_police"] = significant & (frame["partner"] < frame["expected_partner"])
    return frame.sort_index()
