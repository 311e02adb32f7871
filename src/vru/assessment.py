"""Run the needs-assessment methods for an area and period and write the assessment bundle.

This is the one place that reads the warehouse for analysis: it pulls plain frames out with SQL, hands
them to the pure functions in `vru.analysis`, and writes the bundle (docs/bundle.md) that the report and
the portal read and never recompute.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
from shapely import wkt

from vru import __version__
from vru.analysis import (
    comparison,
    concentration,
    cost,
    deprivation,
    findings,
    forecast,
    hotspots,
    method_changes,
    night_time_economy,
    persistence,
    prices,
    priorities,
    rates,
    records,
    trend,
)
from vru.analysis import outcomes as outcome_analysis
from vru.months import month_from_index, month_index, month_range
from vru.profiles import Profile
from vru.sources.licensed_premises import read_open_pubs
from vru.sources.police_uk import CRIME_TYPES
from vru.sources.unit_costs import read_unit_costs
from vru.statistical_sections import statistical_sections
from vru.warehouse.coverage import area_lsoas
from vru.warehouse.partner import read_partner_recorded_crime
from vru.warehouse.reference import price_index

BUNDLE_SCHEMA_VERSION = 1
DEFAULT_UNIT_COSTS = Path(__file__).parent / "reference_data" / "unit_costs_home_office_2018.csv"
VIOLENCE_AND_SEXUAL_OFFENCES = "Violence and sexual offences"
POPULATION_YEAR = 2020
PER = 1000


class AssessmentError(ValueError):
    pass


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str
    lsoas: list[str]
    force: str  # police.uk force slug, e.g. avon-and-somerset
    pfa_code: str
    pfa_name: str


def force_slug(pfa_name: str) -> str:
    """police.uk's force id from the ONS police force area name ('Avon and Somerset' → 'avon-and-somerset')."""
    return re.sub(r"[^a-z0-9]+", "-", pfa_name.lower()).strip("-")


def resolve_area(con: duckdb.DuckDBPyConnection, area_code: str) -> Area:
    described, lsoas = area_lsoas(con, area_code)
    forces = con.execute(
        """
        SELECT DISTINCT c.pfa_code, c.pfa_name FROM ref_lsoa21_area AS a JOIN ref_lad_csp_pfa AS c USING (lad_code)
        WHERE a.lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        """,
        [lsoas],
    ).fetchall()
    if len(forces) != 1:
        raise AssessmentError(f"{area_code} spans {len(forces)} police force areas; assess each force's part")
    pfa_code, pfa_name = forces[0]
    return Area(
        code=area_code,
        name=described["name"],
        level=described["level"],
        lsoas=lsoas,
        force=force_slug(pfa_name),
        pfa_code=pfa_code,
        pfa_name=pfa_name,
    )


def _area_filter(area: Area) -> tuple[str, list]:
    """SQL restricting street_crime to the area. A force area takes every row of the force, with those
    that have no location; smaller areas take rows whose LSOA is in the area."""
    if area.level == "pfa":
        return "force = ?", [area.force]
    return "force = ? AND lsoa21_code IN (SELECT unnest(?::VARCHAR[]))", [area.force, area.lsoas]


def _months_loaded(con, force: str, months: list[str]) -> list[str]:
    loaded = {
        month
        for (month,) in con.execute(
            "SELECT strftime(month, '%Y-%m') FROM ingest_unit WHERE kind = 'street' AND force = ?", [force]
        ).fetchall()
    }
    return [month for month in months if month in loaded]


def _population(con, lsoas: list[str]) -> pd.DataFrame:
    return con.execute(
        """
        SELECT lsoa21_code, population_total, population_10_24 FROM ref_population_lsoa21
        WHERE year = ? AND lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        """,
        [POPULATION_YEAR, lsoas],
    ).df()


