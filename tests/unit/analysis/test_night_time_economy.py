"""Night-time economy comparison on a tiny hand-made frame with known answers."""

import pandas as pd
import pytest

from vru.analysis.night_time_economy import compare_with_premises


def test_rate_ratio_with_and_without_premises():
    lsoa = pd.DataFrame(
        {
            "lsoa21_code": ["A", "B", "C", "D"],
            "count": [30, 10, 10, 10],
            "population": [1000.0, 1000.0, 1000.0, 1000.0],
            "premises": [3, 1, 0, 0],
            "area_km2": [1.0, 1.0, 2.0, 2.0],
        }
    )
    result = compare_with_premises(lsoa, months_with_data=12)
    assert (result["lsoas_with_premises"], result["lsoas_without_premises"], result["premises"]) == (2, 2, 4)
    # (30 + 10) / 2,000 against (10 + 10) / 2,000; but one of the two LSOAs with premises holds most of it.
    ratio = result["rate_ratio_with_vs_without"]
    assert ratio["ratio"] == pytest.approx(2.0, rel=1e-3)
    assert ratio["lower"] < 1 < ratio["upper"] and not ratio["significant"]  # the exact test said p < 0.02
    assert ratio["rate_a"] == pytest.approx(40 / 2000 * 1000)
    assert result["spearman_density_vs_rate"]["n"] == 4


def test_rates_are_per_person_year():
    lsoa = pd.DataFrame(
        {
            "lsoa21_code": ["A", "B", "C", "D"],
            "count": [24, 24, 12, 12],
            "population": [1000.0] * 4,
            "premises": [1, 1, 0, 0],
            "area_km2": [1.0] * 4,
        }
    )
    ratio = compare_with_premises(lsoa, months_with_data=24)["rate_ratio_with_vs_without"]
    assert ratio["rate_a"] == pytest.approx(12.0) and ratio["rate_b"] == pytest.approx(6.0)  # a year per 1,000
    assert ratio["ratio"] == pytest.approx(2.0) and ratio["significant"]


def test_no_ratio_when_every_lsoa_has_premises():
    lsoa = pd.DataFrame(
        {"lsoa21_code": ["A", "B"], "count": [1, 2], "population": [10.0, 10.0], "premises": [1, 1], "area_km2": [1, 1]}
    )
    assert "rate_ratio_with_vs_without" not in compare_with_premises(lsoa, 12)
