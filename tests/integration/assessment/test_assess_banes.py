"""The B&NES assessment bundle from the demo extract, checked against independent computations."""

import csv
import gzip
import json
import re
from collections import Counter
from pathlib import Path

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from libpysal.graph import Graph

from vru.assessment import assess
from vru.bundle import SCHEMA_VERSION, TABLES
from vru.bundle.schema import bundle_files
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


@pytest.fixture(scope="module")
def monthly(bundle) -> list[dict]:
    return pd.read_parquet(bundle / "monthly.parquet").to_dict("records")


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
    assert summary["schema_version"] == SCHEMA_VERSION
    assert summary["profile"]["cannot_separate"]


def test_monthly_counts_equal_the_raw_files(monthly, demo_data):
    raw = raw_counts(demo_data)
    bundle_counts = Counter({(row["month"], row["category"]): row["count"] for row in monthly if row["count"]})
    profile = get_profile()
    for (month, category), count in list(bundle_counts.items()):
        if category.startswith("profile:"):
            expected = sum(raw[(month, name)] for name in profile.police_uk_categories)
            assert count == expected, month
            del bundle_counts[(month, category)]
    assert bundle_counts == raw


def test_every_month_lists_every_category_even_at_zero(monthly):
    months = {row["month"] for row in monthly}
    per_month = Counter(row["month"] for row in monthly)
    assert len(months) == 26
    assert len(set(per_month.values())) == 1


def test_lsoa_table_conserves_the_profile_count(bundle, monthly):
    lsoa = pd.read_parquet(bundle / "lsoa.parquet")
    assert len(lsoa) == 118
    profile_total = sum(row["count"] for row in monthly if row["category"].startswith("profile:"))
    assert lsoa["count"].sum() == profile_total
    year_columns = [column for column in lsoa.columns if column.startswith("count_")]
    assert (lsoa[year_columns].sum(axis=1) == lsoa["count"]).all()


def test_ward_by_category_equals_an_independent_count_of_the_raw_files(bundle, demo_data):
    """The ward profiles' breakdown: DuckDB over the police.uk CSVs and the ONS LSOA 2021 -> ward lookup. Files
    from 2024 give LSOA 2021 codes, matched exactly; 2023's give 2011 codes, which the warehouse maps to 2021
    (by location where an LSOA split), so for 2023 the check is that each ward's rows sum to its ward count."""
    import duckdb

    table = pd.read_parquet(bundle / "ward_category.parquet")
    ward = pd.read_parquet(bundle / "ward.parquet")
    categories = sorted(get_profile().police_uk_categories)
    assert sorted(table["category"].unique()) == categories
    assert len(table) == len(ward) * len(categories) * 3  # every ward, category and year, zeros included
    assert table.groupby("ward_code")["count"].sum().to_dict() == dict(
        zip(ward["ward_code"], ward["count"], strict=True)
    )
    assert (table["count_suppressed"] == table["count"].between(1, 4)).all()

    street = str(demo_data / "police_uk" / "street" / "*.csv.gz")
    lookup = str(demo_data / "geography" / "lookup_lsoa21_ward24_ltla24_banes.csv.gz")
    independent = (
        duckdb.connect()
        .execute(
            f"""
        SELECT l.ward24_code AS ward_code, s."Crime type" AS category, substr(s."Month", 1, 4) AS year,
               count(*) AS expected
        FROM read_csv('{street}', union_by_name = true, all_varchar = true) AS s
        JOIN read_csv('{lookup}', all_varchar = true) AS l ON l.lsoa21_code = s."LSOA code"
        WHERE s."Month" BETWEEN '2024-01' AND '2025-04' AND s."Crime type" IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY ALL
        """,
            [categories],
        )
        .df()
    )
    recent = table[table["year"].isin(["2024", "2025"])].merge(
        independent, on=["ward_code", "category", "year"], how="left"
    )
    assert recent["expected"].notna().sum() > 100
    assert (recent["count"] == recent["expected"].fillna(0).astype(int)).all()


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