def assess(
    con: duckdb.DuckDBPyConnection,
    area_code: str,
    first_month: str,
    last_month: str,
    profile: Profile,
    out_dir: Path,
    unit_costs_path: Path | None = None,
    permutations: int = 9999,
    seed: int = 12345,
    licensed_premises: Path | None = None,
    licensed_premises_as_of: str | None = None,
    gdp_deflator: tuple[float, str] | None = None,
) -> dict:
    """Assess an area over [first_month, last_month] and write the bundle to out_dir. Returns summary."""
    area = resolve_area(con, area_code)
    expected = month_range(first_month, last_month)
    present = _months_loaded(con, area.force, expected)
    if not present:
        raise AssessmentError(
            f"no police.uk street data loaded for {area.force} between {first_month} and {last_month}"
        )
    missing = [month for month in expected if month not in present]
    where, params = _area_filter(area)
    period = "month BETWEEN CAST(? || '-01' AS DATE) AND CAST(? || '-01' AS DATE)"
    params = [*params, first_month, last_month]
    categories = list(profile.police_uk_categories)
    in_profile = f"crime_type IN ({', '.join('?' for _ in categories)})"

    # Monthly counts for every category, and for the profile; months with data but no rows get zero.
    by_month = con.execute(
        f"""
        SELECT strftime(month, '%Y-%m') AS month, crime_type AS category, count(*) AS count
        FROM street_crime WHERE {where} AND {period} GROUP BY ALL
        """,
        params,
    ).df()
    grid = pd.MultiIndex.from_product([present, sorted(CRIME_TYPES | set(by_month["category"]))])
    monthly = (
        by_month.set_index(["month", "category"])["count"]
        .reindex(grid, fill_value=0)
        .rename_axis(["month", "category"])
    ).reset_index()
    profile_label = f"profile:{profile.name}"
    profile_monthly = (
        monthly[monthly["category"].isin(categories)].groupby("month", as_index=False)["count"].sum()
    ).assign(category=profile_label)
    monthly = pd.concat([monthly, profile_monthly[["month", "category", "count"]]], ignore_index=True)

    population = _population(con, area.lsoas)
    population_total = float(population["population_total"].sum())
    population_10_24 = float(population["population_10_24"].sum())

    series = profile_monthly[["month", "count"]].copy()
    trend_result = trend.fit_trend(series, expected, population=population_total)
    latest_12 = trend.compare_latest_12(series, expected, dispersion=trend_result.dispersion)
    seasonal = trend.seasonal_profile(series)
    forecast_result = forecast.forecast(series, expected, horizon=6, seed=seed)
    try:
        backtest_result = forecast.backtest(series, expected, horizon=6, seed=seed).to_dict()
    except ValueError as too_short:  # fewer months than the hold-out: no test, so the forecast is not a guide
        backtest_result = {"available": False, "reason": str(too_short), "coverage": None, "mae": None, "rows": []}

    # Yearly volume and rates (calendar years; partial years flagged with their months).
    yearly = (
        series.assign(year=series["month"].str[:4])
        .groupby("year")
        .agg(count=("count", "sum"), months=("month", "nunique"))
    )
    volume = []
    for year, row in yearly.iterrows():
        annualised = row["count"] / row["months"] * 12
        all_ages = rates.annual_rate(row["count"], population_total, row["months"], per=PER)
        volume.append(
            {
                "year": year,
                "months": int(row["months"]),
                "partial_year": int(row["months"]) < 12,
                "count": int(row["count"]),
                "annualised_count": annualised,
                "rate_per_1000": all_ages.to_dict(),
            }
        )

    lsoa = _lsoa_table(con, area, where, params, in_profile, categories, present)
    ward = _ward_table(lsoa, len(present))
    spatial = _spatial(con, area, lsoa, present, permutations, seed)
    night_time_economy = _night_time_economy(
        con, area, spatial["lsoa"], present, licensed_premises, licensed_premises_as_of
    )
    locations = _locations(con, where, params, in_profile, categories)
    snap_counts = locations.groupby(
        locations["longitude"].round(6).astype(str) + "," + locations["latitude"].round(6).astype(str)
    )["count"].sum()
    concentration_result = {
        "lsoa": concentration.concentration_shares(lsoa.set_index("lsoa21_code")["count"]),
        "lsoa_gini": concentration.gini(lsoa["count"]),
        "snap_points": concentration.concentration_shares(snap_counts),
        "snap_point_gini": concentration.gini(snap_counts),
        "snap_point_universe": "snap points with any police.uk street crime in the area and period",
    }
    lorenz = concentration.lorenz_curve(lsoa.set_index("lsoa21_code")["count"])

    deprivation_result = _deprivation(con, lsoa, len(present))
    outcome_rows = con.execute(
        f"""
        SELECT strftime(month, '%Y') AS year, crime_type AS category, last_outcome_category AS outcome,
               count(*) AS count
        FROM street_crime WHERE {where} AND {period} AND {in_profile} GROUP BY ALL
        """,
        [*params, *categories],
    ).df()
    outcome_table = outcome_analysis.outcome_shares(outcome_rows)
    comparison_result = _comparison(con, area, profile, first_month, last_month, present)
    if gdp_deflator is None:  # current prices by default, from the GDP deflator loaded as reference data
        loaded = price_index(con, "YBGB")
        if not loaded.empty:
            uplift = prices.uplift(loaded, cost.BASE_PRICE_YEAR)
            gdp_deflator = (uplift.ratio, uplift.to_year)
    cost_result = _cost(con, area, monthly, present, unit_costs_path, gdp_deflator)
    full_years = [row["year"] for row in volume if not row["partial_year"]]
    sections = statistical_sections(
        con,
        area,
        present,
        categories,
        monthly,
        spatial["lsoa"],
        outcome_table,
        full_years,
        unit_costs_path or DEFAULT_UNIT_COSTS,
        permutations,
        seed,
    )

    summary = {
        "schema_version": BUNDLE_SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "toolkit_version": __version__,
        "area_code": area.code,
        "area": {
            "code": area.code,
            "name": area.name,
            "level": area.level,
            "lsoa21_count": len(area.lsoas),
            "force": area.force,
            "pfa_code": area.pfa_code,
            "pfa_name": area.pfa_name,
        },
        "period": {
            "from": first_month,
            "to": last_month,
            "months_expected": len(expected),
            "months_present": len(present),
        },
        "profile": profile.to_dict(),
        "missing_months": missing,
        "monthly": monthly.sort_values(["category", "month"]).to_dict("records"),
        "population": {
            "year": POPULATION_YEAR,
            "total": population_total,
            "aged_10_24": population_10_24,
            "source": "ONS mid-2020 LSOA estimates apportioned to LSOA 2021 (docs/data-sources.md)",
        },
        "volume": volume,
        "trend": trend_result.to_dict(),
        "latest_12_months": latest_12.to_dict(),
        "seasonal_profile": seasonal,
        "forecast": forecast_result.to_dict(),
        "backtest": backtest_result,
        "where": spatial["summary"],
        "concentration": concentration_result,
        "deprivation": deprivation_result,
        "outcomes": {
            "caveat": outcome_analysis.CAVEAT,
            "headline": [r for c in categories for r in outcome_analysis.headline_shares(outcome_table, c)],
        },
        "comparison": comparison_result,
        "cost": cost_result,
        "night_time_economy": night_time_economy,
        "sources": _sources(con, area),
        **sections,
    }
    summary["findings"] = findings.key_findings(summary)
    summary["priorities"] = priorities.priorities(summary)
    summary["method_changes"] = method_changes.method_changes(summary)
    summary = records.json_safe(summary, default_digits=6)

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    monthly.to_parquet(out_dir / "monthly.parquet", index=False)
    spatial["lsoa"].to_parquet(out_dir / "lsoa.parquet", index=False)
    ward.to_parquet(out_dir / "ward.parquet", index=False)
    locations.head(200).to_parquet(out_dir / "locations.parquet", index=False)
    lorenz.to_parquet(out_dir / "lorenz.parquet", index=False)
    _write_boundaries(con, area, ward, out_dir)
    outcome_table.to_parquet(out_dir / "outcomes.parquet", index=False)
    pd.DataFrame(comparison_result["table"]).to_parquet(out_dir / "comparison.parquet", index=False)
    return summary


