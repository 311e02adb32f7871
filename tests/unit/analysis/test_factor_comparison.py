"""vru.analysis.factor_comparison on tiny hand-made series with answers worked out by hand."""

import pandas as pd
import pytest

from vru.analysis.factor_comparison import compare_factor, flag_standouts, sign_test


def rows(series: dict[str, list[float | None]], start: int = 2016) -> pd.DataFrame:
    out = []
    for code, values in series.items():
        for offset, value in enumerate(values):
            out.append(
                {"area_code": code, "year": start + offset, "period": str(start + offset), "value": value,
                 "marker": "c" if value is None else None}
            )  # fmt: skip
    return pd.DataFrame(out)


def test_sign_test_counts_years_and_gives_the_exact_binomial_p_value():
    area = pd.Series([5, 6, 7, 8, 9, 10], index=range(6))
    england = pd.Series([1, 1, 1, 1, 1, 1], index=range(6))
    test = sign_test(area, england)
    assert (test.years, test.above, test.direction) == (6, 6, "higher")
    assert test.p_value == pytest.approx(2 * 0.5**6)


def test_ties_and_missing_years_are_left_out_never_counted_as_zero():
    area = pd.Series([5, None, 1, 8], index=range(4))
    england = pd.Series([1, 1, 1, 1], index=range(4))
    test = sign_test(area, england)
    assert (test.years, test.above) == (2, 2)  # year 1 missing (a marker), year 2 tied
    assert test.p_value == pytest.approx(0.5)


def test_a_factor_above_its_neighbours_every_year_stands_out_and_a_mixed_one_does_not():
    data = rows(
        {
            "A": [10, 11, 12, 13, 14, 15, 16],
            "ENG": [12, 12, 12, 12, 12, 12, 12],
            "N1": [5, 5, 5, 5, 5, 5, 5],
            "N2": [6, 6, 6, 6, 6, 6, 6],
            "N3": [7, 7, 7, 7, 7, 7, 7],
        }
    )
    high = compare_factor(data, "x", "A", "ENG", ["N1", "N2", "N3"], polarity="low is good")
    assert high.years["neighbour_median"].tolist() == [6.0] * 7
    assert (high.against_neighbours.years, high.against_neighbours.above) == (7, 7)
    # Against England: below in 2016-17, tied in 2018, above in 2019-22: 4 of 6 above.
    assert (high.against_england.years, high.against_england.above) == (6, 4)
    assert high.trend_tau == pytest.approx(1.0)
    mixed_data = rows({"A": [4, 8, 4, 8, 4, 8, 4], "ENG": [6] * 7, "N1": [6] * 7})
    mixed = compare_factor(mixed_data, "y", "A", "ENG", ["N1"])
    flag_standouts([high, mixed])
    # Benjamini-Hochberg over two: high's p = 2 * 0.5**7 = 0.015625 is the smaller, x 2 / 1 = 0.03125.
    assert high.adjusted_p_value == pytest.approx(0.03125)
    assert high.stands_out and high.worse is True and high.comparator == "statistical neighbours"
    assert not mixed.stands_out


def test_six_years_on_one_side_is_not_enough_once_many_factors_are_compared():
    six = rows({"A": [9] * 6, "ENG": [5] * 6})
    mixed = rows({"A": [4, 8, 4, 8, 4, 8], "ENG": [6] * 6})
    comparisons = [compare_factor(six, "six", "A", "ENG", [])] + [
        compare_factor(mixed, f"m{i}", "A", "ENG", []) for i in range(3)
    ]
    flag_standouts(comparisons)
    # p = 0.03125 for the first, 1.0 for the others; BH: 0.03125 x 4 / 1 = 0.125 > 0.05.
    assert comparisons[0].adjusted_p_value == pytest.approx(0.125)
    assert not any(c.stands_out for c in comparisons)
    assert comparisons[0].comparator == "England"
    alone = [compare_factor(six, "six", "A", "ENG", [])]
    assert flag_standouts(alone)[0].stands_out  # compared alone, 0.03125 <= 0.05
