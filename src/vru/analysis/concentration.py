"""How concentrated incidents are: top-5%/10% shares, the Gini coefficient, the Lorenz curve, and the
locations with the most repeat incidents.

Pure functions, no I/O. A "unit" is whatever the caller counts by: an LSOA, or a police.uk snap point
(the anonymised "On or near ..." location). Methods and caveats: docs/methods-spatial.md.

**Pass every unit, including those with no incidents.** The shares, the Gini coefficient and the Lorenz
curve describe the distribution over the units given; leaving out zero-count units (which never appear
in a table of incidents) makes incidents look less concentrated than they are. For LSOAs, reindex the
counts on the full list of the area's LSOAs with 0. For snap points the set of all units is not known
(a point appears only once something is recorded there), so shares over snap points are shares of
locations *with at least one incident*: say so when reporting them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from vru.analysis import records

__all__ = ["concentration_shares", "gini", "lorenz_curve", "to_records", "top_repeat_locations"]


def _counts(counts: pd.Series | Sequence[float] | np.ndarray) -> pd.Series:
    series = pd.Series(counts).copy()
    if series.empty:
        raise ValueError("no units given")
    values = pd.to_numeric(series, errors="raise").astype(float)
    if values.isna().any() or not np.isfinite(values.to_numpy()).all():
        raise ValueError("counts must be finite numbers (pass 0 for units with no incidents)")
    if (values < 0).any():
        raise ValueError("counts must be non-negative")
    values.index = values.index.astype(str)
    if values.index.duplicated().any():
        raise ValueError("duplicate unit codes: aggregate the counts first")
    return values


def _top_size(share: float, n_units: int) -> int:
    """ceil(share x n_units), guarded against floating-point overshoot (0.1 x 30 = 3.0000000000000004)."""
    return max(1, math.ceil(round(share * n_units, 9)))


def concentration_shares(
    counts: pd.Series | Sequence[float] | np.ndarray, shares: Sequence[float] = (0.05, 0.10)
) -> dict[str, Any]:
    """Share of all incidents in the top `shares` of units (by default the top 5% and the top 10%).

    `counts` is indexed by unit code (LSOA code or location id) and covers every unit (see the module
    docstring). The top group for share s holds ceil(s x n_units) units (at least one): the units with
    the most incidents, ties broken by code (ascending) so the result is deterministic. Its
    `share_of_units` is the nominal s; `actual_share_of_units` = units / n_units is what the rounding up
    gives (e.g. 6 / 118 = 5.1% for the top 5% of 118 LSOAs).

    Returns a JSON-safe dict: n_units, total, and groups (one per share, in the order given) with
    share_of_units, units, actual_share_of_units, incidents, share_of_incidents (None when the total is
    0) and codes (the units in the group, most incidents first).
    """
    values = _counts(counts)
    for share in shares:
        if not 0 < share <= 1:
            raise ValueError(f"each share must be in (0, 1], got {share}")
    ranked = (
        values.rename("count")
        .rename_axis("code")
        .reset_index()
        .sort_values(["count", "code"], ascending=[False, True], kind="mergesort")
    )
    n_units = len(ranked)
    total = float(ranked["count"].sum())
    groups = []
    for share in shares:
        size = _top_size(share, n_units)
        top = ranked.head(size)
        incidents = float(top["count"].sum())
        groups.append(
            {
                "share_of_units": float(share),
                "units": int(size),
                "actual_share_of_units": round(size / n_units, 4),
                "incidents": records.json_safe(float(incidents), "count"),
                "share_of_incidents": round(incidents / total, 4) if total > 0 else None,
                "codes": top["code"].tolist(),
            }
        )
    return {"n_units": n_units, "total": records.json_safe(float(total), "count"), "groups": groups}


def gini(counts: pd.Series | Sequence[float] | np.ndarray) -> float:
    """Gini coefficient of the counts over units: 0 when every unit has the same count, (n - 1) / n
    when one unit of n has them all.

    G = sum_i (2i - n - 1) x_(i) / (n sum_i x_i), with x_(1) <= ... <= x_(n) sorted ascending and
    i = 1..n (the standard formula, equal to the mean absolute difference over twice the mean). Include
    every unit, zeros too (module docstring). NaN when the total is 0 (undefined).
    """
    x = np.sort(_counts(counts).to_numpy())
    n = len(x)
    total = x.sum()
    if total <= 0:
        return math.nan
    i = np.arange(1, n + 1)
    return float(((2 * i - n - 1) * x).sum() / (n * total))


def lorenz_curve(counts: pd.Series | Sequence[float] | np.ndarray) -> pd.DataFrame:
    """Lorenz curve: cumulative share of incidents against cumulative share of units, units sorted from
    the fewest incidents to the most. n + 1 rows from (0, 0) to (1, 1). When the total is 0 the
    incident shares are NaN (undefined)."""
    x = np.sort(_counts(counts).to_numpy())
    n = len(x)
    total = x.sum()
    cumulative = np.concatenate([[0.0], np.cumsum(x)])
    incidents = cumulative / total if total > 0 else np.full(n + 1, np.nan)
    if total > 0:
        incidents[-1] = 1.0  # exact endpoint despite floating-point sums
    return pd.DataFrame({"share_of_units": np.arange(n + 1) / n, "share_of_incidents": incidents})


def top_repeat_locations(frame: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` locations with the most incidents, ranked.

    `frame` has columns location (police.uk "Location", e.g. "On or near Milsom Street"), lsoa21_code
    and count, and may have longitude and latitude. The caller aggregates incidents by police.uk
    location and coordinates (one name can label several snap points); rows that still repeat the same
    location, LSOA and coordinates are summed here. Ties are ranked by location name, then LSOA code
    (and coordinates), so the table is deterministic.

    Returns columns rank (1..n), location, lsoa21_code, [longitude, latitude,] count and
    share_of_incidents (of the total over every row of `frame`; NaN when that total is 0).
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    required = {"location", "lsoa21_code", "count"}
    missing = required - set(frame.columns)
    if missing:
        raise ValueError(f"frame needs columns location, lsoa21_code, count; missing {sorted(missing)}")
    keys = ["location", "lsoa21_code"] + [c for c in ("longitude", "latitude") if c in frame.columns]
    data = frame[[*keys, "count"]].copy()
    data["count"] = pd.to_numeric(data["count"], errors="raise")
    if data["count"].isna().any() or (data["count"] < 0).any():
        raise ValueError("count must be non-negative numbers")
    grouped = data.groupby(keys, dropna=False, sort=False, as_index=False)["count"].sum()
    total = float(grouped["count"].sum())
    ranked = grouped.sort_values(
        ["count", *keys], ascending=[False] + [True] * len(keys), kind="mergesort", na_position="last"
    ).head(n)
    ranked = ranked.reset_index(drop=True)
    ranked.insert(0, "rank", np.arange(1, len(ranked) + 1))
    ranked["share_of_incidents"] = ranked["count"] / total if total > 0 else np.nan
    return ranked


# Coordinates keep 6 decimals and whole counts become ints (vru.analysis.records).
to_records = records.to_records