def _lsoa_table(con, area: Area, where, params, in_profile, categories, present) -> pd.DataFrame:
    """One row per LSOA of the area: names, ward, population, deprivation, profile counts (total and by
    year). LSOAs with no crime have count 0: concentration and hot-spot methods need every unit."""
    counts = con.execute(
        f"""
        SELECT lsoa21_code, strftime(month, '%Y') AS year, count(*) AS count
        FROM street_crime WHERE {where} AND month BETWEEN CAST(? || '-01' AS DATE) AND CAST(? || '-01' AS DATE)
          AND {in_profile} AND lsoa21_code IS NOT NULL
        GROUP BY ALL
        """,
        [*params, *categories],
    ).df()
    base = con.execute(
        """
        SELECT a.lsoa21_code, a.lsoa21_name, a.ward_code, a.ward_name, a.lad_code, a.lad_name,
               p.population_total, p.population_10_24,
               i19.decile AS imd2019_decile, i25.decile AS imd2025_decile, i25.score AS imd2025_score
        FROM ref_lsoa21_area AS a
        LEFT JOIN ref_population_lsoa21 AS p ON p.lsoa21_code = a.lsoa21_code AND p.year = ?
        LEFT JOIN ref_imd_lsoa21 AS i19 ON i19.lsoa21_code = a.lsoa21_code AND i19.edition = 2019 AND i19.domain = 'imd'
        LEFT JOIN ref_imd_lsoa21 AS i25 ON i25.lsoa21_code = a.lsoa21_code AND i25.edition = 2025 AND i25.domain = 'imd'
        WHERE a.lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY a.lsoa21_code
        """,
        [POPULATION_YEAR, area.lsoas],
    ).df()
    by_year = counts.pivot_table(index="lsoa21_code", columns="year", values="count", aggfunc="sum", fill_value=0)
    by_year.columns = [f"count_{year}" for year in by_year.columns]
    table = base.merge(by_year, how="left", left_on="lsoa21_code", right_index=True)
    year_columns = [column for column in table.columns if column.startswith("count_")]
    table[year_columns] = table[year_columns].fillna(0).astype(int)
    table["count"] = table[year_columns].sum(axis=1).astype(int)
    rate = rates.rates_table(table, "count", "population_total", per=PER, months_with_data=len(present))
    table["rate_per_1000"], table["rate_lower"], table["rate_upper"] = rate["rate"], rate["lower"], rate["upper"]
    table["rank"] = table["rate_per_1000"].rank(ascending=False, method="min").astype("Int64")
    table["rank_by_count"] = table["count"].rank(ascending=False, method="min").astype(int)
    return table


