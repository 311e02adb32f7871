"""The bundle sections that make the assessment's statistics sound (issue 10), read from the warehouse.

Takes plain frames from `vru.assessment.queries` and hands them to the pure functions in `vru.analysis`;
`vru.assessment.run.assess` calls `statistical_sections` and writes what it returns into the bundle:

* `change`: level shifts of the area and of the rest of its force, the area's share of the force, and
  the verdict (`vru.analysis.level_shift`): "rising" only for a change that is the area's own;
* `same_months_by_year`: the area, the rest of the force and the force (rows with a location) on the
  calendar months every year has;
* `own_excess` and `priority_places`: each LSOA's own excess over residents x area rate (BH FDR), and
  the places that can be named as priorities (high on their own), with ward and LSOA names;
* `hot_spot_clusters` and `hot_spot_stability`: Gi* hot spots joined into clusters, and how often each
  LSOA is a hot spot across seeds and permutation counts;
* `serious_share`, `outcome_distribution`, `cost_current` and `national`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
from libpysal.graph import Graph

from vru.analysis import cost, excess, hotspots, level_shift, outcomes, prices
from vru.analysis.cost_current import cost_in_current_prices
from vru.analysis.records import json_safe, to_records
from vru.analysis.serious_share import serious_share
from vru.assessment import queries
from vru.assessment.national import comparable_months, national_comparison
from vru.assessment.queries import Scope
from vru.months import month_index
from vru.sources.unit_costs import read_unit_costs
from vru.warehouse.partner import read_partner_recorded_crime
from vru.warehouse.reference import price_index

__all__ = ["statistical_sections"]

STABILITY_SEEDS = 3
STABILITY_PERMUTATIONS = 999
YOUTH_RATE_CAVEAT = (
    "Rates per 1,000 aged 10-24 divide crimes against people of every age by the population aged 10-24: "
    "police.uk does not publish ages, so they are not rates of youth violence and are not shown."
)


def _change(con, scope: Scope, present: list[str], seed: int) -> dict:
    area = scope.area
    sides = queries.monthly_area_and_rest(con, scope, present)
    area_series = sides[["month"]].assign(count=sides["area"])
    rest_series = sides[["month"]].assign(count=sides["rest"])
    area_shift = level_shift.find_level_shift(area_series, seed=seed)
    result = {
        "area_shift": area_shift.to_dict(),
        "same_months_by_year": {"area": level_shift.same_months_by_year(area_series)},
        "monthly": json_safe(
            level_shift.area_rest_ratio(area_series, rest_series).to_dict("records"), default_digits=6
        ),
    }
    if area.level == "pfa" or int(sides["rest"].sum()) == 0:
        result["verdict"] = None
        result["reason"] = (
            "The rest of the force is not loaded (or the area is the force): whether a change is the area's own "
            "cannot be tested, so no change is called rising or falling on the area's own account."
        )
        return result
    rest_shift = level_shift.find_level_shift(rest_series, seed=seed)
    share_shift = level_shift.find_share_shift(area_series, rest_series, seed=seed)
    verdict = level_shift.attribute_change(area_shift, rest_shift, share_shift)
    force_series = sides[["month"]].assign(count=sides["area"] + sides["rest"])
    result.update(
        {
            "rest_shift": rest_shift.to_dict(),
            "share_shift": share_shift.to_dict(),
            "verdict": verdict.verdict,
            "direction": verdict.direction,
            "text": verdict.text,
        }
    )
    result["same_months_by_year"].update(
        {
            "rest_of_force": level_shift.same_months_by_year(rest_series),
            "force_with_location": level_shift.same_months_by_year(force_series),
        }
    )
    return result


def _places(
    areas: gpd.GeoDataFrame, lsoa: pd.DataFrame, permutations: int, seed: int, graph: Graph | None = None
) -> dict:
    """Own excess, priorities, Gi* clusters and their stability. `lsoa` is the bundle's LSOA table (with
    the `hotspot` column of the main Gi* run); `graph` the main run's queen graph (built again if None)."""
    table = lsoa.set_index("lsoa21_code")
    own = excess.own_excess(table["count"], table["population_total"].fillna(0))
    method = dict(own.attrs)
    names = table[["lsoa21_name", "ward_name"]]
    own = own.merge(names, left_on="code", right_index=True, how="left")
    hot = set(table.index[table["hotspot"].eq("hot spot")]) if "hotspot" in table.columns else set()
    priorities = excess.priority_places(own, hot)
    deprived = table[table["imd2025_decile"].isin([1, 2])] if "imd2025_decile" in table.columns else table.iloc[:0]
    wards = (
        deprived.groupby("ward_name", as_index=False)
        .agg(lsoas=("count", "size"), count=("count", "sum"))
        .sort_values(["count", "ward_name"], ascending=[False, True])
    )
    result = {
        "most_deprived_wards": to_records(wards),
        "own_excess": {
            "method": method["method"],
            "area_rate_per_1000_residents": method["area_rate"] * 1000,
            "untested": method["untested"],
            "high_on_their_own": int(own["high_on_its_own"].sum()),
            "table": to_records(own.sort_values(["p_value", "code"])),
        },
        "priority_places": {
            "rule": "named only when high on their own (own excess significant at a 5% false discovery rate)",
            "places": to_records(priorities),
        },
    }
    if "hotspot" not in table.columns or len(areas) < len(table):  # no boundaries: no Gi*
        return result
    graph = hotspots.queen_graph(areas) if graph is None else graph
    gi = pd.DataFrame({"code": table.index, "classification": table["hotspot"].to_numpy()})
    clusters = hotspots.gi_clusters(gi, graph).merge(names, left_on="code", right_index=True, how="left")
    clusters = clusters.merge(own[["code", "excess_ratio", "high_on_its_own"]], on="code", how="left").sort_values(
        ["cluster", "code"]
    )
    # Other seeds at 999 permutations, and the main run (its seed and permutations) counted as one more run.
    seeds = tuple(seed + offset for offset in range(1, STABILITY_SEEDS + 1))
    stability = hotspots.gi_stability(
        table["count"].astype(float), areas, seeds=seeds, permutations=(STABILITY_PERMUTATIONS,), graph=graph
    )
    runs = [*stability.attrs["runs"], {"seed": seed, "permutations": permutations}]
    main_hot = stability["code"].map(table["hotspot"].eq("hot spot")).fillna(False).astype(int)
    main_cold = stability["code"].map(table["hotspot"].eq("cold spot")).fillna(False).astype(int)
    stability = stability.assign(
        runs=len(runs), times_hot=stability["times_hot"] + main_hot, times_cold=stability["times_cold"] + main_cold
    )
    stability["share_hot"] = stability["times_hot"] / len(runs)
    stability["stable_hot"] = stability["times_hot"] == len(runs)
    ever = stability[(stability["times_hot"] > 0) | (stability["times_cold"] > 0)]
    result["hot_spot_clusters"] = {
        "rule": (
            "contiguous Gi* hot spots form a cluster; direction from the permutation tail that is significant; "
            "a member below the area's own rate is marked, and only LSOAs high on their own are named as priorities"
        ),
        "clusters": to_records(clusters),
    }
    result["hot_spot_stability"] = {
        "runs": runs,
        "lsoas_hot_in_every_run": int(stability["stable_hot"].sum()),
        "lsoas_hot_in_some_run": int((stability["times_hot"] > 0).sum()),
        "table": to_records(ever.merge(names, left_on="code", right_index=True, how="left")),
    }
    return result


