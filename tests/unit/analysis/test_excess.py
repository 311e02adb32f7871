"""Each LSOA's own excess over its expected count, on hand-made LSOAs with known answers."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from vru.analysis.excess import count_interval, own_excess, priority_places


def test_expected_counts_are_residents_times_the_area_rate_and_poisson_without_over_dispersion():
    counts = pd.Series({"a": 10, "b": 10, "c": 10, "d": 30})
    population = pd.Series({"a": 1000, "b": 1000, "c": 1000, "d": 1000})
    table = own_excess(counts, population).set_index("code")
    assert table["expected"].tolist() == pytest.approx([15.0] * 4)  # 60 crimes / 4,000 residents x 1,000
    # Independent: is this over-dispersed? Pearson = (3 x 25 + 225) / 15 / 3 = 6.7 > 1.5: negative binomial.
    assert "negative binomial" in table.attrs["distribution"]
    assert table.loc["d", "excess_ratio"] == pytest.approx(2.0)


def test_a_quiet_lsoa_beside_a_busy_one_is_not_high_on_its_own():
    # 20 LSOAs of 1,500 residents: a town centre with 200, a street beside it with 9, the rest 10 or 11.
    codes = [f"L{i:02d}" for i in range(20)]
    counts = pd.Series([200, 9] + [10, 11] * 9, index=codes)
    table = own_excess(counts, pd.Series(1500, index=codes)).set_index("code")
    expected = counts.sum() / 20
    assert table.loc["L01", "expected"] == pytest.approx(expected)
    assert not table.loc["L01", "high_on_its_own"]  # below the area average: never a priority
    assert table.loc["L00", "high_on_its_own"]
    # Independent p-values: negative binomial with the model's alpha, then Benjamini-Hochberg.
    nb_alpha = table.attrs["nb_alpha"]
    size = 1 / nb_alpha
    p = stats.nbinom.sf(counts.to_numpy() - 1, size, size / (size + expected))
    assert table["p_value"].to_numpy() == pytest.approx(p)
    assert table["p_fdr"].to_numpy() == pytest.approx(multipletests(p, method="fdr_bh")[1])
    places = priority_places(table.reset_index(), hot_spot_codes={"L00", "L01"})
    assert places["code"].tolist() == ["L00"] and places["in_hot_spot"].tolist() == [True]


def test_poisson_when_lsoas_vary_no_more_than_chance():
    codes = [f"L{i}" for i in range(6)]
    counts = pd.Series([10, 11, 9, 10, 10, 10], index=codes)
    table = own_excess(counts, pd.Series(1000, index=codes))
    assert table.attrs["distribution"].startswith("Poisson")
    assert table["p_value"].to_numpy() == pytest.approx(stats.poisson.sf(counts.to_numpy() - 1, 10.0))
    assert not table["high_on_its_own"].any()


def test_lsoas_without_residents_are_listed_not_tested():
    table = own_excess(pd.Series({"a": 5, "b": 7, "c": 3}), pd.Series({"a": 100, "b": 100, "c": 0}))
    assert table.attrs["untested"] == ["c"]
    assert np.isnan(table.set_index("code").loc["c", "p_value"])
    with pytest.raises(ValueError, match="non-negative"):
        own_excess(pd.Series({"a": -1, "b": 2}), pd.Series({"a": 1, "b": 1}))


def test_the_ratio_interval_inverts_the_same_test_and_is_exact_poisson_without_over_dispersion():
    # Poisson: 30 observed against 15 expected; Garwood's exact 95% limits for a count of 30 are 20.24 and 42.83
    # (chi-square quantiles, a textbook table value), so the ratio's are those over 15.
    codes = [f"L{i}" for i in range(6)]
    counts = pd.Series([10, 11, 9, 10, 10, 10], index=codes)
    table = own_excess(counts, pd.Series(1000, index=codes)).set_index("code")
    low, high = stats.chi2.ppf(0.025, 20) / 2, stats.chi2.ppf(0.975, 22) / 2
    assert table.loc["L0", "excess_lower"] == pytest.approx(low / 10)
    assert table.loc["L0", "excess_upper"] == pytest.approx(high / 10)
    assert count_interval(np.array([30.0]), None)[0][0] == pytest.approx(20.24, abs=0.01)
    assert count_interval(np.array([30.0]), None)[1][0] == pytest.approx(42.83, abs=0.01)
    # Negative binomial: at the interval's ends the observed count sits exactly in a 2.5% tail.
    codes = [f"L{i:02d}" for i in range(20)]
    counts = pd.Series([200, 9] + [10, 11] * 9, index=codes)
    table = own_excess(counts, pd.Series(1500, index=codes)).set_index("code")
    size = 1 / table.attrs["nb_alpha"]
    expected = table.loc["L00", "expected"]
    mu_low, mu_high = table.loc["L00", "excess_lower"] * expected, table.loc["L00", "excess_upper"] * expected
    assert stats.nbinom.sf(199, size, size / (size + mu_low)) == pytest.approx(0.025, rel=1e-6)
    assert stats.nbinom.cdf(200, size, size / (size + mu_high)) == pytest.approx(0.025, rel=1e-6)
    # Wider than Poisson's for the same count: the interval allows for over-dispersion.
    poisson_low, poisson_high = count_interval(np.array([200.0]), None)
    assert mu_low < poisson_low[0] and mu_high > poisson_high[0]
    # A count of 0: the lower end is 0.
    assert count_interval(np.array([0.0]), 0.5)[0][0] == 0.0