def _ward_table(lsoa: pd.DataFrame, months: int) -> pd.DataFrame:
    ward = lsoa.groupby(["ward_code", "ward_name"], as_index=False).agg(
        lsoas=("lsoa21_code", "count"), count=("count", "sum"), population_total=("population_total", "sum")
    )
    rate = rates.rates_table(ward, "count", "population_total", per=PER, months_with_data=months)
    ward["rate_per_1000"], ward["rate_lower"], ward["rate_upper"] = rate["rate"], rate["lower"], rate["upper"]
    ward["rank"] = ward["rate_per_1000"].rank(ascending=False, method="min").astype("Int64")
    return ward.sort_values("rank").reset_index(drop=True)


def _boundaries(con, lsoas: list[str]) -> gpd.GeoDataFrame:
    rows = con.execute(
        """
        SELECT code, name, geometry_wkt FROM ref_boundary
        WHERE layer = 'lsoa21' AND code IN (SELECT unnest(?::VARCHAR[])) ORDER BY code
        """,
        [lsoas],
    ).fetchall()
    return gpd.GeoDataFrame(
        {"code": [r[0] for r in rows], "name": [r[1] for r in rows]},
        geometry=[wkt.loads(r[2]) for r in rows],
        crs="EPSG:4326",
    )


def _write_boundaries(con, area: Area, ward: pd.DataFrame, out_dir: Path) -> None:
    """LSOA, ward and area outlines in the bundle, so maps are drawn without the warehouse."""
    layers = {
        "lsoa21": area.lsoas,
        "ward": list(ward["ward_code"]),
        "lad": [
            code
            for (code,) in con.execute(
                "SELECT DISTINCT lad_code FROM ref_lsoa21_area WHERE lsoa21_code IN (SELECT unnest(?::VARCHAR[]))",
                [area.lsoas],
            ).fetchall()
        ],
    }
    for layer, codes in layers.items():
        rows = con.execute(
            """
            SELECT code, name, geometry_wkt FROM ref_boundary
            WHERE layer = ? AND code IN (SELECT unnest(?::VARCHAR[])) ORDER BY code
            """,
            [layer, codes],
        ).fetchall()
        frame = gpd.GeoDataFrame(
            {"code": [r[0] for r in rows], "name": [r[1] for r in rows]},
            geometry=[wkt.loads(r[2]) for r in rows],
            crs="EPSG:4326",
        )
        frame.to_file(out_dir / f"boundaries_{layer}.geojson", driver="GeoJSON")


