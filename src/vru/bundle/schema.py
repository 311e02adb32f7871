"""The one definition of the assessment bundle (docs/bundle.md): its files, tables, required columns and schema
version. The writer (`vru assess`), the reader (`vru report`) and the portal (through portal.insights.bundle) all
take them from here, so a bundle one of them accepts the others accept too.

Plain data only: importing this module loads nothing heavy.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bump when a file, table, column or summary key is added, removed or changes meaning; a reader refuses any other
# version with a message that says to run `vru assess` again (docs/bundle.md, "Schema versions").
SCHEMA_VERSION = 7
SUMMARY_FILE = "summary.json"
# Optional: the public gap register, written into the bundle folder by the portal's `export_gap_register`
# (it holds what partners and staff added after `vru assess`), read by the report's gaps chapter.
GAP_REGISTER_FILE = "gaps.json"
GAP_REGISTER_SCHEMA = "vru-gap-register/1"
RERUN_HINT = "run `vru assess` again with this version of the toolkit to rewrite the bundle"


@dataclass(frozen=True)
class TableSpec:
    """A Parquet table of the bundle: `required` columns must be present (others may be added)."""

    name: str
    required: tuple[str, ...]
    description: str

    @property
    def filename(self) -> str:
        return f"{self.name}.parquet"


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "monthly",
            ("month", "category", "count"),
            "every police.uk category and the profile (`profile:<name>`), every month with data",
        ),
        TableSpec(
            "lsoa",
            (
                "lsoa21_code",
                "lsoa21_name",
                "ward_code",
                "ward_name",
                "lad_code",
                "lad_name",
                "population_total",
                "population_10_24",
                "imd2019_decile",
                "imd2025_decile",
                "count",
                "count_suppressed",
                "rate_per_1000",
                "rate_lower",
                "rate_upper",
                "rank",
                "gi_z",
                "gi_p_fdr",
                "hotspot",
                "hotspot_confidence",
                "local_moran_i",
                "quadrant",
                "moran_cluster",
                "years_hot",
                "persistence",
            ),
            "one row per LSOA 2021 of the area",
        ),
        TableSpec(
            "ward",
            (
                "ward_code",
                "ward_name",
                "lsoas",
                "count",
                "count_suppressed",
                "population_total",
                "rate_per_1000",
                "rate_lower",
                "rate_upper",
                "rank",
            ),
            "one row per ward (best fit of LSOAs)",
        ),
        TableSpec(
            "ward_category",
            ("ward_code", "ward_name", "category", "year", "count", "count_suppressed"),
            "crimes in the profile by ward, police.uk category and calendar year (zeros included)",
        ),
        TableSpec(
            "locations",
            ("location", "lsoa21_code", "longitude", "latitude", "count", "count_suppressed", "all_crime"),
            "the 200 snap points with the most crimes in the profile",
        ),
        TableSpec("lorenz", ("share_of_units", "share_of_incidents"), "Lorenz curve of profile counts over LSOAs"),
        TableSpec(
            "outcomes",
            ("year", "category", "outcome_group", "count", "count_suppressed", "total", "share"),
            "by year, category and outcome group",
        ),
        TableSpec(
            "comparison",
            (
                "code",
                "name",
                "level",
                "count",
                "months",
                "population",
                "annual_count",
                "rate",
                "lower",
                "upper",
                "rank",
                "is_focus",
                "focus_ratio",
                "focus_ratio_lower",
                "focus_ratio_upper",
            ),
            "partnerships of the force and the force (no rows when the warehouse does not hold the whole force)",
        ),
    )
}

# Outlines (WGS84 GeoJSON FeatureCollections with `code` and `name`); an empty collection when not loaded.
BOUNDARY_LAYERS: dict[str, str] = {
    "lsoa21": "boundaries_lsoa21.geojson",
    "ward": "boundaries_ward.geojson",
    "lad": "boundaries_lad.geojson",
}

REQUIRED_SUMMARY_KEYS = (
    "schema_version",
    "generated_at",
    "toolkit_version",
    "area_code",
    "area",
    "period",
    "profile",
    "missing_months",
    "population",
    "volume",
    "trend",
    "latest_12_months",
    "seasonal_profile",
    "forecast",
    "backtest",
    "where",
    "concentration",
    "deprivation",
    "outcomes",
    "comparison",
    "cost",
    "night_time_economy",
    "sources",
    "partner_factors",
    "partner_police",
    "findings",
    "change",
    "own_excess",
    "priority_places",
    "serious_share",
    "outcome_distribution",
    "cost_current",
    "national",
    "priorities",
    "method_changes",
)


def bundle_files() -> list[str]:
    """Every file a bundle holds, in the order docs/bundle.md lists them."""
    return [SUMMARY_FILE, *(spec.filename for spec in TABLES.values()), *BOUNDARY_LAYERS.values()]
