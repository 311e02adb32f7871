"""Difference in differences on hand-made panels with known answers; the estimate checked against a two-way
fixed-effects regression and the interval against scipy's Welch test, both computed independently here."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from vru.analysis.difference_in_differences import (
    ASSUMPTIONS,
    choose_comparison_areas,
    difference_in_differences,
)
from vru.months import month_range

MONTHS = month_range("2024-01", "2024-10")  # six before 2024-07, four from it


def panel(series: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"area": area, "month": month, "value": value}
            for area, values in series.items()
            for month, value in zip(MONTHS, values, strict=True)
        ]
    )


def test_a_clean_fall_of_three_is_found_exactly():
    data = panel(
        {
            "A": [10, 12, 10, 12, 10, 12, 7, 9, 7, 9],
            "B": [8, 10, 8, 10, 8, 10, 8, 10, 8, 10],
            "C": [6, 8, 6, 8, 6, 8, 6, 8, 6, 8],
        }
    )
    result = difference_in_differences(data, ["A"], ["B", "C"], "2024-07")
    # Treated minus comparison mean: 3 every month before, 0 after.
    assert result.effect == pytest.approx(-3)
    assert (result.lower, result.upper) == pytest.approx((-3, -3))
    assert result.treated_before == 11 and result.treated_after == 8
    assert result.comparison_before == 8 and result.comparison_after == 8
    assert result.relative_effect == pytest.approx(-3 / 11)
    assert not result.pre_trends_differ and not result.warnings
    assert result.assumptions == ASSUMPTIONS and any("Parallel trends" in a for a in result.assumptions)
    assert "3.0 fewer a month per area" in result.describe()


def test_estimate_matches_two_way_fixed_effects_and_interval_matches_welch():
    rng = np.random.default_rng(3)
    series = {area: list(rng.poisson(20, len(MONTHS)).astype(float)) for area in ["A", "B", "C", "D"]}
    data = panel(series)
    result = difference_in_differences(data, ["A", "B"], ["C", "D"], "2024-07")

    data["treated_after"] = (data["area"].isin(["A", "B"]) & (data["month"] >= "2024-07")).astype(float)
    fitted = smf.ols("value ~ treated_after + C(area) + C(month)", data=data).fit()
    assert result.effect == pytest.approx(fitted.params["treated_after"])

    wide = data.pivot(index="month", columns="area", values="value")
    difference = wide[["A", "B"]].mean(axis=1) - wide[["C", "D"]].mean(axis=1)
    after, before = difference[difference.index >= "2024-07"], difference[difference.index < "2024-07"]
    welch = stats.ttest_ind(after, before, equal_var=False).confidence_interval(0.95)
    assert (result.lower, result.upper) == pytest.approx((welch.low, welch.high))


def test_diverging_pre_trends_give_a_warning():
    data = panel(
        {
            "A": [10, 11, 12, 13, 14, 15, 14, 14, 14, 14],
            "B": [10, 10, 10, 10, 10, 10, 10, 10, 10, 10.5],
        }
    )
    result = difference_in_differences(data, ["A"], ["B"], "2024-07")
    assert result.pre_trends_differ
    assert result.pre_trend_slope == pytest.approx(1)
    assert "already moving apart" in result.describe()


def test_bad_panels_are_refused_with_a_reason():
    data = panel({"A": list(range(10)), "B": list(range(10))})
    with pytest.raises(ValueError, match="not balanced"):
        difference_in_differences(data.iloc[:-1], ["A"], ["B"], "2024-07")
    with pytest.raises(ValueError, match="both treated and comparison"):
        difference_in_differences(data, ["A"], ["A", "B"], "2024-07")
    with pytest.raises(ValueError, match="at least 6 months before"):
        difference_in_differences(data, ["A"], ["B"], "2024-04")
    with pytest.raises(ValueError, match="no rows"):
        difference_in_differences(data, ["A"], ["Z"], "2024-07")


def test_comparison_areas_are_the_most_similar_on_standardised_characteristics():
    characteristics = pd.DataFrame(
        {"deprivation": [30.0, 29.0, 10.0, 31.0, 50.0], "population": [1500, 1490, 3000, 1600, 1500]},
        index=["A", "B", "C", "D", "E"],
    )
    chosen = choose_comparison_areas(characteristics, ["A"], k=2)
    assert list(chosen["area"]) == ["B", "D"]
    assert list(chosen["rank"]) == [1, 2]
    # Standardised: deprivation sd 12.8, population sd 586.5, so B is 0.085 from A.
    sd = characteristics.std(ddof=0)
    expected = np.hypot(1 / sd["deprivation"], 10 / sd["population"])
    assert chosen["distance"].iloc[0] == pytest.approx(expected)
    assert "B" not in list(choose_comparison_areas(characteristics, ["A"], k=2, exclude=["B"])["area"])
    with pytest.raises(ValueError, match="only 1 candidate"):
        choose_comparison_areas(characteristics.loc[["A", "B"]], ["A"], k=2)