def _spatial(con, area: Area, lsoa: pd.DataFrame, present: list[str], permutations: int, seed: int) -> dict:
    """Gi* and Local Moran on LSOA rates for the whole period; Gi* per calendar year for persistence."""
    areas = _boundaries(con, area.lsoas)
    if len(areas) < len(area.lsoas):
        missing = sorted(set(area.lsoas) - set(areas["code"]))
        reason = (
            f"LSOA boundaries are not loaded for {len(missing)} of the area's {len(area.lsoas)} LSOAs "
            f"(e.g. {', '.join(missing[:3])}): hot spots and maps need them (vru reference with the boundaries)."
        )
        return {"lsoa": lsoa, "summary": {"available": False, "reason": reason, "method": {}, "hot_spots": None}}
    graph = hotspots.queen_graph(areas)
    # Counts, not rates: LSOAs hold similar populations (about 1,500), and rates of the few with very
    # small residential populations (city centres) would swamp the statistic.
    counts = lsoa.set_index("lsoa21_code")["count"].astype(float)
    gi = hotspots.getis_ord_gi_star(counts, areas, permutations=permutations, seed=seed, graph=graph)
    moran = hotspots.local_moran(counts, areas, permutations=permutations, seed=seed, graph=graph)
    global_i = hotspots.global_moran(counts, areas, permutations=permutations, seed=seed)
    years = sorted({month[:4] for month in present})
    months_in_year = {year: sum(month.startswith(year) for month in present) for year in years}
    hot_by_year = {}
    for year in years:
        values = lsoa.set_index("lsoa21_code")[f"count_{year}"].astype(float)
        yearly = hotspots.getis_ord_gi_star(values, areas, permutations=permutations, seed=seed, graph=graph)
        hot_by_year[year] = set(yearly.loc[yearly["classification"] == "hot spot", "code"])
    persistent = persistence.classify_persistence(
        hot_by_year, area.lsoas, partial_years=[year for year, n in months_in_year.items() if n < 12]
    )
    table = (
        lsoa.merge(
            gi[["code", "gi_z", "p_sim", "p_fdr", "classification", "confidence"]].rename(
                columns={
                    "code": "lsoa21_code",
                    "p_sim": "gi_p_sim",
                    "p_fdr": "gi_p_fdr",
                    "classification": "hotspot",
                    "confidence": "hotspot_confidence",
                }
            ),
            on="lsoa21_code",
            how="left",
        )
        .merge(
            moran[["code", "Ii", "quadrant", "p_fdr", "cluster"]].rename(
                columns={
                    "code": "lsoa21_code",
                    "Ii": "local_moran_i",
                    "p_fdr": "moran_p_fdr",
                    "cluster": "moran_cluster",
                }
            ),
            on="lsoa21_code",
            how="left",
        )
        .merge(
            persistent[["code", "years_hot", "classification"]].rename(
                columns={"code": "lsoa21_code", "classification": "persistence"}
            ),
            on="lsoa21_code",
            how="left",
        )
    )
    table["years_hot"] = table["years_hot"].map(lambda years: ",".join(map(str, years)) if len(years) else "")
    summary = {
        "method": {
            "statistic": "Getis-Ord Gi* and Local Moran's I on LSOA counts of the profile over the period",
            "weights": "queen contiguity (libpysal Graph)",
            "permutations": permutations,
            "seed": seed,
            "p_values": "two-sided conditional permutation, Benjamini-Hochberg FDR at 5%",
        },
        "hot_spots": int((gi["classification"] == "hot spot").sum()),
        "cold_spots": int((gi["classification"] == "cold spot").sum()),
        "islands": hotspots.islands(graph),
        "global_moran": global_i if isinstance(global_i, dict) else global_i.to_dict(),
        "moran_clusters": table["moran_cluster"].value_counts().to_dict(),
        "persistence": persistent["classification"].value_counts().to_dict(),
        "years": {year: {"months": months_in_year[year], "hot_spots": len(hot_by_year[year])} for year in years},
        "top_lsoas": table.sort_values(["count", "lsoa21_code"], ascending=[False, True])
        .head(10)[["lsoa21_code", "lsoa21_name", "ward_name", "count", "rate_per_1000", "hotspot", "persistence"]]
        .to_dict("records"),
    }
    return {"lsoa": table, "summary": summary}


