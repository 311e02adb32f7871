"""The evaluation aid (`vru evaluate`): for an action tied to places, its monthly counts before and after the
start against comparison places of the same area chosen by similarity, as a difference in differences with an
interval, its assumptions and a warning when the places were already moving apart
(vru.analysis.difference_in_differences; docs/methods-monitoring.md).

The places are wards (codes E05...) or LSOAs (E01...) of the area. Similarity: population, IMD 2025 score
(population-weighted over LSOAs) and the rate per 1,000 a month before the start.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import duckdb
import pandas as pd

from vru.analysis.difference_in_differences import choose_comparison_areas, difference_in_differences
from vru.analysis.records import json_safe
from vru.assessment.queries import POPULATION_YEAR, AssessmentError, months_loaded, resolve_area
from vru.months import check_month, month_range

IMD_EDITION = 2025
# The JSON written with `--out`; the portal (`manage.py publish_evaluation`) refuses any other version.
EVALUATION_SCHEMA_VERSION = 1
# Standardised distance beyond which the "most similar" places are not much like the treated ones.
FAR_FROM_SIMILAR = 2.0


def evaluation(
    con: duckdb.DuckDBPyConnection,
    area_code: str,
    treated: list[str],
    start_month: str,
    first_month: str,
    last_month: str,
    crime_type: str = "Violence and sexual offences",
    comparisons: int = 5,
) -> dict[str, Any]:
    for month in (start_month, first_month, last_month):
        check_month(month)
    area = resolve_area(con, area_code)
    if not treated:
        raise AssessmentError("name at least one treated place")
    level = "ward" if all(code.startswith("E05") or code.startswith("W05") for code in treated) else "lsoa"
    key = "ward_code" if level == "ward" else "lsoa21_code"
    units = con.execute(
        f"""
        SELECT a.lsoa21_code, a.{key} AS unit, {"a.ward_name" if level == "ward" else "a.lsoa21_name"} AS name,
               coalesce(p.population_total, 0) AS population, i.score AS imd_score
        FROM ref_lsoa21_area AS a
        LEFT JOIN ref_population_lsoa21 AS p ON p.lsoa21_code = a.lsoa21_code AND p.year = ?
        LEFT JOIN ref_imd AS i ON i.lsoa_code = a.lsoa21_code AND i.edition = ? AND i.domain = 'imd'
        WHERE a.lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        """,
        [POPULATION_YEAR, IMD_EDITION, area.lsoas],
    ).df()
    unknown = sorted(set(treated) - set(units["unit"]))
    if unknown:
        raise AssessmentError(f"not {level}s of {area.name}: {', '.join(unknown)}")
    present = months_loaded(con, area.force, month_range(first_month, last_month))
    counts = con.execute(
        """
        SELECT strftime(month, '%Y-%m') AS month, lsoa21_code, count(*) AS count FROM street_crime
        WHERE force = ? AND crime_type = ? AND lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
          AND strftime(month, '%Y-%m') BETWEEN ? AND ?
        GROUP BY ALL
        """,
        [area.force, crime_type, area.lsoas, first_month, last_month],
    ).df()
    counts = counts.merge(units[["lsoa21_code", "unit"]], on="lsoa21_code")
    panel = (
        counts.groupby(["unit", "month"])["count"]
        .sum()
        .reindex(pd.MultiIndex.from_product([sorted(units["unit"].unique()), present], names=["unit", "month"]))
        .fillna(0)
        .rename("value")
        .reset_index()
        .rename(columns={"unit": "area"})
    )
    weighted = units.assign(weighted_imd=units["imd_score"] * units["population"])
    profile = weighted.groupby("unit").agg(population=("population", "sum"), weighted_imd=("weighted_imd", "sum"))
    profile["imd_score"] = profile["weighted_imd"] / profile["population"].where(profile["population"] > 0)
    before = panel[panel["month"] < start_month].groupby("area")["value"].mean()
    profile["rate_before"] = (
        before.reindex(profile.index) / profile["population"].where(profile["population"] > 0) * 1000
    )
    characteristics = profile[["population", "imd_score", "rate_before"]].dropna()
    chosen = choose_comparison_areas(characteristics, treated, k=comparisons)
    result = difference_in_differences(panel, treated, list(chosen["area"]), start_month)
    names = dict(zip(units["unit"], units["name"], strict=False))
    comparison_codes = list(chosen["area"])
    wide = panel.pivot_table(index="month", columns="area", values="value", aggfunc="sum").sort_index()
    # The counts behind the estimate, month by month, so a reader can see them (and the portal show them).
    monthly = [
        {
            "month": month,
            "treated_count": int(wide.loc[month, treated].sum()),
            "comparison_count": int(wide.loc[month, comparison_codes].sum()),
            "treated_mean": float(wide.loc[month, treated].mean()),
            "comparison_mean": float(wide.loc[month, comparison_codes].mean()),
        }
        for month in wide.index
    ]
    warnings = list(result.warnings)
    if chosen["distance"].min() > FAR_FROM_SIMILAR:
        warnings.append(
            f"No place in {area.name} is much like the treated ones: even the most similar differs by "
            f"{chosen['distance'].min():.1f} standard deviations on population, deprivation and the rate before "
            "the start. Read the estimate with great care."
        )
    return json_safe(
        {
            "schema_version": EVALUATION_SCHEMA_VERSION,
            "area": {"code": area.code, "name": area.name},
            "crime_type": crime_type,
            "level": level,
            "treated": [{"code": code, "name": names.get(code, code)} for code in treated],
            "comparison": [
                {"code": row.area, "name": names.get(row.area, row.area), "distance": row.distance}
                for row in chosen.itertuples()
            ],
            "months": present,
            "first_month": first_month,
            "last_month": last_month,
            "monthly": monthly,
            "result": asdict(result),
            "warnings": warnings,
            "description": " ".join([result.describe(), *warnings[len(result.warnings) :]]),
        }
    )
