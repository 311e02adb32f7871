"""Exact Poisson intervals, rates and rate ratios on tiny hand-made inputs with known answers."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from vru.analysis.rates import annual_rate, person_years, poisson_ci, rate_per, rate_ratio, rates_table

FAST = settings(max_examples=60, deadline=None)


def test_poisson_ci_of_zero_and_ten_match_the_published_values():
    assert tuple(round(x, 3) for x in poisson_ci(0)) == (0.0, 3.689)
    lower, upper = poisson_ci(10)
    assert round(lower, 3) == 4.795
    assert round(upper, 3) == 18.390


def test_poisson_ci_is_vectorised_and_keeps_nan():
    lower, upper = poisson_ci(np.array([0, 10, np.nan]))
    assert lower[:2] == pytest.approx([0.0, poisson_ci(10)[0]])
    assert upper[:2] == pytest.approx([poisson_ci(0)[1], poisson_ci(10)[1]])
    assert np.isnan(lower[2]) and np.isnan(upper[2])


def test_poisson_ci_refuses_negative_counts_and_bad_confidence():
    with pytest.raises(ValueError):
        poisson_ci(-1)
    with pytest.raises(ValueError):
        poisson_ci(3, confidence=1.0)


@FAST
@given(st.integers(min_value=1, max_value=2000), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_poisson_ci_bounds_are_the_exact_tail_solutions(k, confidence):
    # Independent check from the Poisson distribution itself: P(X >= k | lower) = P(X <= k | upper) = alpha/2.
    alpha = 1 - confidence
    lower, upper = poisson_ci(k, confidence)
    assert stats.poisson.sf(k - 1, lower) == pytest.approx(alpha / 2, rel=1e-6)
    assert stats.poisson.cdf(k, upper) == pytest.approx(alpha / 2, rel=1e-6)
    assert lower < k < upper


def test_rate_per_thousand_scales_the_count_interval():
    result = rate_per(10, 5000)
    lower, upper = poisson_ci(10)
    assert result.rate == pytest.approx(2.0)
    assert (result.lower, result.upper) == pytest.approx((lower / 5, upper / 5))
    assert result.per == 1000 and result.note == ""


@pytest.mark.parametrize("population", [0, None, float("nan"), -5])
def test_rate_per_without_a_usable_population_gives_no_rate_and_says_so(population):
    result = rate_per(3, population)
    assert result.rate is None and result.lower is None and result.upper is None
    assert "population" in result.note
    json.dumps(result.to_dict(), allow_nan=False)


@FAST
@given(
    st.integers(min_value=0, max_value=10_000),
    st.floats(min_value=1, max_value=1e7, allow_nan=False),
    st.sampled_from([1000, 100_000]),
)
def test_doubling_the_population_halves_the_rate_and_its_bounds(count, population, per):
    single, double = rate_per(count, population, per), rate_per(count, 2 * population, per)
    assert double.rate == pytest.approx(single.rate / 2)
    assert double.lower == pytest.approx(single.lower / 2, abs=1e-12)
    assert double.upper == pytest.approx(single.upper / 2)


@FAST
@given(st.integers(min_value=0, max_value=500), st.floats(min_value=1, max_value=1e6, allow_nan=False))
def test_equal_rates_give_a_ratio_of_one_inside_its_interval(count, population):
    result = rate_ratio(count, population, count, population)
    assert result.lower <= 1 <= result.upper
    assert result.p_value == pytest.approx(1.0)
    if count:
        assert result.ratio == pytest.approx(1.0)


def test_rate_ratio_matches_an_independent_binomial_computation():
    # 30 events in 1,000 person-years against 20 in 1,500: ratio (30/1000)/(20/1500) = 2.25.
    result = rate_ratio(30, 1000, 20, 1500)
    assert result.ratio == pytest.approx(2.25)
    pi0 = 1000 / 2500
    ci = stats.binomtest(30, 50, pi0).proportion_ci(0.95, method="exact")
    to_ratio = lambda pi: pi / (1 - pi) * 1500 / 1000  # noqa: E731
    assert result.lower == pytest.approx(to_ratio(ci.low))
    assert result.upper == pytest.approx(to_ratio(ci.high))
    # Two-sided exact p-value by hand: every outcome no more likely than the one observed.
    pmf = stats.binom.pmf(np.arange(51), 50, pi0)
    p_by_hand = pmf[pmf <= pmf[30] * (1 + 1e-7)].sum()
    assert result.p_value == pytest.approx(p_by_hand)
    assert result.lower < 2.25 < result.upper
    assert "exact" in result.method


@FAST
@given(
    st.integers(min_value=1, max_value=300),
    st.integers(min_value=1, max_value=300),
    st.floats(min_value=1, max_value=1e5, allow_nan=False),
    st.floats(min_value=1, max_value=1e5, allow_nan=False),
)
def test_swapping_the_sides_inverts_the_ratio_and_its_interval(a, b, pop_a, pop_b):
    forward, backward = rate_ratio(a, pop_a, b, pop_b), rate_ratio(b, pop_b, a, pop_a)
    assert forward.ratio == pytest.approx(1 / backward.ratio)
    assert forward.lower == pytest.approx(1 / backward.upper)
    assert forward.upper == pytest.approx(1 / backward.lower)
    assert forward.p_value == pytest.approx(backward.p_value)


def test_rate_ratio_handles_zeros():
    none_on_a = rate_ratio(0, 1000, 20, 1000)
    assert none_on_a.ratio == 0 and none_on_a.lower == 0 and 0 < none_on_a.upper < 1
    none_on_b = rate_ratio(5, 1000, 0, 1000)
    assert math.isinf(none_on_b.ratio) and math.isinf(none_on_b.upper) and none_on_b.lower > 0
    assert none_on_b.to_dict()["ratio"] is None and "infinite" in none_on_b.note
    neither = rate_ratio(0, 1000, 0, 1000)
    assert neither.ratio is None and neither.p_value == 1.0 and neither.lower == 0
    for result in (none_on_a, none_on_b, neither):
        json.dumps(result.to_dict(), allow_nan=False)


def test_rate_ratio_refuses_bad_input():
    with pytest.raises(ValueError):
        rate_ratio(3, 0, 4, 100)
    with pytest.raises(ValueError):
        rate_ratio(-1, 100, 4, 100)
    with pytest.raises(ValueError):
        rate_ratio(2.5, 100, 4, 100)


def test_rates_table_adds_rate_and_bounds_without_changing_the_input():
    frame = pd.DataFrame({"area": ["a", "b", "c"], "n": [10, 0, 4], "pop": [5000.0, 2000.0, 0.0]})
    before = frame.copy()
    out = rates_table(frame, "n", "pop", per=1000)
    pd.testing.assert_frame_equal(frame, before)
    assert out["rate"].tolist()[:2] == pytest.approx([2.0, 0.0])
    assert out.loc[0, "lower"] == pytest.approx(poisson_ci(10)[0] / 5)
    assert out.loc[1, "lower"] == 0 and out.loc[1, "upper"] == pytest.approx(poisson_ci(0)[1] / 2)
    assert out.loc[2, ["rate", "lower", "upper"]].isna().all()
    assert list(out.columns) == ["area", "n", "pop", "rate", "lower", "upper"]


def test_person_years_are_residents_times_months_with_data_over_12():
    assert person_years(1200, 26) == pytest.approx(2600.0)
    assert person_years([1000, 500], 6).tolist() == [500.0, 250.0]
    with pytest.raises(ValueError, match="positive"):
        person_years(1000, 0)


def test_annual_rate_over_26_months_is_per_person_year():
    # 260 crimes in 26 months among 1,000 residents: 120 a year per 1,000, not 260.
    result = annual_rate(260, 1000, 26)
    assert result.rate == pytest.approx(120.0)
    exact = rate_per(260, 1000 * 26 / 12)
    assert (result.lower, result.upper) == pytest.approx((exact.lower, exact.upper))
    table = rates_table(
        pd.DataFrame({"count": [260], "population": [1000]}), "count", "population", months_with_data=26
    )
    assert table.loc[0, "rate"] == pytest.approx(120.0)
