"""The B&NES monitoring table from the demo extract: the whole-area series against a plain count of the raw
police.uk files, the baseline fixed where asked, and the Home Office measures listed as not loaded."""

import csv
import gzip
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from vru.monitoring import monitoring_table
from vru.warehouse import connect

BANES = "E06000022"


@pytest.fixture(scope="module")
def table(demo_warehouse):
    con = connect(demo_warehouse, read_only=True)
    try:
        return monitoring_table(con, BANES, "2023-01", "2025-04", "2024-06")
    finally:
        con.close()


def raw_monthly(demo_data: Path, crime_type: str) -> Counter:
    counts: Counter = Counter()
    for path in sorted((demo_data / "police_uk" / "street").glob("*-street.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["Crime type"] == crime_type and row["LSOA name"].startswith("Bath and North East Somerset"):
                    counts[row["Month"]] += 1
    return counts


@pytest.mark.parametrize("crime_type", ["Violence and sexual offences", "Robbery", "Possession of weapons"])
def test_whole_area_series_matches_the_raw_files(table, demo_data, crime_type):
    key = {"Violence and sexual offences": "violence-and-sexual-offences", "Robbery": "robbery"}.get(
        crime_type, "possession-of-weapons"
    )
    measure = next(m for m in table["measures"] if m["key"] == f"police-uk:{key}:area")
    expected = raw_monthly(demo_data, crime_type)
    assert {point["month"]: point["value"] for point in measure["series"]} == {
        month: float(expected.get(month, 0)) for month in table["months"]
    }


def test_baseline_is_fixed_at_the_strategy_start_and_limits_match_a_hand_computation(table):
    measure = next(m for m in table["measures"] if m["key"] == "police-uk:violence-and-sexual-offences:area")
    assert table["missing_months"] == ["2024-07", "2024-08"]
    assert measure["baseline_from"] == "2023-01" and measure["baseline_to"] == "2024-06"
    points = measure["chart"]["points"]
    assert sum(point["baseline"] for point in points) == 18 and len(points) == 26
    baseline = np.array([point["value"] for point in points[:18]])
    moving = np.abs(np.diff(baseline))
    moving = moving[moving < 3.267 * moving.mean()]
    assert points[-1]["mean"] == pytest.approx(baseline.mean(), abs=1e-3)
    assert points[-1]["upper_limit"] == pytest.approx(baseline.mean() + 2.66 * moving.mean(), abs=1e-3)
    detectable = measure["detectable"]
    assert detectable["baseline_mean"] == pytest.approx(baseline.mean(), abs=1e-3)
    assert "could be told from chance" in detectable["description"]


def test_places_and_missing_measures(table):
    priority = next(m for m in table["measures"] if m["key"] == "police-uk:robbery:priority-places")
    young = next(m for m in table["measures"] if m["key"] == "police-uk:robbery:young-people")
    # ceil(5% of B&NES's LSOAs) each, named.
    assert len(priority["places"]) == len(young["places"]) >= 1
    assert all(place["name"].startswith("Bath and North East Somerset") for place in priority["places"])
    missing = [m for m in table["measures"] if not m["available"]]
    assert {m["key"] for m in missing} == {
        "home-office:hospital-admissions-sharp-object",
        "home-office:knife-enabled-serious-violence",
        "home-office:homicide",
    }
    assert all("Not loaded yet" in m["missing_reason"] and m["series"] == [] for m in missing)


def test_evaluation_aid_on_kingsmead(demo_warehouse):
    from vru.evaluation import evaluation

    con = connect(demo_warehouse, read_only=True)
    try:
        result = evaluation(con, BANES, ["E05012471"], "2024-09", "2023-01", "2025-04", comparisons=5)
        lsoa_panel = con.execute(
            """
            SELECT strftime(month, '%Y-%m') AS month, a.ward_code, count(*) AS n FROM street_crime AS s
            JOIN ref_lsoa21_area AS a USING (lsoa21_code)
            WHERE crime_type = 'Violence and sexual offences' GROUP BY ALL
            """
        ).df()
    finally:
        con.close()
    assert [place["name"] for place in result["treated"]] == ["Kingsmead"]
    assert len(result["comparison"]) == 5 and "E05012471" not in {p["code"] for p in result["comparison"]}
    # The effect recomputed from a plain SQL count: mean (treated - comparison mean) after minus before.
    wide = lsoa_panel.pivot_table(index="month", columns="ward_code", values="n", fill_value=0)
    comparison = [place["code"] for place in result["comparison"]]
    difference = wide["E05012471"] - wide[comparison].mean(axis=1)
    expected = difference[difference.index >= "2024-09"].mean() - difference[difference.index < "2024-09"].mean()
    assert result["result"]["effect"] == pytest.approx(expected, abs=1e-3)
    assert result["result"]["lower"] < result["result"]["effect"] < result["result"]["upper"]
    # The monthly counts the portal shows: the same plain SQL count, month by month (a month not loaded is absent).
    assert [row["month"] for row in result["monthly"]] == result["months"]
    for row in result["monthly"]:
        counts = wide.loc[row["month"]] if row["month"] in wide.index else None
        assert row["treated_count"] == (0 if counts is None else int(counts["E05012471"]))
        assert row["comparison_count"] == (0 if counts is None else int(counts[comparison].sum()))
        assert row["comparison_mean"] == pytest.approx(row["comparison_count"] / 5, abs=1e-4)
    assert any("Parallel trends" in a for a in result["result"]["assumptions"])
    # Kingsmead (the city centre) is unlike every other ward: the result says so.
    assert any("No place in Bath and North East Somerset is much like" in w for w in result["warnings"])
