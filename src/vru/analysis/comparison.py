"""How an area compares with the other partnerships in its force and with the force as a whole."""

from __future__ import annotations

import pandas as pd

from vru.analysis.rates import rate_per, rate_ratio


def compare_areas(areas: pd.DataFrame, focus_code: str, per: float = 1000) -> pd.DataFrame:
    """Annualised rates per 1,000 residents for each area, ranked, with the focus area's ratio to each.

    `areas` has columns code, name, level ('csp' or 'pfa'), count, population, months (months of data
    the count covers). The count is annualised (count / months * 12) before the rate, so areas with the
    same months compare fairly. Rank 1 is the highest rate among the partnerships (the force row is not
    ranked). Returns those columns plus annual_count, rate, lower, upper, rank, ratio_to_focus (and CI).
    """
    rows = []
    focus = areas.loc[areas["code"] == focus_code].iloc[0]
    for area in areas.itertuples(index=False):
        rate = rate_per(area.count, area.population * area.months / 12, per=per)
        ratio = (
            rate_ratio(focus["count"], focus["population"] * focus["months"], area.count, area.population * area.months)
            if area.code != focus_code and area.count > 0
            else None
        )
        rows.append(
            {
                "code": area.code,
                "name": area.name,
                "level": area.level,
                "count": int(area.count),
                "months": int(area.months),
                "population": float(area.population),
                "annual_count": area.count / area.months * 12,
                "rate": rate.rate,
                "lower": rate.lower,
                "upper": rate.upper,
                "focus_ratio": None if ratio is None else ratio.ratio,
                "focus_ratio_lower": None if ratio is None else ratio.lower,
                "focus_ratio_upper": None if ratio is None else ratio.upper,
            }
        )
    table = pd.DataFrame(rows)
    partnerships = table["level"] != "pfa"
    table.loc[partnerships, "rank"] = table.loc[partnerships, "rate"].rank(ascending=False, method="min")
    table["rank"] = table["rank"].astype("Int64")
    table["is_focus"] = table["code"] == focus_code
    return table.sort_values(["level", "rank"], na_position="last").reset_index(drop=True)
