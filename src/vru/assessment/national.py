"""England and Wales, and the most similar partnerships: the area against every partnership with data.

Takes plain frames from `vru.assessment.queries` (police.uk rows of every force loaded, the national
reference data) and hands them to `vru.analysis.similar_areas` and `vru.analysis.group_ratio`.
Counts are the profile's rows with a location in the partnership's LSOAs from its own force's files
(British Transport Police rows and rows without a location belong to no partnership), over the months
every side has: the same months on every side. A force whose files are not loaded for every one of
those months is left out and named.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from vru.analysis import similar_areas
from vru.analysis.group_ratio import lsoa_rate_ratio
from vru.analysis.rates import annual_rate, person_years
from vru.analysis.records import json_safe
from vru.assessment import queries

PER = 1000
SIMILAR = 10


def partnership_characteristics(lsoa: pd.DataFrame) -> pd.DataFrame:
    """Per partnership: residents, deprivation (population-weighted mean IMD 2025 score), shares aged 10-24
    and 65 and over. The score is missing where an LSOA has none (Wales: no English IMD)."""
    frame = lsoa.assign(weighted=lsoa["imd2025_score"] * lsoa["population_total"])
    grouped = frame.groupby(["csp_code", "csp_name", "pfa_code", "pfa_name", "force"], as_index=False).agg(
        lsoas=("lsoa21_code", "size"),
        count=("count", "sum"),
        population_total=("population_total", "sum"),
        population_10_24=("population_10_24", "sum"),
        population_65_plus=("population_65_plus", "sum"),
        weighted=("weighted", lambda v: v.sum(min_count=len(v))),
    )
    grouped["imd2025_score"] = grouped["weighted"] / grouped["population_total"]
    grouped["share_aged_10_24"] = grouped["population_10_24"] / grouped["population_total"]
    grouped["share_aged_65_plus"] = grouped["population_65_plus"] / grouped["population_total"]
    return grouped.drop(columns="weighted").set_index("csp_code")


def national_comparison(
    con: duckdb.DuckDBPyConnection, csp_code: str, months: Sequence[str], categories: Sequence[str]
) -> dict:
    """The partnership against England and Wales (the rest of it, with data) and its most similar
    partnerships, over `months` (the months every force compared has loaded)."""
    months = sorted(months)
    loaded = queries.months_by_force(con)
    lsoa = queries.national_lsoa_counts(con, months, categories)
    if csp_code not in set(lsoa["csp_code"]):
        raise ValueError(f"{csp_code} is not a partnership in the loaded reference data")
    forces = lsoa.drop_duplicates("pfa_code")[["pfa_code", "pfa_name", "force"]]
    with_data = {force for force, have in loaded.items() if set(months) <= have}
    missing = sorted(forces.loc[~forces["force"].isin(with_data), "pfa_name"])
    lsoa = lsoa[lsoa["force"].isin(with_data) & lsoa["population_total"].gt(0)]
    if csp_code not in set(lsoa["csp_code"]):
        return {"available": False, "reason": f"the partnership's force has no data for all of {', '.join(months)}"}
    characteristics = partnership_characteristics(lsoa)
    n = len(months)

    def rate_of(frame: pd.DataFrame) -> dict:
        return annual_rate(int(frame["count"].sum()), float(frame["population_total"].sum()), n, per=PER).to_dict()

    def ratio_against(other: pd.DataFrame) -> dict:
        focus = lsoa[lsoa["csp_code"] == csp_code]
        return lsoa_rate_ratio(
            focus["count"],
            person_years(focus["population_total"].to_numpy(), n),
            other["count"],
            person_years(other["population_total"].to_numpy(), n),
            per=PER,
        ).to_dict()

    columns = ["imd2025_score", "share_aged_10_24", "share_aged_65_plus"]
    group = similar_areas.most_similar(characteristics, csp_code, columns, k=SIMILAR)
    similar_codes = [code for code in group["code"] if code != csp_code]
    method = dict(group.attrs)
    group = group.merge(
        characteristics[["csp_name", "pfa_name", "count", "population_total"]], left_on="code", right_index=True
    )
    group["rate_per_1000"] = [
        annual_rate(int(row.count), float(row.population_total), n, per=PER).rate for row in group.itertuples()
    ]
    rest = lsoa[lsoa["csp_code"] != csp_code]
    similar_lsoas = lsoa[lsoa["csp_code"].isin(similar_codes)]
    focus = characteristics.loc[csp_code]
    return json_safe(
        {
            "available": True,
            "months": months,
            "forces_with_data": len(set(forces["force"]) & with_data),
            "forces_missing": missing,
            "partnerships_compared": int(len(characteristics)),
            "area": {"code": csp_code, "name": focus["csp_name"], "rate": rate_of(lsoa[lsoa["csp_code"] == csp_code])},
            "england_and_wales": {
                "rate": rate_of(lsoa),
                "rest_rate": rate_of(rest),
                "ratio_to_rest": ratio_against(rest),
                "note": (
                    "England and Wales here means every partnership whose force's files are loaded for all of "
                    f"{', '.join(months)}; not included: {', '.join(missing) if missing else 'none'}."
                ),
            },
            "most_similar": {
                "method": method["method"],
                "characteristics": columns,
                "density": (
                    "Residents per km2 is not used: it needs LSOA boundaries for every partnership, and the loaded "
                    "boundaries cover only some."
                ),
                "excluded": method["excluded"],
                "partnerships": group[
                    ["rank", "code", "csp_name", "pfa_name", "distance", *columns, "count", "rate_per_1000"]
                ].to_dict("records"),
                "group_rate": rate_of(similar_lsoas),
                "ratio_to_group": ratio_against(similar_lsoas),
            },
            "per": PER,
            "population_year": queries.POPULATION_YEAR,
        }
    )


def comparable_months(con, force: str, months: Sequence[str]) -> list[str]:
    """The months of `months` that the area's force has loaded and at least one other force too."""
    loaded = queries.months_by_force(con)
    own = loaded.get(force, set())
    others = set().union(*(have for other, have in loaded.items() if other != force)) if len(loaded) > 1 else set()
    return [month for month in months if month in own and month in others]


__all__ = ["comparable_months", "national_comparison", "partnership_characteristics"]