def test_findings_carry_their_figures_and_only_claim_significant_change(summary, monthly):
    findings = {finding["id"]: finding for finding in summary["findings"]}
    assert {"volume", "trend", "latest-12", "concentration", "hotspots"} <= set(findings)
    trend = summary["trend"]
    if "rising" in findings["trend"]["text"] or "falling" in findings["trend"]["text"]:
        assert trend["annual_change_lower"] > 0 or trend["annual_change_upper"] < 0
    assert findings["volume"]["figure"] == sum(
        row["count"] for row in monthly if row["category"].startswith("profile:")
    )
    assert findings["volume"]["figure_text"] == f"{findings['volume']['figure']:,} crimes in the profile"


def test_each_table_is_written_once(bundle, summary):
    assert sorted(path.name for path in bundle.iterdir()) == sorted(bundle_files())
    assert "monthly" not in summary
    assert "table" not in summary["comparison"]
    assert pd.read_parquet(bundle / "comparison.parquet").columns.tolist() == list(TABLES["comparison"].required)


def test_the_bundle_carries_its_verdicts(bundle, summary):
    backtest = summary["backtest"]
    inside = sum(row["actual"] >= row["lower"] and row["actual"] <= row["upper"] for row in backtest["rows"])
    assert backtest["reliable"] is (inside / len(backtest["rows"]) >= 0.8)
    forecast = next(finding for finding in summary["findings"] if finding["id"] == "forecast")
    assert ("not reliable" in forecast["text"]) is not backtest["reliable"]
    moran = summary["where"]["global_moran"]
    assert moran["significant"] is (moran["p_sim"] <= 0.05)
    if moran["significant"]:
        assert moran["pattern"] == ("clustered" if moran["I"] > moran["expected_I"] else "dispersed")
    else:
        assert moran["pattern"] == "no significant clustering"
    # Small-number verdicts, against the rule worked out here: a count of 1 to 4 is suppressed, zero is not.
    for name in ("lsoa", "ward", "locations", "outcomes"):
        table = pd.read_parquet(bundle / f"{name}.parquet")
        assert (table["count_suppressed"] == ((table["count"] > 0) & (table["count"] < 5))).all(), name
    trend = next(finding for finding in summary["findings"] if finding["id"] == "trend")
    assert not re.search(r"\de-\d", trend["test"]) and "_" not in trend["test"]  # no 2.478e-14, no identifiers


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


def test_a_failed_write_leaves_the_previous_bundle_whole(bundle, tmp_path, monkeypatch):
    """`vru assess` writes beside --out and renames: a failure part-way (here a full disk while writing the
    boundaries, simulated) leaves the bundle that was there, and no temporary folder."""
    import errno

    from vru.bundle import read_bundle, write_bundle

    written = read_bundle(bundle)
    out = tmp_path / "bundle"
    layers = {layer: written.boundary_frame(layer, "EPSG:4326") for layer in written.boundaries}
    write_bundle(out, written.summary, written.tables, layers)
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", disk_full)
    changed = {**written.summary, "generated_at": "2030-01-01T00:00:00Z"}
    with pytest.raises(OSError, match="No space left"):
        write_bundle(out, changed, written.tables, layers)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bundle"]


def test_assess_refuses_an_out_that_is_a_file_and_reversed_months(demo_warehouse, tmp_path):
    from typer.testing import CliRunner

    from vru.cli import app

    runner = CliRunner()
    a_file = tmp_path / "bundle.txt"
    a_file.write_text("not a folder")
    base = ["assess", "--area", BANES, "--warehouse", str(demo_warehouse)]
    result = runner.invoke(app, [*base, "--from", "2023-01", "--to", "2025-04", "--out", str(a_file)])
    assert result.exit_code == 2 and "isafile,notafolder" in "".join(result.output.split())
    assert a_file.read_text() == "not a folder"
    result = runner.invoke(app, [*base, "--from", "2025-04", "--to", "2023-01", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "--from2025-04isafter--to2023-01" in "".join(result.output.split())
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()
