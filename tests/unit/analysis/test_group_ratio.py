"""The LSOA-level rate ratio on hand-made LSOAs with known answers."""

import math

import numpy as np
import pytest

from vru.analysis.group_ratio import lsoa_rate_ratio
from vru.analysis.rates import rate_ratio


def test_equal_lsoas_give_the_pooled_ratio_and_the_poisson_interval():
    # Every LSOA in a group is alike: no over-dispersion, so the fit is Poisson and the ratio of group means.
    result = lsoa_rate_ratio([20, 20, 20, 20], [1000] * 4, [10, 10, 10, 10], [1000] * 4)
    assert result.family == "poisson"
    assert result.ratio == pytest.approx(2.0)
    half_width = 1.959964 * math.sqrt(1 / 80 + 1 / 40)
    assert (result.lower, result.upper) == pytest.approx((2 * math.exp(-half_width), 2 * math.exp(half_width)))
    assert result.significant
    assert result.rate_a == pytest.approx(80 / 4000 * 1000)


def test_one_busy_lsoa_is_not_a_difference_between_groups():
    # 200 crimes in one LSOA of group a, none in its other three; group b has 25 in each. Pooled, a's rate
    # is twice b's and the crime-level exact test calls that certain; LSOA by LSOA it is one extreme place.
    exact = rate_ratio(200, 4000, 100, 4000)
    assert exact.lower > 1.5  # what the report said before: "significantly higher"
    result = lsoa_rate_ratio([200, 0, 0, 0], [1000] * 4, [25, 25, 25, 25], [1000] * 4)
    assert result.family in {"negative_binomial", "quasi_poisson"}
    assert result.ratio == pytest.approx(2.0, rel=1e-3)
    assert result.lower < 1 < result.upper
    assert not result.significant


def test_person_years_offset_makes_unequal_lsoas_comparable():
    # Group a's LSOAs have twice the residents of b's and twice the crimes: the same rate.
    result = lsoa_rate_ratio([40, 42, 38], [2000] * 3, [20, 21, 19], [1000] * 3)
    assert result.ratio == pytest.approx(1.0)
    assert not result.significant


def test_no_incidents_in_a_group_gives_no_ratio_with_a_reason():
    result = lsoa_rate_ratio([0, 0, 0], [1000] * 3, [5, 6, 7], [1000] * 3)
    assert result.ratio is None and not result.significant
    assert "no incidents" in result.note
    assert result.to_dict()["ratio"] is None


def test_bad_counts_are_refused():
    with pytest.raises(ValueError, match="whole numbers"):
        lsoa_rate_ratio([1.5, 2], [1, 1], [1, 2], [1, 1])
    with pytest.raises(ValueError, match="same length"):
        lsoa_rate_ratio(np.array([1, 2]), [1], [1, 2], [1, 1])