def _night_time_economy(
    con, area: Area, lsoa: pd.DataFrame, present: list[str], path: Path | None, as_of: str | None
) -> dict:
    """Licensed premises per LSOA against violence (adds `licensed_premises` to the LSOA table)."""
    if path is None:
        return {"available": False, "reason": "No licensed premises list was given (vru assess --licensed-premises)."}
    premises = read_open_pubs(path)
    areas = _boundaries(con, area.lsoas)
    points = gpd.GeoDataFrame(
        premises, geometry=gpd.points_from_xy(premises["longitude"], premises["latitude"]), crs="EPSG:4326"
    )
    joined = gpd.sjoin(points, areas[["code", "geometry"]], how="inner", predicate="within")
    per_lsoa = joined.groupby("code").size()
    lsoa["licensed_premises"] = lsoa["lsoa21_code"].map(per_lsoa).fillna(0).astype(int)
    area_km2 = areas.set_index("code").to_crs(27700).area / 1e6
    frame = pd.DataFrame(
        {
            "lsoa21_code": lsoa["lsoa21_code"],
            "count": lsoa["count"],
            "population": lsoa["population_total"],
            "premises": lsoa["licensed_premises"],
            "area_km2": lsoa["lsoa21_code"].map(area_km2),
        }
    )
    result = night_time_economy.compare_with_premises(frame, len(present))
    result.update(
        {
            "available": True,
            "source_file": str(path),
            "as_of": as_of,
            "premises_in_file": len(premises),
            "premises_outside_area": len(premises) - len(joined),
            "rows_without_coordinates": premises.attrs["rows_without_coordinates"],
            "caveat": (
                f"The premises list is dated ({as_of or 'date unknown'}): premises open and close, so it shows "
                "where the night-time economy was, not where it is. Pubs only (Open Pubs, from food hygiene "
                "ratings); clubs, bars without food registration and off-licences may be missing."
            ),
        }
    )
    return result


def _locations(con, where, params, in_profile, categories) -> pd.DataFrame:
    """Profile counts per snap point, over every snap point with any street crime in the area and period
    (so points with none of the profile count as zero)."""
    return con.execute(
        f"""
        SELECT location, lsoa21_code, longitude, latitude,
               count(*) FILTER (WHERE {in_profile}) AS count, count(*) AS all_crime
        FROM street_crime
        WHERE {where} AND month BETWEEN CAST(? || '-01' AS DATE) AND CAST(? || '-01' AS DATE)
          AND longitude IS NOT NULL
        GROUP BY ALL ORDER BY count DESC, location, longitude, latitude
        """,
        [*categories, *params],
    ).df()


def _deprivation(con, lsoa: pd.DataFrame, months_with_data: int) -> dict:
    result = {}
    for edition in (2019, 2025):
        frame = lsoa.rename(columns={"population_total": "population", f"imd{edition}_decile": "imd_decile"})
        frame = frame.assign(population=frame["population"] * 1.0)[["lsoa21_code", "count", "population", "imd_decile"]]
        frame = frame.dropna(subset=["imd_decile"])
        result[f"imd{edition}"] = {
            "rate_by_decile": deprivation.to_records(
                deprivation.rate_by_decile(frame, months_with_data=months_with_data)
            ),
            "quintile_ratio": deprivation.quintile_rate_ratio(frame, months_with_data=months_with_data).to_dict(),
            "note": "IMD 2019 is on LSOA 2011, carried to LSOA 2021 (docs/data-sources.md)"
            if edition == 2019
            else "IMD 2025 is published on LSOA 2021",
        }
    domains = con.execute(
        """
        SELECT lsoa21_code, domain, score FROM ref_imd_lsoa21
        WHERE edition = 2025 AND lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        """,
        [list(lsoa["lsoa21_code"])],
    ).df()
    wide = domains.pivot_table(index="lsoa21_code", columns="domain", values="score").add_suffix("_score")
    frame = lsoa.set_index("lsoa21_code")[["rate_per_1000"]].join(wide)
    result["imd2025_domain_correlations"] = deprivation.to_records(deprivation.domain_correlations(frame))
    result["caveat"] = (
        "Ecological: LSOA rates against area deprivation describe places, not the people involved; "
        "police.uk locations are snap points, and rates in LSOAs with few residents (city centres) are high."
    )
    return result


