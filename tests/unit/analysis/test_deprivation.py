"""Rates by IMD decile, the quintile rate ratio and domain correlations on hand-made LSOA frames."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vru.analysis.deprivation import domain_correlations, quintile_rate_ratio, rate_by_decile, to_records
from vru.analysis.rates import rate_per

LSOAS = pd.DataFrame(
    {
        "lsoa21_code": ["E01000001", "E01000002", "E01000003", "E01000004"],
        "count": [10, 30, 5, 2],
        "population": [1000, 2000, 1000, 2000],
        "imd_decile": [1, 1, 5, 10],
    }
)


def test_rates_per_decile_by_hand():
    table = rate_by_decile(LSOAS, months_with_data=12).set_index("imd_decile")
    assert table.index.tolist() == list(range(1, 11))
    assert table.loc[1, ["lsoas", "count", "population"]].tolist() == [2, 40, 3000]
    assert table.loc[1, "rate_per_1000"] == pytest.approx(40 / 3000 * 1000)  # pooled, 13.33
    assert table.loc[5, "rate_per_1000"] == pytest.approx(5.0)
    assert table.loc[10, "rate_per_1000"] == pytest.approx(1.0)
    exact = rate_per(40, 3000, per=1000, confidence=0.95)
    assert (table.loc[1, "lower"], table.loc[1, "upper"]) == pytest.approx((exact.lower, exact.upper))


def test_decile_rates_are_per_person_year_whatever_the_months_counted():
    # 40 crimes in 26 months among 3,000 residents: 40 / (3,000 x 26 / 12) x 1,000 = 6.15 a year, not 13.3
    # (the count over residents alone, about 2.2 times too high while labelled "a year").
    table = rate_by_decile(LSOAS, months_with_data=26).set_index("imd_decile")
    assert table.loc[1, "rate_per_1000"] == pytest.approx(40 / (3000 * 26 / 12) * 1000)
    exact = rate_per(40, 3000 * 26 / 12, per=1000)
    assert (table.loc[1, "lower"], table.loc[1, "upper"]) == pytest.approx((exact.lower, exact.upper))
    ratio = quintile_rate_ratio(QUINTILES, months_with_data=26)
    assert ratio.rate_most_deprived == pytest.approx(80 / (2000 * 26 / 12) * 1000)


def test_a_decile_with_no_lsoas_is_listed_with_no_rate():
    table = rate_by_decile(LSOAS, months_with_data=12)
    records = {row["imd_decile"]: row for row in to_records(table)}
    assert records[2] == {
        "imd_decile": 2,
        "lsoas": 0,
        "count": 0,
        "population": 0,
        "rate_per_1000": None,
        "lower": None,
        "upper": None,
    }
    assert records[1]["rate_per_1000"] == 13.33
    json.dumps(records, allow_nan=False)


# Two LSOAs in each national quintile, alike within it (no over-dispersion): a Poisson fit, ratio 4.
QUINTILES = pd.DataFrame(
    {
        "lsoa21_code": ["E01000001", "E01000002", "E01000003", "E01000004", "E01000005"],
        "count": [40, 40, 7, 10, 10],
        "population": [1000, 1000, 1000, 1000, 1000],
        "imd_decile": [1, 2, 5, 9, 10],
    }
)


def test_quintile_rate_ratio_by_hand():
    result = quintile_rate_ratio(QUINTILES, months_with_data=12)
    assert result.ratio == pytest.approx(4.0)
    half_width = 1.959964 * math.sqrt(1 / 80 + 1 / 20)
    assert (result.lower, result.upper) == pytest.approx((4 * math.exp(-half_width), 4 * math.exp(half_width)))
    assert result.significant and result.family == "poisson" and result.reason is None
    assert (result.lsoas_most_deprived, result.lsoas_least_deprived) == (2, 2)
    exported = result.to_dict()
    json.dumps(exported, allow_nan=False)
    assert exported["ratio"] == 4.0 and exported["count_most_deprived"] == 80


def test_quintile_ratio_driven_by_one_lsoa_is_not_significant():
    # The same pooled ratio of 4, but all 80 crimes in one of the two most deprived LSOAs.
    result = quintile_rate_ratio(QUINTILES.assign(count=[80, 0, 7, 10, 10]), months_with_data=12)
    assert result.ratio == pytest.approx(4.0, rel=1e-3)
    assert result.lower < 1 < result.upper and not result.significant


def test_quintile_rate_ratio_without_a_least_deprived_quintile():
    result = quintile_rate_ratio(LSOAS[LSOAS["imd_decile"] != 10], months_with_data=12)
    assert result.ratio is None and result.lower is None
    assert "least deprived quintile" in result.reason
    assert result.to_dict()["reason"] == result.reason


def test_bad_frames_are_refused():
    with pytest.raises(ValueError, match="imd_decile"):
        rate_by_decile(months_with_data=12, lsoa=LSOAS.assign(imd_decile=[0, 1, 5, 10]))
    with pytest.raises(ValueError, match="duplicate"):
        rate_by_decile(pd.concat([LSOAS, LSOAS.head(1)]), months_with_data=12)
    with pytest.raises(ValueError, match="missing"):
        rate_by_decile(months_with_data=12, lsoa=LSOAS.assign(population=[1000, None, 1000, 2000]))


def test_domain_correlations():
    frame = pd.DataFrame(
        {
            "lsoa21_code": ["a", "b", "c", "d", "e"],
            "rate_per_1000": [1.0, 2.0, 3.0, 4.0, None],
            "income_score": [0.1, 0.2, 0.3, 0.9, 0.5],  # higher = more deprived: rho +1
            "income_rank": [400, 300, 200, 100, 250],  # 1 = most deprived: rho -1
            "crime_score": [1.0, 1.0, 1.0, 1.0, 2.0],  # constant where the rate is known
            "sparse_score": [1.0, None, None, 2.0, 3.0],  # only two pairs
        }
    )
    table = domain_correlations(frame).set_index("domain")
    assert table.index.tolist() == ["income_score", "income_rank", "crime_score", "sparse_score"]
    assert table.loc["income_score", "spearman_rho"] == pytest.approx(1.0)
    assert table.loc["income_rank", "spearman_rho"] == pytest.approx(-1.0)
    assert table.loc["income_score", "n"] == 4
    assert pd.isna(table.loc["crime_score", "spearman_rho"])
    assert pd.isna(table.loc["sparse_score", "spearman_rho"]) and table.loc["sparse_score", "n"] == 2
    assert to_records(table.reset_index())[2]["spearman_rho"] is None
    assert table["circular"].tolist() == [False, False, True, False]  # the Crime domain is built from crime
    records = to_records(domain_correlations(frame, domains=["income_score"]))
    json.dumps(records, allow_nan=False)
    assert records[0]["spearman_rho"] == 1.0 and records[0]["n"] == 4


@settings(max_examples=40, deadline=None)  # each example fits a count model
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 5000), st.integers(1, 10)), min_size=1, max_size=30))
def test_aggregation_by_decile_conserves_counts_and_population(rows):
    frame = pd.DataFrame(rows, columns=["count", "population", "imd_decile"])
    frame.insert(0, "lsoa21_code", [f"E01{i:06d}" for i in range(len(frame))])
    table = rate_by_decile(frame, months_with_data=12)
    assert len(table) == 10
    assert table["count"].sum() == frame["count"].sum()
    assert table["population"].sum() == frame["population"].sum()
    assert table["lsoas"].sum() == len(frame)
    has_rate = table["rate_per_1000"].notna()
    assert (has_rate == ((table["lsoas"] > 0) & (table["population"] > 0))).all()
    assert (table.loc[has_rate, "lower"] <= table.loc[has_rate, "rate_per_1000"] + 1e-9).all()
    assert (table.loc[has_rate, "rate_per_1000"] <= table.loc[has_rate, "upper"] + 1e-9).all()
    ratio = quintile_rate_ratio(frame, months_with_data=12)
    if ratio.reason is None and ratio.ratio is not None and math.isfinite(ratio.ratio):
        assert ratio.lower <= ratio.ratio <= ratio.upper
