"""Partnership comparison and the area against the rest of its force, on hand-made LSOAs."""

import pandas as pd
import pytest

from vru.analysis.comparison import area_against_rest, compare_areas
from vru.analysis.rates import rate_ratio

LSOA = pd.DataFrame(
    {
        "lsoa21_code": ["a1", "a2", "a3", "b1", "b2", "b3"],
        "csp_code": ["A", "A", "A", "B", "B", "B"],
        "count": [20, 20, 20, 10, 10, 10],
        "population": [1000.0] * 6,
    }
)
AREAS = pd.DataFrame(
    {
        "code": ["A", "B", "F"],
        "name": ["Aton", "Beeton", "Force"],
        "level": ["csp", "csp", "pfa"],
        "count": [60, 30, 90],  # the force: the sum over its partnerships' LSOAs, like with like
        "population": [3000.0, 3000.0, 6000.0],
        "months": [24, 24, 24],
    }
)


def test_rates_are_per_person_year_and_the_force_is_not_ranked():
    table = compare_areas(AREAS, "A", LSOA).set_index("code")
    assert table.loc["A", "rate"] == pytest.approx(60 / (3000 * 2) * 1000)  # 10 a year per 1,000
    assert table.loc["B", "rank"] == 2 and table.loc["A", "rank"] == 1 and pd.isna(table.loc["F", "rank"])
    assert table.loc["B", "focus_ratio"] == pytest.approx(2.0)
    assert table.loc["B", "focus_ratio_significant"]


def test_the_area_is_compared_with_the_rest_of_the_force_not_a_total_containing_it():
    result = area_against_rest(LSOA, {"a1", "a2", "a3"}, 24)
    assert result["ratio"] == pytest.approx(2.0)  # 60 against the other 30, not against all 90
    assert result["count_b"] == 30 and result["lsoas_b"] == 3


def test_one_busy_lsoa_does_not_make_the_area_higher_than_the_rest():
    lsoa = LSOA.assign(count=[60, 0, 0, 10, 10, 10])
    assert rate_ratio(60, 3000, 30, 3000).lower > 1  # crime by crime: "significantly higher"
    result = area_against_rest(lsoa, {"a1", "a2", "a3"}, 24)
    assert result["ratio"] == pytest.approx(2.0, rel=1e-3) and not result["significant"]
