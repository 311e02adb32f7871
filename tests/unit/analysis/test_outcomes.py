"""The whole outcome distribution on hand-made counts, and on the real B&NES demo extract."""

import csv
import gzip
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

from vru.analysis.outcomes import outcome_distribution, outcome_group, outcome_shares

STREET = Path(__file__).resolve().parents[3] / "data" / "demo" / "police_uk" / "street"
PROFILE = ["Violence and sexual offences", "Robbery", "Possession of weapons"]


def test_every_group_with_its_share_and_exact_interval_largest_first():
    crimes = pd.DataFrame(
        {
            "year": ["2024"] * 4,
            "category": ["Robbery", "Robbery", "Violence and sexual offences", "Violence and sexual offences"],
            "outcome": [
                "Unable to prosecute suspect",
                "Status update unavailable",
                "Unable to prosecute suspect",
                "Investigation complete; no suspect identified",
            ],
            "count": [10, 30, 40, 20],
        }
    )
    result = outcome_distribution(outcome_shares(crimes), PROFILE, "2024")
    assert result["total"] == 100
    groups = {row["outcome_group"]: row for row in result["groups"]}
    assert [row["outcome_group"] for row in result["groups"]][:3] == [
        "unable to prosecute suspect",
        "status update unavailable",
        "no suspect identified",
    ]
    assert groups["unable to prosecute suspect"]["share"] == 0.5
    ci = stats.binomtest(50, 100).proportion_ci(0.95, method="exact")
    assert groups["unable to prosecute suspect"]["share_lower"] == pytest.approx(ci.low, abs=1e-4)
    assert "data-quality" in groups["status update unavailable"]["data_quality"]
    assert groups["under investigation"]["count"] == 0  # a headline group at zero is listed, not hidden


def test_real_banes_outcomes_2024_reproduce_the_raw_file():
    counts: Counter = Counter()
    for path in sorted(STREET.glob("2024-*-street.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            counts.update(
                (row["Crime type"], row["Last outcome category"])
                for row in csv.DictReader(handle)
                if row["Crime type"] in PROFILE
            )
    raw: Counter = Counter()
    for (_, outcome), n in counts.items():
        raw[outcome_group(outcome)] += n
    crimes = pd.DataFrame([{"year": "2024", "category": c, "outcome": o, "count": n} for (c, o), n in counts.items()])
    result = outcome_distribution(outcome_shares(crimes), PROFILE, "2024")
    assert {row["outcome_group"]: row["count"] for row in result["groups"] if row["count"]} == dict(raw)
    shares = {row["outcome_group"]: row["share"] for row in result["groups"]}
    # The story the issue names: about half unable to prosecute, a large 'status update unavailable' share.
    assert shares["unable to prosecute suspect"] > 0.4
    assert shares["status update unavailable"] > 0.15
