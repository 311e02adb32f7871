"""The whole-force bundle (Avon and Somerset, real files in ../shared/data) against the raw files."""

import csv
import gzip
from collections import Counter

import pytest

from vru.assessment import assess
from vru.bundle import read_bundle
from vru.profiles import get_profile
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.partner import load_partner_tables
from vru.warehouse.reference import load_reference

pytestmark = pytest.mark.shared_data
FORCE = "E23000036"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, shared_data, street_files):
    path = tmp_path_factory.mktemp("force") / "warehouse.duckdb"
    con = connect(path)
    load_reference(con, [shared_data / "geography", shared_data / "deprivation", shared_data / "population"])
    load_partner_tables(con, [shared_data / "recorded_crime" / "ons_pfa_tables"])
    ingest(con, street_files)
    out = tmp_path_factory.mktemp("bundle")
    assess(con, FORCE, "2023-01", "2025-04", get_profile(), out, permutations=99)
    return read_bundle(out)


@pytest.fixture(scope="module")
def summary(bundle):
    return bundle.summary


def test_force_monthly_counts_equal_the_raw_files(bundle, street_files):
    raw = Counter()
    for path in street_files:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                raw[(row["Month"], row["Crime type"])] += 1
    bundle = Counter(
        {
            (row["month"], row["category"]): row["count"]
            for row in bundle.records("monthly")
            if row["count"] and not row["category"].startswith("profile:")
        }
    )
    assert bundle == raw
    assert sum(raw.values()) == 387_015


def test_force_comparison_ranks_every_partnership(bundle, summary):
    comparison = summary["comparison"]
    assert comparison["complete"] is True
    partnerships = [row for row in bundle.records("comparison") if row["level"] == "csp"]
    assert len(partnerships) == comparison["partnerships_in_force"] == 5
    assert sorted(row["rank"] for row in partnerships) == [1, 2, 3, 4, 5]


def test_the_headline_cost_check_is_reported(summary):
    check = summary["cost"]["headline_check"]
    assert check["published_gbp"] == 765_000_000
    assert abs(check["difference_percent"]) < 10
