"""Night-time economy: where licensed premises are, against where violence is.

Pure functions over an LSOA frame (lsoa21_code, count, population, premises, area_km2). An ecological
comparison of places: premises lists are often years old (the source's date travels with the result).
The rate ratio is the LSOA-level count model of `vru.analysis.group_ratio` (person-years offset,
over-dispersion allowed): a town centre's many crimes are one LSOA's, not thousands of independent ones.
"""

from __future__ import annotations

import pandas as pd
from scipy import stats

from vru.analysis.group_ratio import lsoa_rate_ratio
from vru.analysis.rates import person_years
from vru.analysis.records import json_safe


def compare_with_premises(lsoa: pd.DataFrame, months_with_data: float) -> dict:
    """Rate in LSOAs with at least one licensed premises against LSOAs with none (LSOA-level model), and
    the Spearman correlation of premises density with the LSOA rate (per 1,000 residents a year)."""
    frame = lsoa.dropna(subset=["population"])
    frame = frame[frame["population"] > 0]
    frame = frame.assign(person_years=person_years(frame["population"].to_numpy(dtype=float), months_with_data))
    with_premises = frame[frame["premises"] > 0]
    without = frame[frame["premises"] == 0]
    result: dict = {
        "lsoas_with_premises": int(len(with_premises)),
        "lsoas_without_premises": int(len(without)),
        "premises": int(frame["premises"].sum()),
    }
    if len(with_premises) and len(without):
        ratio = lsoa_rate_ratio(
            with_premises["count"], with_premises["person_years"], without["count"], without["person_years"]
        )
        result["rate_ratio_with_vs_without"] = ratio.to_dict()
    density = frame["premises"] / frame["area_km2"]
    rate = frame["count"] / frame["person_years"] * 1000
    if len(frame) >= 3 and density.nunique() > 1:
        rho, p_value = stats.spearmanr(density, rate)
        result["spearman_density_vs_rate"] = {"rho": float(rho), "p_value": float(p_value), "n": int(len(frame))}
    return json_safe(result)
