"""Minimum detectable change: hand-worked values, and the power the formula promises checked by simulation with
tests the formula does not use (an exact conditional binomial test for Poisson counts, Welch's t-test for
overdispersed ones). The simulated series are synthetic on purpose: power is a property of the method."""

import numpy as np
import pytest
from scipy import stats

from vru.analysis.detectable_change import minimum_detectable_change, months_to_detect

# Mean exactly 30, sample variance 26.1 (< the mean, so dispersion 1): a Poisson-like baseline of 24 months.
POISSON_BASELINE = [25, 35] * 12
# Mean 30, sample variance 60: dispersion exactly 2.
SPREAD = (60 * 23 / 24) ** 0.5
OVERDISPERSED_BASELINE = [30 - SPREAD, 30 + SPREAD] * 12
SIMULATIONS = 3000


def test_hand_worked_value():
    result = minimum_detectable_change(POISSON_BASELINE, months_after=12)
    z = 1.959964 + 0.841621
    assert result.baseline_mean == 30 and result.dispersion == 1
    assert result.smallest_change == pytest.approx(z * (30 * (1 / 24 + 1 / 12)) ** 0.5, rel=1e-5)
    assert result.smallest_change_fraction == pytest.approx(result.smallest_change / 30)
    assert result.never_below_fraction == pytest.approx(z * (30 / 24) ** 0.5 / 30, rel=1e-5)
    assert "18%" in result.describe("Robbery")
    assert minimum_detectable_change(OVERDISPERSED_BASELINE).dispersion == pytest.approx(2)


def test_poisson_power_matches_a_simulation():
    rng = np.random.default_rng(20261202)
    change = minimum_detectable_change(POISSON_BASELINE, months_after=12).smallest_change
    before = rng.poisson(30, size=(SIMULATIONS, 24)).sum(axis=1)
    after = rng.poisson(30 - change, size=(SIMULATIONS, 12)).sum(axis=1)
    # Given the total, the later count is binomial with p = 12/36 when nothing changed: the exact
    # equal-tailed two-sided test.
    total = before + after
    p_values = np.minimum(
        1, 2 * np.minimum(stats.binom.cdf(after, total, 12 / 36), stats.binom.sf(after - 1, total, 12 / 36))
    )
    assert np.mean(p_values < 0.05) == pytest.approx(0.8, abs=0.04)


def test_overdispersed_power_matches_a_simulation():
    rng = np.random.default_rng(7)
    change = minimum_detectable_change(OVERDISPERSED_BASELINE, months_after=12).smallest_change

    def negative_binomial(mean: float, months: int) -> np.ndarray:
        # variance = 2 × mean
        return rng.negative_binomial(mean, 0.5, size=(SIMULATIONS, months))

    before, after = negative_binomial(30, 24), negative_binomial(30 - change, 12)
    p_values = stats.ttest_ind(before, after, axis=1, equal_var=False).pvalue
    assert np.mean(p_values < 0.05) == pytest.approx(0.8, abs=0.05)


def test_months_to_detect_gives_the_promised_power_and_none_when_too_small():
    months = months_to_detect(POISSON_BASELINE, 0.2)
    # 0.2 × 30 = 6 a month: T = 1 / ((6 / z)² / 30 − 1/24) = 8.99, so nine months.
    assert months == 9
    assert minimum_detectable_change(POISSON_BASELINE, months_after=months).smallest_change_fraction <= 0.2
    assert minimum_detectable_change(POISSON_BASELINE, months_after=months - 1).smallest_change_fraction > 0.2
    # A 5% change is below the floor z √(λ/B) / λ = 10.2%: no wait is long enough.
    assert months_to_detect(POISSON_BASELINE, 0.05) is None
    assert months_to_detect(POISSON_BASELINE, 0) is None


def test_a_short_or_empty_baseline_is_refused():
    with pytest.raises(ValueError, match="at least 6 months"):
        minimum_detectable_change([3, 4, 5])
    with pytest.raises(ValueError, match="zero"):
        minimum_detectable_change([0] * 12)
    with pytest.raises(ValueError, match="zero or more"):
        minimum_detectable_change([1, 2, -3, 4, 5, 6])
