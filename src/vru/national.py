"""England and Wales, and the most similar partnerships: the area against every partnership with data.

Reads the warehouse (police.uk rows of every force loaded, the national reference data) and hands plain
frames to `vru.analysis.similar_areas` and `vru.analysis.group_ratio`. Counts are the profile's rows with
a location in the partnership's LSOAs from its own force's files (British Transport Police rows and rows
without a location belong to no partnership), over the months every side has: the same months on every
side. A force whose files are not loaded for every one of those months is left out and named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb
import pandas as pd

from vru.analysis import similar_areas
from vru.analysis.group_ratio import lsoa_rate_ratio
from vru.analysis.rates import annual_rate, person_years
from vru.analysis.records import json_safe

POPULATION_YEAR = 2020
PER = 1000
SIMILAR = 10
# police.uk force ids that do not follow from the ONS police force area name.
FORCE_IDS = {"Metropolitan Police": "metropolitan", "London, City of": "city-of-london"}


def police_uk_force_id(pfa_name: str) -> str:
    """police.uk's force id from the ONS police force area name ('Devon & Cornwall' → 'devon-and-cornwall')."""
    if pfa_name in FORCE_IDS:
        return FORCE_IDS[pfa_name]
    return re.sub(r"[^a-z0-9]+", "-", pfa_name.lower().replace("&", "and")).strip("-")


def _months_by_force(con) -> dict[str, set[str]]:
    rows = con.execute(
        "SELECT force, strftime(month, '%Y-%m') FROM ingest_unit WHERE kind = 'street' GROUP BY ALL"
    ).fetchall()
    loaded: dict[str, set[str]] = {}
    for force, month in rows:
        loaded.setdefault(force, set()).add(month)
    return loaded


def lsoa_counts(con, months: Sequence[str], categories: Sequence[str]) -> pd.DataFrame:
    """One row per LSOA 2021 in every partnership of England and Wales: csp, force, count of the profile
    in `months` (from the partnership's own force's files), residents, aged 10-24 and 65+, IMD 2025 score."""
    names = [row[0] for row in con.execute("SELECT DISTINCT pfa_name FROM ref_lad_csp_pfa").fetchall()]
    forces = pd.DataFrame({"pfa_name": names, "force": [police_uk_force_id(name) for name in names]})
    placeholders = ", ".join("?" for _ in categories)
    con.register("national_force_ids", forces)
    try:
        return con.execute(
            f"""
            WITH lsoa AS (
                SELECT DISTINCT a.lsoa21_code, c.csp_code, c.csp_name, c.pfa_code, c.pfa_name, f.force
                FROM ref_lsoa21_area AS a JOIN ref_lad_csp_pfa AS c USING (lad_code)
                JOIN national_force_ids AS f USING (pfa_name)
            ),
            counts AS (
                SELECT lsoa21_code, force, count(*) AS count FROM street_crime
                WHERE strftime(month, '%Y-%m') IN (SELECT unnest(?::VARCHAR[])) AND crime_type IN ({placeholders})
                  AND lsoa21_code IS NOT NULL
                GROUP BY ALL
            ),
            old AS (
                SELECT lsoa21_code, sum(population) AS population_65_plus FROM ref_population_age
                WHERE year = ? AND age >= 65 GROUP BY ALL
            )
            SELECT l.*, coalesce(c.count, 0) AS count, p.population_total, p.population_10_24,
                   o.population_65_plus, i.score AS imd2025_score
            FROM lsoa AS l
            LEFT JOIN counts AS c ON c.lsoa21_code = l.lsoa21_code AND c.force = l.force
            LEFT JOIN ref_population_lsoa21 AS p ON p.lsoa21_code = l.lsoa21_code AND p.year = ?
            LEFT JOIN old AS o ON o.lsoa21_code = l.lsoa21_code
            LEFT JOIN ref_imd_lsoa21 AS i
                ON i.lsoa21_code = l.lsoa21_code AND i.edition = 2025 AND i.domain = 'imd'
            ORDER BY l.csp_code, l.lsoa21_code
            """,
            [list(months), *categories, POPULATION_YEAR, POPULATION_YEAR],
        ).df()
    finally:
        con.unregister("national_force_ids")


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
    loaded = _months_by_force(con)
    lsoa = lsoa_counts(con, months, categories)
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
            "population_year": POPULATION_YEAR,
        }
    )


def comparable_months(con, force: str, months: Sequence[str]) -> list[str]:
    """The months of `months` that the area's force has loaded and at least one other force too."""
    loaded = _months_by_force(con)
    own = loaded.get(force, set())
    others = set().union(*(have for other, have in loaded.items() if other != force)) if len(loaded) > 1 else set()
    return [month for month in months if month in own and month in others]


__all__ = [
    "comparable_months",
    "lsoa_counts",
    "national_comparison",
    "partnership_characteristics",
    "police_uk_force_id",
]
