"""The whole-force bundle (Avon and Somerset, real files in ../shared/data) against the raw files."""

import csv
import gzip
from collections import Counter

import pytest

from vru.assessment import assess
from vru.bundle import read_bundle
from vru.profiles import get_profile
from vru.warehouse import connect

pytestmark = pytest.mark.shared_data
FORCE = "E23000036"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, force_warehouse):
    con = connect(force_warehouse, read_only=True)
    out = tmp_path_factory.mktemp("bundle")
    try:
        assess(con, FORCE, "2023-01", "2025-04", get_profile(), out, permutations=99)
    finally:
        con.close()
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