def _comparison(con, area: Area, profile: Profile, first_month, last_month, present) -> dict:
    """The profile's count, population and months for every partnership in the area's force, and the force.

    Like with like: the force's count is the sum over its partnerships' LSOAs (rows without a location
    belong to no partnership); the area is compared with the rest of the force at LSOA level."""
    lsoa = con.execute(
        f"""
        WITH lsoa_csp AS (
            SELECT DISTINCT a.lsoa21_code, c.csp_code, c.csp_name
            FROM ref_lsoa21_area AS a JOIN ref_lad_csp_pfa AS c USING (lad_code) WHERE c.pfa_code = ?
        ),
        counts AS (
            SELECT lsoa21_code, count(*) AS count FROM street_crime
            WHERE force = ? AND month BETWEEN CAST(? || '-01' AS DATE) AND CAST(? || '-01' AS DATE)
              AND crime_type IN ({", ".join("?" for _ in profile.police_uk_categories)})
            GROUP BY ALL
        )
        SELECT l.lsoa21_code, l.csp_code, l.csp_name, coalesce(c.count, 0) AS count,
               coalesce(p.population_total, 0) AS population
        FROM lsoa_csp AS l
        LEFT JOIN counts AS c USING (lsoa21_code)
        LEFT JOIN ref_population_lsoa21 AS p ON p.lsoa21_code = l.lsoa21_code AND p.year = ?
        """,
        [area.pfa_code, area.force, first_month, last_month, *profile.police_uk_categories, POPULATION_YEAR],
    ).df()
    rows = (
        lsoa.groupby(["csp_code", "csp_name"], as_index=False)
        .agg(count=("count", "sum"), population=("population", "sum"))
        .rename(columns={"csp_code": "code", "csp_name": "name"})
        .assign(level="csp")
    )
    partnerships = con.execute(
        "SELECT DISTINCT csp_code, csp_name FROM ref_lad_csp_pfa WHERE pfa_code = ? ORDER BY 1", [area.pfa_code]
    ).fetchall()
    with_data = rows[(rows["count"] > 0) & (rows["population"] > 0)]
    result = {
        "partnerships_in_force": len(partnerships),
        "partnerships_with_data": len(with_data),
        "complete": len(with_data) == len(partnerships),
        "table": [],
    }
    if not result["complete"]:
        absent = sorted({name for _, name in partnerships} - set(with_data["name"]))
        result["note"] = (
            f"The warehouse holds police.uk rows and reference data for {len(with_data)} of the {len(partnerships)} "
            f"partnerships in {area.pfa_name} (not {', '.join(absent)}): load the whole force's files and the "
            "reference data for every partnership to compare with them and with the force as a whole."
        )
        return result
    distinct = lsoa.drop_duplicates("lsoa21_code")
    force_row = {
        "code": area.pfa_code,
        "name": area.pfa_name,
        "level": "pfa",
        "count": int(distinct["count"].sum()),
        "population": float(distinct["population"].sum()),
    }
    table = pd.concat([rows, pd.DataFrame([force_row])], ignore_index=True).assign(months=len(present))
    focus = area.code if area.level in ("csp", "pfa") else _csp_of(con, area)
    result["table"] = comparison.compare_areas(table, focus_code=focus, lsoa=lsoa, per=PER).to_dict("records")
    if area.level != "pfa":
        result["area_against_rest"] = comparison.area_against_rest(distinct, set(area.lsoas), len(present), per=PER)
    result["note"] = (
        "Like with like: the force's count is the sum over its partnerships' LSOAs (rows without a location "
        "belong to no partnership and are in neither side); rates are per 1,000 residents a year over the "
        "months with data; the area is compared with the rest of the force, LSOA by LSOA."
    )
    return result


