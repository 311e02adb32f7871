"""Monitoring on the real months in ../shared/data (the whole Avon and Somerset force): Bristol's measures
against a plain count of the raw police.uk files, and the B&NES chart from the full files equal to the one from
the demo extract (the extract holds B&NES's rows of the same files)."""

import csv
import gzip
from collections import Counter

import pytest

from vru.monitoring import monitoring_table
from vru.warehouse import connect

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def warehouse(force_warehouse):
    con = connect(force_warehouse, read_only=True)
    yield con
    con.close()


def test_bristol_measures_equal_the_raw_files(warehouse, street_files):
    table = monitoring_table(warehouse, "E06000023", "2023-01", "2025-04", "2024-06")
    raw = Counter()
    for path in street_files:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["LSOA name"].startswith("Bristol ") and row["Crime type"] in (
                    "Robbery",
                    "Possession of weapons",
                ):
                    raw[(row["Month"], row["Crime type"])] += 1
    for key, crime_type in (("robbery", "Robbery"), ("possession-of-weapons", "Possession of weapons")):
        measure = next(m for m in table["measures"] if m["key"] == f"police-uk:{key}:area")
        assert {p["month"]: p["value"] for p in measure["series"]} == {
            month: float(raw[(month, crime_type)]) for month in table["months"]
        }
    assert table["missing_months"] == ["2024-07", "2024-08"]
    assert all(m["chart"] for m in table["measures"] if m["available"])


def test_banes_from_the_full_files_equals_the_demo_extract(warehouse, demo_warehouse):
    demo = connect(demo_warehouse, read_only=True)
    full = monitoring_table(warehouse, "E06000022", "2023-01", "2025-04", "2024-06")
    extract = monitoring_table(demo, "E06000022", "2023-01", "2025-04", "2024-06")
    assert [m["series"] for m in full["measures"]] == [m["series"] for m in extract["measures"]]
