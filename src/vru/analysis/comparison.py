"""How an area compares with the other partnerships in its force and with the rest of the force.

Like with like: the force's count is the sum over its partnerships' LSOAs (rows without a location belong
to no partnership, so they are in neither side). Rates are per 1,000 residents a year (person-years).
Ratios come from the LSOA-level model of `vru.analysis.group_ratio` (over-dispersion allowed), and the
area is compared with the REST of its force, never with a total that contains it.
"""

from __future__ import annotations

import pandas as pd

from vru.analysis.group_ratio import lsoa_rate_ratio
from vru.analysis.rates import annual_rate, person_years


def compare_areas(areas: pd.DataFrame, focus_code: str, lsoa: pd.DataFrame, per: float = 1000) -> pd.DataFrame:
    """Rates per 1,000 residents a year for each area, ranked, with the focus area's ratio to each.

    `areas` has columns code, name, level ('csp' or 'pfa'), count, population, months (months of data the
    count covers). `lsoa` has one row per LSOA of the force with csp_code, count and population: the
    focus's ratio to each other partnership is the LSOA-level model's. Rank 1 is the highest rate among
    the partnerships (the force row is not ranked). Returns those columns plus annual_count, rate, lower,
    upper, rank, focus_ratio (and its interval and significance), is_focus.
    """
    rows = []
    frame = lsoa[lsoa["population"] > 0]
    focus_lsoas = frame[frame["csp_code"] == focus_code]
    for area in areas.itertuples(index=False):
        rate = annual_rate(area.count, area.population, area.months, per=per)
        ratio = None
        if area.level != "pfa" and area.code != focus_code:
            other = frame[frame["csp_code"] == area.code]
            ratio = lsoa_rate_ratio(
                focus_lsoas["count"],
                person_years(focus_lsoas["population"].to_numpy(dtype=float), area.months),
                other["count"],
                person_years(other["population"].to_numpy(dtype=float), area.months),
                per=per,
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
                "focus_ratio_significant": None if ratio is None else ratio.significant,
            }
        )
    table = pd.DataFrame(rows)
    partnerships = table["level"] != "pfa"
    table.loc[partnerships, "rank"] = table.loc[partnerships, "rate"].rank(ascending=False, method="min")
    table["rank"] = table["rank"].astype("Int64")
    table["is_focus"] = table["code"] == focus_code
    return table.sort_values(["level", "rank"], na_position="last").reset_index(drop=True)


def area_against_rest(lsoa: pd.DataFrame, focus_codes: set[str], months_with_data: float, per: float = 1000) -> dict:
    """The area's LSOAs against the rest of the force's LSOAs (LSOA-level model, person-years offset).

    `lsoa` has lsoa21_code, count and population for every LSOA of the force; `focus_codes` are the area's."""
    frame = lsoa[lsoa["population"] > 0]
    inside = frame["lsoa21_code"].isin(focus_codes)
    area, rest = frame[inside], frame[~inside]
    return lsoa_rate_ratio(
        area["count"],
        person_years(area["population"].to_numpy(dtype=float), months_with_data),
        rest["count"],
        person_years(rest["population"].to_numpy(dtype=float), months_with_data),
        per=per,
    ).to_dict()
