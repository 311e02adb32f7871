"""The B&NES assessment bundle from the demo extract, checked against independent computations."""

import csv
import gzip
import json
from collections import Counter
from pathlib import Path

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from libpysal.graph import Graph

from vru.assessment import assess
from vru.profiles import get_profile
from vru.warehouse import connect

BANES = "E06000022"
OPEN_PUBS = "Open_Pubs_-_Bath__North_East_Somerset.csv"


def demo_data_path() -> Path:
    return Path(__file__).resolve().parents[3] / "data" / "demo"


@pytest.fixture(scope="module")
def bundle(demo_warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    con = connect(demo_warehouse, read_only=True)
    premises = demo_data_path() / "night_time_economy" / OPEN_PUBS
    assess(
        con,
        BANES,
        "2023-01",
        "2025-04",
        get_profile(),
        out,
        permutations=999,
        licensed_premises=premises,
        licensed_premises_as_of="2016-12",
    )
    return out


@pytest.fixture(scope="module")
def summary(bundle) -> dict:
    return json.loads((bundle / "summary.json").read_text())


def raw_counts(demo_data: Path) -> Counter:
    """(month, crime type) counts straight from the demo files with the csv module."""
    counts = Counter()
    for path in sorted((demo_data / "police_uk" / "street").glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["LSOA name"].startswith("Bath and North East Somerset"):
                    counts[(row["Month"], row["Crime type"])] += 1
    return counts


def test_summary_has_the_required_fields(summary):
    assert summary["area_code"] == BANES
    assert summary["period"] == {"from": "2023-01", "to": "2025-04", "months_expected": 28, "months_present": 26}
    assert summary["profile"]["name"] == "avon-and-somerset-vrp"
    assert summary["missing_months"] == ["2024-07", "2024-08"]
    assert summary["schema_version"] == 1
    assert summary["profile"]["cannot_separate"]


def test_monthly_counts_equal_the_raw_files(summary, demo_data):
    raw = raw_counts(demo_data)
    bundle_counts = Counter(
        {(row["month"], row["category"]): row["count"] for row in summary["monthly"] if row["count"]}
    )
    profile = get_profile()
    for (month, category), count in list(bundle_counts.items()):
        if category.startswith("profile:"):
            expected = sum(raw[(month, name)] for name in profile.police_uk_categories)
            assert count == expected, month
            del bundle_counts[(month, category)]
    assert bundle_counts == raw


def test_every_month_lists_every_category_even_at_zero(summary):
    months = {row["month"] for row in summary["monthly"]}
    per_month = Counter(row["month"] for row in summary["monthly"])
    assert len(months) == 26
    assert len(set(per_month.values())) == 1


def test_lsoa_table_conserves_the_profile_count(bundle, summary):
    lsoa = pd.read_parquet(bundle / "lsoa.parquet")
    assert len(lsoa) == 118
    profile_total = sum(row["count"] for row in summary["monthly"] if row["category"].startswith("profile:"))
    assert lsoa["count"].sum() == profile_total
    year_columns = [column for column in lsoa.columns if column.startswith("count_")]
    assert (lsoa[year_columns].sum(axis=1) == lsoa["count"]).all()


def test_gi_star_equals_esda_called_directly(bundle, demo_data):
    lsoa = pd.read_parquet(bundle / "lsoa.parquet").set_index("lsoa21_code")
    areas = gpd.read_file(demo_data / "geography" / "lsoa21_boundaries_banes.geojson").to_crs(27700)
    areas = areas.set_index("lsoa21_code").loc[lsoa.index]
    weights = Graph.build_contiguity(areas, rook=False).to_W()
    direct = esda.G_Local(lsoa["count"].astype(float).to_numpy(), weights, transform="B", star=True, permutations=0)
    assert np.allclose(lsoa["gi_z"].to_numpy(), direct.Zs, rtol=1e-9)


def test_rates_use_the_apportioned_population(summary, demo_data):
    path = demo_data / "population" / "population20_lsoa11_single_year_of_age_banes.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        total = sum(float(row["total_population"]) for row in csv.DictReader(handle))
    assert summary["population"]["total"] == pytest.approx(total)
    year = next(row for row in summary["volume"] if row["year"] == "2023")
    assert year["rate_per_1000"]["rate"] == pytest.approx(year["count"] / total * 1000, abs=0.001)


def test_findings_carry_their_figures_and_only_claim_significant_change(summary):
    findings = {finding["id"]: finding for finding in summary["findings"]}
    assert {"volume", "trend", "latest-12", "concentration", "hotspots"} <= set(findings)
    trend = summary["trend"]
    if "rising" in findings["trend"]["text"] or "falling" in findings["trend"]["text"]:
        assert trend["annual_change_lower"] > 0 or trend["annual_change_upper"] < 0
    assert findings["volume"]["figure"] == sum(
        row["count"] for row in summary["monthly"] if row["category"].startswith("profile:")
    )


def test_comparison_says_when_the_force_is_not_loaded(summary):
    comparison = summary["comparison"]
    assert comparison["complete"] is False
    assert comparison["partnerships_with_data"] == 1
    assert "comparison" not in {finding["id"] for finding in summary["findings"]}


def test_licensed_premises_are_counted_in_the_lsoa_that_contains_them(bundle, summary, demo_data):
    from shapely import Point
    from shapely.ops import unary_union

    areas = gpd.read_file(demo_data / "geography" / "lsoa21_boundaries_banes.geojson")
    outline = unary_union(list(areas.geometry))
    with open(demo_data / "night_time_economy" / OPEN_PUBS, encoding="utf-8", newline="") as handle:
        inside = sum(
            outline.contains(Point(float(row["longitude"]), float(row["latitude"]))) for row in csv.DictReader(handle)
        )
    lsoa = pd.read_parquet(bundle / "lsoa.parquet")
    assert lsoa["licensed_premises"].sum() == inside == summary["night_time_economy"]["premises"]
    assert summary["night_time_economy"]["as_of"] == "2016-12"
