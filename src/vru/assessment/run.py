"""Run the needs-assessment methods for an area and period and write the assessment bundle.

The orchestration: `vru.assessment.queries` pulls plain frames out of the warehouse, the pure functions in
`vru.analysis` compute the methods, and `vru.bundle.write_bundle` writes the bundle (docs/bundle.md) that the
report and the portal read and never recompute. The verdicts (significance, direction, reliability, small-number
suppression, the text of each finding) are decided here or in `vru.analysis`, once, and written into the bundle.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd

from vru import __version__
from vru.analysis import (
    comparison,
    concentration,
    cost,
    cost_claim,
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
from vru.assessment import partner_factors, partner_police, queries
from vru.assessment.queries import POPULATION_YEAR, Area, AssessmentError, Scope, resolve_area
from vru.assessment.statistics import statistical_sections
from vru.bundle import TABLES, check_destination, write_bundle
from vru.months import month_from_index, month_index, month_range
from vru.presentation.formatting import NOT_LOADED, NOT_PUBLISHED
from vru.profiles import Profile
from vru.sources.cost_claims import claims_for_force
from vru.sources.licensed_premises import read_open_pubs
from vru.sources.police_uk import CRIME_TYPES
from vru.sources.unit_costs import read_unit_costs
from vru.warehouse.partner import read_partner_recorded_crime
from vru.warehouse.reference import price_index

DEFAULT_UNIT_COSTS = Path(__file__).parent.parent / "reference_data" / "unit_costs_home_office_2018.csv"
VIOLENCE_AND_SEXUAL_OFFENCES = "Violence and sexual offences"
PER = 1000


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
    out_dir = Path(out_dir)
    check_destination(out_dir)
    if first_month > last_month:
        raise AssessmentError(f"--from {first_month} is after --to {last_month}: give the earlier month first")
    area = resolve_area(con, area_code)
    expected = month_range(first_month, last_month)
    present = queries.months_loaded(con, area.force, expected)
    if not present:
        raise AssessmentError(
            f"no police.uk street data loaded for {area.force} between {first_month} and {last_month}"
        )
    missing = [month for month in expected if month not in present]
    scope = Scope(area, first_month, last_month, list(profile.police_uk_categories))

    monthly = _monthly_table(con, scope, present, f"profile:{profile.name}")
    series = monthly[monthly["category"] == f"profile:{profile.name}"][["month", "count"]].reset_index(drop=True)

    population = queries.population(con, area.lsoas)
    population_total = float(population["population_total"].sum())
    population_10_24 = float(population["population_10_24"].sum())

    trend_result = trend.fit_trend(series, expected, population=population_total)
    latest_12 = trend.compare_latest_12(series, expected, dispersion=trend_result.dispersion)
    seasonal = trend.seasonal_profile(series)
    forecast_result = forecast.forecast(series, expected, horizon=6, seed=seed)
    try:
        backtest_result = forecast.backtest(series, expected, horizon=6, seed=seed).to_dict()
    except ValueError as too_short:  # fewer months than the hold-out: no test, so the forecast is not a guide
        backtest_result = {"available": False, "reason": str(too_short), "coverage": None, "mae": None, "rows": []}
    backtest_result["reliable"] = findings.forecast_reliable(backtest_result.get("coverage"))
    backtest_result["reliable_coverage"] = findings.RELIABLE_COVERAGE

    lsoa = _lsoa_table(con, scope, present)
    ward = _ward_table(lsoa, len(present))
    ward_category = _ward_category_table(con, scope, ward, present)
    areas = queries.boundaries(con, "lsoa21", area.lsoas)
    spatial = _spatial(areas, area, lsoa, present, permutations, seed)
    night_time_economy = _night_time_economy(
        areas, spatial["lsoa"], present, licensed_premises, licensed_premises_as_of
    )
    locations = queries.locations(con, scope)
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
    outcome_table = outcome_analysis.outcome_shares(queries.outcomes(con, scope))
    comparison_result, comparison_table = _comparison(con, scope, present)
    if gdp_deflator is None:  # current prices by default, from the GDP deflator loaded as reference data
        loaded = price_index(con, "YBGB")
        if not loaded.empty:
            uplift = prices.uplift(loaded, cost.BASE_PRICE_YEAR)
            gdp_deflator = (uplift.ratio, uplift.to_year)
    cost_result = _cost(con, area, monthly, present, unit_costs_path, gdp_deflator)
    volume = _volume(series, population_total)
    full_years = [row["year"] for row in volume if not row["partial_year"]]
    sections = statistical_sections(
        con,
        scope,
        present,
        monthly,
        areas,
        spatial["lsoa"],
        outcome_table,
        full_years,
        unit_costs_path or DEFAULT_UNIT_COSTS,
        permutations,
        seed,
        graph=spatial.get("graph"),
    )

    summary = {
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
        "missing_months_checked": _missing_months_checked(queries.availability(con, area.force, missing), missing),
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
            "headline": [r for c in scope.categories for r in outcome_analysis.headline_shares(outcome_table, c)],
        },
        "comparison": comparison_result,
        "cost": cost_result,
        "night_time_economy": night_time_economy,
        "sources": _sources(con, area),
        **sections,
    }
    summary["partner_factors"] = partner_factors.partner_factor_chapters(con, area.code)
    summary["partner_police"] = partner_police.partner_police_section(con, area, scope.categories)
    summary["findings"] = findings.key_findings(
        summary, profile_total=int(series["count"].sum()), comparison_rows=comparison_table.to_dict("records")
    ) + partner_factors.standout_findings(summary["partner_factors"])
    summary["priorities"] = priorities.priorities(summary)
    summary["method_changes"] = method_changes.method_changes(
        summary, dict(zip(series["month"], series["count"], strict=True))
    )
    summary = records.json_safe(summary, default_digits=6)

    write_bundle(
        out_dir,
        summary,
        tables={
            "monthly": monthly,
            "lsoa": spatial["lsoa"],
            "ward": ward,
            "ward_category": ward_category,
            "locations": locations.head(200),
            "lorenz": lorenz,
            "outcomes": outcome_table,
            "comparison": comparison_table,
        },
        boundaries={
            "lsoa21": areas,
            "ward": queries.boundaries(con, "ward", list(ward["ward_code"])),
            "lad": queries.boundaries(con, "lad", queries.local_authorities(con, area.lsoas)),
        },
    )
    return summary


def _missing_months_checked(checked: dict[str, dict], missing: list[str]) -> list[dict]:
    """Each missing month with what can be said of it: "not published by police.uk" only where a
    `vru fetch --check-available` run recorded that police.uk lacks it; otherwise "not in the loaded data"
    (police.uk may hold it, or it was published and not loaded)."""
    rows = []
    for month in missing:
        entry = checked.get(month)
        if entry is not None and not entry["published"]:
            rows.append(
                {"month": month, "status": NOT_PUBLISHED, "reason": entry["reason"], "checked_at": entry["checked_at"]}
            )
        else:
            reason = (
                "police.uk published it when checked; load it with vru ingest"
                if entry is not None
                else "not checked: run vru fetch --check-available for the month"
            )
            rows.append(
                {
                    "month": month,
                    "status": NOT_LOADED,
                    "reason": reason,
                    "checked_at": entry["checked_at"] if entry else None,
                }
            )
    return rows


def _monthly_table(con, scope: Scope, present: list[str], profile_label: str) -> pd.DataFrame:
    """Monthly counts for every category, and for the profile; months with data but no rows get zero."""
    by_month = queries.counts_by_month(con, scope)
    grid = pd.MultiIndex.from_product([present, sorted(CRIME_TYPES | set(by_month["category"]))])
    monthly = (
        by_month.set_index(["month", "category"])["count"]
        .reindex(grid, fill_value=0)
        .rename_axis(["month", "category"])
    ).reset_index()
    profile_monthly = (
        monthly[monthly["category"].isin(scope.categories)].groupby("month", as_index=False)["count"].sum()
    ).assign(category=profile_label)
    return pd.concat([monthly, profile_monthly[["month", "category", "count"]]], ignore_index=True)


def _volume(series: pd.DataFrame, population_total: float) -> list[dict]:
    """Yearly volume and rates (calendar years; partial years flagged with their months)."""
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
    return volume


def _lsoa_table(con, scope: Scope, present: list[str]) -> pd.DataFrame:
    """One row per LSOA of the area: names, ward, population, deprivation, profile counts (total and by
    year). LSOAs with no crime have count 0: concentration and hot-spot methods need every unit."""
    counts = queries.lsoa_counts_by_year(con, scope)
    base = queries.lsoa_reference(con, scope.area.lsoas)
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


def _ward_category_table(con, scope: Scope, ward: pd.DataFrame, present: list[str]) -> pd.DataFrame:
    """Profile crimes by ward, police.uk category and calendar year: every ward, category of the profile and
    year with data, zeros included (a category a ward never had is a 0, not a missing row). Each ward's counts
    sum to its count in the ward table."""
    counts = queries.ward_category_counts(con, scope)
    years = sorted({month[:4] for month in present})
    grid = pd.MultiIndex.from_product(
        [list(ward["ward_code"]), sorted(scope.categories), years], names=["ward_code", "category", "year"]
    )
    table = (
        counts.set_index(["ward_code", "category", "year"])["count"].reindex(grid, fill_value=0).astype(int)
    ).reset_index()
    table = table.merge(ward[["ward_code", "ward_name"]], on="ward_code")
    return table[["ward_code", "ward_name", "category", "year", "count"]]


def _spatial(
    areas: gpd.GeoDataFrame, area: Area, lsoa: pd.DataFrame, present: list[str], permutations: int, seed: int
) -> dict:
    """Gi* and Local Moran on LSOA rates for the whole period; Gi* per calendar year for persistence."""
    if len(areas) < len(area.lsoas):
        missing = sorted(set(area.lsoas) - set(areas["code"]))
        reason = (
            f"LSOA boundaries are not loaded for {len(missing)} of the area's {len(area.lsoas)} LSOAs "
            f"(e.g. {', '.join(missing[:3])}): hot spots and maps need them (vru reference with the boundaries)."
        )
        # The bundle's LSOA table keeps its columns: statistics not computed are empty, never invented.
        lsoa = lsoa.assign(
            gi_z=float("nan"),
            gi_p_fdr=float("nan"),
            hotspot="not computed",
            hotspot_confidence=pd.NA,
            local_moran_i=float("nan"),
            quadrant=None,
            moran_cluster="not computed",
            years_hot="",
            persistence="not computed",
        )
        return {"lsoa": lsoa, "summary": {"available": False, "reason": reason, "method": {}, "hot_spots": None}}
    graph = hotspots.queen_graph(areas)
    # Counts, not rates: LSOAs hold similar populations (about 1,500), and rates of the few with very
    # small residential populations (city centres) would swamp the statistic.
    counts = lsoa.set_index("lsoa21_code")["count"].astype(float)
    gi = hotspots.getis_ord_gi_star(counts, areas, permutations=permutations, seed=seed, graph=graph)
    moran = hotspots.local_moran(counts, areas, permutations=permutations, seed=seed, graph=graph)
    global_i = hotspots.global_moran(counts, areas, permutations=permutations, seed=seed, graph=graph)
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
        "global_moran": findings.with_global_moran_verdict(
            global_i if isinstance(global_i, dict) else global_i.to_dict()
        ),
        "moran_clusters": table["moran_cluster"].value_counts().to_dict(),
        "persistence": persistent["classification"].value_counts().to_dict(),
        "years": {year: {"months": months_in_year[year], "hot_spots": len(hot_by_year[year])} for year in years},
        "top_lsoas": table.sort_values(["count", "lsoa21_code"], ascending=[False, True])
        .head(10)[["lsoa21_code", "lsoa21_name", "ward_name", "count", "rate_per_1000", "hotspot", "persistence"]]
        .to_dict("records"),
    }
    return {"lsoa": table, "summary": summary, "graph": graph}


def _night_time_economy(
    areas: gpd.GeoDataFrame, lsoa: pd.DataFrame, present: list[str], path: Path | None, as_of: str | None
) -> dict:
    """Licensed premises per LSOA against violence (adds `licensed_premises` to the LSOA table)."""
    if path is None:
        return {"available": False, "reason": "No licensed premises list was given (vru assess --licensed-premises)."}
    premises = read_open_pubs(path)
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
    domains = queries.imd_domains(con, list(lsoa["lsoa21_code"]))
    wide = domains.pivot_table(index="lsoa21_code", columns="domain", values="score").add_suffix("_score")
    frame = lsoa.set_index("lsoa21_code")[["rate_per_1000"]].join(wide)
    result["imd2025_domain_correlations"] = deprivation.to_records(deprivation.domain_correlations(frame))
    result["caveat"] = (
        "Ecological: LSOA rates against area deprivation describe places, not the people involved; "
        "police.uk locations are snap points, and rates in LSOAs with few residents (city centres) are high."
    )
    return result


def _comparison(con, scope: Scope, present: list[str]) -> tuple[dict, pd.DataFrame]:
    """The profile's count, population and months for every partnership in the area's force, and the force:
    the summary's `comparison` entry and the comparison table (no rows unless the whole force is loaded).

    Like with like: the force's count is the sum over its partnerships' LSOAs (rows without a location
    belong to no partnership); the area is compared with the rest of the force LSOA by LSOA."""
    area = scope.area
    lsoa = queries.force_lsoa_counts(con, scope)
    rows = (
        lsoa.groupby(["csp_code", "csp_name"], as_index=False)
        .agg(count=("count", "sum"), population=("population", "sum"))
        .rename(columns={"csp_code": "code", "csp_name": "name"})
        .assign(level="csp")
    )
    partnerships = queries.partnerships(con, area.pfa_code)
    with_data = rows[(rows["count"] > 0) & (rows["population"] > 0)]
    result = {
        "partnerships_in_force": len(partnerships),
        "partnerships_with_data": len(with_data),
        "complete": len(with_data) == len(partnerships),
    }
    if not result["complete"]:
        absent = sorted({name for _, name in partnerships} - set(with_data["name"]))
        result["note"] = (
            f"The warehouse holds police.uk rows and reference data for {len(with_data)} of the {len(partnerships)} "
            f"partnerships in {area.pfa_name} (not {', '.join(absent)}): load the whole force's files and the "
            "reference data for every partnership to compare with them and with the force as a whole."
        )
        return result, pd.DataFrame(columns=list(TABLES["comparison"].required))
    distinct = lsoa.drop_duplicates("lsoa21_code")
    force_row = {
        "code": area.pfa_code,
        "name": area.pfa_name,
        "level": "pfa",
        "count": int(distinct["count"].sum()),
        "population": float(distinct["population"].sum()),
    }
    table = pd.concat([rows, pd.DataFrame([force_row])], ignore_index=True).assign(months=len(present))
    focus = area.code if area.level in ("csp", "pfa") else queries.partnership_of(con, area)
    if area.level != "pfa":
        result["area_against_rest"] = comparison.area_against_rest(distinct, set(area.lsoas), len(present), per=PER)
    result["note"] = (
        "Like with like: the force's count is the sum over its partnerships' LSOAs (rows without a location "
        "belong to no partnership and are in neither side); rates are per 1,000 residents a year over the "
        "months with data; the area is compared with the rest of the force, LSOA by LSOA."
    )
    return result, comparison.compare_areas(table, focus_code=focus, lsoa=lsoa, per=PER)


def _sources(con, area: Area) -> dict:
    return {
        "police_uk": queries.police_uk_files(con, area.force).to_dict("records"),
        "reference": queries.reference_files(con).to_dict("records"),
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
    force's published cost claim recomputed when reference data holds one. Needs `vru partner` tables loaded."""
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
    # A published claim about the force's cost of violence (reference data) is recomputed beside the estimate.
    for claim in claims_for_force(area.pfa_code):
        check = cost_claim.reproduce_claim(
            recorded,
            unit_costs,
            claim.pfa_name,
            claim.first_month,
            claim.last_month,
            groups=claim.offence_groups,
            published_gbp=claim.published_gbp,
        )
        result["headline_check"] = {
            "claim": claim.text,
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