def _serious(recorded: pd.DataFrame, area, monthly: pd.DataFrame, categories: Sequence[str]) -> dict:
    if recorded.empty:
        return {"available": False, "reason": "No recorded crime tables are loaded for the force (vru partner)."}
    counts = monthly[monthly["category"].isin(categories)].groupby("category")["count"].sum()
    result = serious_share(counts.to_dict(), cost.force_mix(recorded, area.pfa_code))
    return {"available": True, **result}


def _outcomes(outcome_table: pd.DataFrame, categories: Sequence[str], full_years: list[str]) -> dict:
    if not full_years:
        return {"available": False, "reason": "no calendar year with data for every month"}
    return {"available": True, **outcomes.outcome_distribution(outcome_table, list(categories), full_years[-1])}


def _cost_current(
    con, recorded: pd.DataFrame, area, monthly: pd.DataFrame, present: list[str], unit_costs_path: Path
) -> dict:
    if recorded.empty:
        return {"available": False, "reason": "No recorded crime tables are loaded for the force (vru partner)."}
    series = price_index(con, "YBGB")
    uplift = prices.uplift(series, cost.BASE_PRICE_YEAR) if not series.empty else None
    latest = [month for month in present if month_index(month) > month_index(present[-1]) - 12]
    by_category = monthly[monthly["month"].isin(latest)].groupby("category")["count"].sum()
    scale = 12 / len(latest)
    label = f"{latest[0]} to {latest[-1]}"
    result = cost_in_current_prices(
        {label: float(by_category.get("Violence and sexual offences", 0)) * scale},
        float(by_category.get("Robbery", 0)) * scale,
        cost.force_mix(recorded, area.pfa_code),
        read_unit_costs(unit_costs_path),
        uplift,
        area_name=area.name,
    )
    return {
        "available": True,
        "period": label,
        "months_with_data": len(latest),
        "annualised": "counts over the months with data x 12 / months",
        **result,
    }


def _national(con, area, present: list[str], categories: Sequence[str]) -> dict:
    months = comparable_months(con, area.force, present)
    csp_code = queries.whole_partnership(con, area)
    if csp_code is None:
        return {"available": False, "reason": "compared at partnership level: assess the partnership"}
    if not months:
        return {
            "available": False,
            "reason": "No other force's police.uk files are loaded for the area's months: load "
            "../shared/data/police_uk/national (vru ingest) to compare with England and Wales.",
        }
    return national_comparison(con, csp_code, months, categories)


def statistical_sections(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    present: list[str],
    monthly: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    lsoa: pd.DataFrame,
    outcome_table: pd.DataFrame,
    full_years: list[str],
    unit_costs_path: Path,
    permutations: int,
    seed: int,
    graph: Graph | None = None,
) -> dict:
    """Every section this module adds, JSON-safe (see the module docstring). `graph`: the queen graph of
    `areas` already built for the main Gi* run (reused, not built again)."""
    area, categories = scope.area, scope.categories
    recorded = read_partner_recorded_crime(con, pfa=area.pfa_code)
    return json_safe(
        {
            "change": _change(con, scope, present, seed),
            **_places(areas, lsoa, permutations, seed, graph),
            "serious_share": _serious(recorded, area, monthly, categories),
            "outcome_distribution": _outcomes(outcome_table, categories, full_years),
            "cost_current": _cost_current(con, recorded, area, monthly, present, unit_costs_path),
            "national": _national(con, area, present, categories),
            "youth_rates": YOUTH_RATE_CAVEAT,
        },
        default_digits=6,
    )
