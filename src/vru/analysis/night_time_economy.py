"""Night-time economy: where licensed premises are, against where violence is.

Pure functions over an LSOA frame (lsoa21_code, count, population, premises, area_km2). An ecological
comparison of places: premises lists are often years old (the source's date travels with the result).
"""

from __future__ import annotations

import pandas as pd
from scipy import stats

from vru.analysis.rates import rate_ratio
from vru.analysis.records import json_safe


def compare_with_premises(lsoa: pd.DataFrame, years_of_data: float) -> dict:
    """Rate in LSOAs with at least one licensed premises against LSOAs with none (exact rate ratio), and
    the Spearman correlation of premises density with the LSOA rate."""
    frame = lsoa.dropna(subset=["population"])
    frame = frame[frame["population"] > 0]
    with_premises = frame[frame["premises"] > 0]
    without = frame[frame["premises"] == 0]
    result: dict = {
        "lsoas_with_premises": int(len(with_premises)),
        "lsoas_without_premises": int(len(without)),
        "premises": int(frame["premises"].sum()),
    }
    if len(with_premises) and len(without):
        ratio = rate_ratio(
            int(with_premises["count"].sum()),
            float(with_premises["population"].sum()) * years_of_data,
            int(without["count"].sum()),
            float(without["population"].sum()) * years_of_data,
        )
        result["rate_ratio_with_vs_without"] = ratio.to_dict()
    density = frame["premises"] / frame["area_km2"]
    rate = frame["count"] / (frame["population"] * years_of_data) * 1000
    if len(frame) >= 3 and density.nunique() > 1:
        rho, p_value = stats.spearmanr(density, rate)
        result["spearman_density_vs_rate"] = {"rho": float(rho), "p_value": float(p_value), "n": int(len(frame))}
    return json_safe(result)
