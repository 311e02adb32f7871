"""Most similar partnerships: nearest neighbours on standardised characteristics.

The Home Office's most similar groups (MSGs) compare each community safety partnership with the ones most
like it on demographic, social and economic characteristics associated with crime. This is the same kind
of method on what the warehouse holds, documented so it can be reproduced:

1. one row per partnership with the characteristics (here: deprivation, the population-weighted mean
   IMD 2025 score; age structure, the shares aged 10-24 and 65 and over; density, residents per km2
   where LSOA boundaries are loaded for every partnership compared);
2. each characteristic standardised to mean 0 and standard deviation 1 over the partnerships compared
   (so none dominates by its units);
3. Euclidean distance from the focus partnership; the `k` nearest are its most similar group.

Partnerships missing any characteristic (e.g. Welsh partnerships have no English IMD score) are left
out and listed. Pure functions, no I/O. Method: docs/methods-spatial.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["most_similar"]

METHOD = (
    "nearest neighbours on standardised characteristics (z-scores over the partnerships compared), Euclidean "
    "distance, as the Home Office's most similar groups"
)


def most_similar(features: pd.DataFrame, focus: str, columns: Sequence[str], k: int = 10) -> pd.DataFrame:
    """The `k` partnerships nearest the focus on the standardised `columns`.

    `features` is indexed by partnership code. Returns the focus (rank 0) and its k nearest, with their
    distance and z-scores, nearest first (ties by code). attrs: method, columns, excluded (codes with a
    missing characteristic), compared (how many partnerships were standardised together).
    """
    if not columns:
        raise ValueError("no characteristics to compare on")
    missing_columns = [column for column in columns if column not in features.columns]
    if missing_columns:
        raise ValueError(f"no column(s) {missing_columns} in the characteristics")
    frame = features[list(columns)].apply(pd.to_numeric, errors="coerce")
    complete = frame.dropna()
    if focus not in complete.index:
        raise ValueError(f"{focus} is not among the partnerships with every characteristic ({', '.join(columns)})")
    spread = complete.std(ddof=0).replace(0, np.nan)
    z = ((complete - complete.mean()) / spread).fillna(0.0)
    distance = np.sqrt(((z - z.loc[focus]) ** 2).sum(axis=1))
    out = complete.join(z.add_prefix("z_")).assign(distance=distance)
    out = out.rename_axis("code").reset_index().sort_values(["distance", "code"]).reset_index(drop=True)
    focus_row = out[out["code"] == focus]
    others = out[out["code"] != focus].head(k)
    result = pd.concat([focus_row, others], ignore_index=True)
    result["rank"] = range(len(result))
    result.attrs.update(
        {
            "method": METHOD,
            "columns": list(columns),
            "excluded": sorted(set(features.index) - set(complete.index)),
            "compared": len(complete),
        }
    )
    return result
