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
    result = compare_with_premises(lsoa, years_of_data=1.0)
    assert (result["lsoas_with_premises"], result["lsoas_without_premises"], result["premises"]) == (2, 2, 4)
    # (30 + 10) / 2,000 against (10 + 10) / 2,000.
    assert result["rate_ratio_with_vs_without"]["ratio"] == pytest.approx(2.0)
    assert result["spearman_density_vs_rate"]["n"] == 4


def test_no_ratio_when_every_lsoa_has_premises():
    lsoa = pd.DataFrame(
        {"lsoa21_code": ["A", "B"], "count": [1, 2], "population": [10.0, 10.0], "premises": [1, 1], "area_km2": [1, 1]}
    )
    assert "rate_ratio_with_vs_without" not in compare_with_premises(lsoa, 1.0)