def _csp_of(con, area: Area) -> str:
    codes = con.execute(
        """
        SELECT DISTINCT c.csp_code FROM ref_lsoa21_area AS a JOIN ref_lad_csp_pfa AS c USING (lad_code)
        WHERE a.lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        """,
        [area.lsoas],
    ).fetchall()
    return codes[0][0]


def _sources(con, area: Area) -> dict:
    units = con.execute(
        """
        SELECT strftime(month, '%Y-%m') AS month, source_file, source_sha256,
               strftime(ingested_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS ingested_at
        FROM ingest_unit WHERE force = ? AND kind = 'street' ORDER BY month
        """,
        [area.force],
    ).df()
    reference = con.execute(
        "SELECT table_name, source_file, source_sha256, rows_loaded FROM ref_source ORDER BY ALL"
    ).df()
    return {
        "police_uk": units.to_dict("records"),
        "reference": reference.to_dict("records"),
        "licence": "Contains public sector information licensed under the Open Government Licence v3.0.",
    }


def _frame_records(frame: pd.DataFrame) -> list[dict]:
    return frame.reset_index(drop=True).to_dict("records")


def _cost(
    con,
    area: Area,
    monthly: pd.DataFrame,
    present: list[str],
    unit_costs_path: Path | None,
    gdp_deflator: tuple[float, str] | None,
) -> dict:
    """Cost of the area's violence from police.uk counts split by the force's recorded-crime mix, and the
    seed page's headline recomputed for Avon and Somerset. Needs `vru partner` tables loaded."""
    recorded = read_partner_recorded_crime(con, pfa=area.pfa_code)
    if recorded.empty:
        return {
            "available": False,
            "reason": (
                f"No Home Office recorded crime tables are loaded for {area.pfa_name}: the cost of violence needs "
                "the force's offence mix to split police.uk's 'Violence and sexual offences' (run `vru partner`)."
            ),
        }
    unit_costs = read_unit_costs(unit_costs_path or DEFAULT_UNIT_COSTS)
    mix = cost.force_mix(recorded, area.pfa_code)
    vso = monthly[monthly["category"] == VIOLENCE_AND_SEXUAL_OFFENCES].set_index("month")["count"]
    latest_months = [month for month in present if month > month_from_index(month_index(present[-1]) - 12)]
    label = f"{latest_months[0]} to {latest_months[-1]}"
    annualised = float(vso.loc[latest_months].sum()) * 12 / len(latest_months)
    deflator = {} if gdp_deflator is None else {"deflator_ratio": gdp_deflator[0], "price_year": gdp_deflator[1]}
    estimate = cost.estimate_cost_of_area_violence(
        {label: annualised}, mix, unit_costs, area_name=area.name, **deflator
    )
    split = estimate.splits[label]
    result = {
        "available": True,
        "price_year": estimate.price_year,
        "period": label,
        "months_with_data": len(latest_months),
        "vso_count_annualised": annualised,
        "area_estimate": {
            "low": estimate.total_low_gbp,
            "central": estimate.total_central_gbp,
            "high": estimate.total_high_gbp,
            "price_year": estimate.price_year,
            "method": split.method,
        },
        "split": _frame_records(split.components),
        "mix_editions": split.editions,
        "unit_cost_status": estimate.unit_cost_status,
        "not_costed": estimate.not_costed,
        "sexual_offences_cost_range": estimate.sexual_offences_cost_range,
        "assumptions": estimate.assumptions,
        "unit_costs": _frame_records(unit_costs[["offence_group", "unit_cost_gbp", "price_year", "status", "source"]]),
    }
    if area.pfa_name == cost.HEADLINE_PFA:
        check = cost.reproduce_headline(recorded, unit_costs)
        result["headline_check"] = {
            "claim": cost.HEADLINE_CLAIM,
            "period": {"from": check.start, "to": check.end, "months": check.months},
            "counts": _frame_records(check.counts),
            "cost_gbp": check.cost.total_gbp,
            "cost_low_gbp": check.cost_low_gbp,
            "cost_high_gbp": check.cost_high_gbp,
            "published_gbp": check.published_gbp,
            "difference_gbp": check.difference_gbp,
            "difference_percent": check.difference_pct,
            "price_year": check.price_year,
            "assumptions": check.assumptions,
        }
    return result
