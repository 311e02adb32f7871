"""Trend, latest-12 comparison and seasonal profile on tiny hand-made series with known answers.

The series here are synthetic on purpose: they are method tests, generated in the test from a known
model (noiseless formulas, or Poisson / negative binomial draws with a fixed seed), so the right answer
is known. One test at the end runs on the real B&NES demo extract.
"""

import csv
import gzip
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from vru.analysis.trend import (
    SEASONAL_DUMMIES,
    SEASONAL_HARMONIC,
    SEASONAL_NONE,
    compare_latest_12,
    fit_trend,
    month_range,
    seasonal_pattern,
    seasonal_profile,
)

MONTHS_48 = month_range("2021-01", "2024-12")
STREET = Path(__file__).resolve().parents[3] / "data" / "demo" / "police_uk" / "street"


def series(months, counts, population=None):
    frame = pd.DataFrame({"month": list(months), "count": np.asarray(counts, dtype=int)})
    if population is not None:
        frame["population"] = np.asarray(population, dtype=float)
    return frame


def growth_counts(n=48, yearly=1.10, level=100):
    return np.round(level * yearly ** (np.arange(n) / 12)).astype(int)


def test_month_range_crosses_years():
    assert month_range("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert month_range("2024-02", "2024-01") == []
    with pytest.raises(ValueError):
        month_range("2024-13", "2025-01")


def test_noiseless_ten_percent_growth_is_recovered_and_rising():
    result = fit_trend(series(MONTHS_48, growth_counts()), MONTHS_48)
    assert result.annual_change_percent == pytest.approx(10.0, abs=0.2)
    assert result.annual_change_lower < 10 < result.annual_change_upper
    assert result.direction == "rising"
    assert result.family == "poisson"
    assert result.seasonal_method == SEASONAL_DUMMIES and result.n_parameters == 13
    assert result.months_used == 48 and result.missing_months == []
    json.dumps(result.to_dict(), allow_nan=False)


def test_poisson_draws_with_ten_percent_growth_are_rising_with_ten_inside_the_interval():
    rng = np.random.default_rng(20240601)
    counts = rng.poisson(100 * 1.10 ** (np.arange(48) / 12))
    result = fit_trend(series(MONTHS_48, counts), MONTHS_48)
    assert result.direction == "rising"
    assert result.annual_change_lower < 10 < result.annual_change_upper
    assert result.family == "poisson" and result.dispersion < 1.5


def test_noiseless_decline_is_falling():
    result = fit_trend(series(MONTHS_48, growth_counts(yearly=0.8)), MONTHS_48)
    assert result.annual_change_percent == pytest.approx(-20.0, abs=0.3)
    assert result.direction == "falling"


def test_flat_series_show_no_significant_change():
    flat = fit_trend(series(MONTHS_48, [100] * 48), MONTHS_48)
    assert flat.annual_change_percent == pytest.approx(0.0, abs=1e-6)
    assert flat.direction == "no significant change"
    draws = np.random.default_rng(7).poisson(100, 48)
    noisy = fit_trend(series(MONTHS_48, draws), MONTHS_48)
    assert noisy.direction == "no significant change"
    assert noisy.annual_change_lower < 0 < noisy.annual_change_upper


def test_missing_months_are_listed_not_filled_and_the_fit_still_runs():
    frame = series(MONTHS_48, growth_counts())
    frame = frame[~frame["month"].isin(["2023-07", "2023-08"])]
    result = fit_trend(frame, MONTHS_48)
    assert result.missing_months == ["2023-07", "2023-08"]
    assert result.months_used == 46
    assert result.direction == "rising"
    assert result.annual_change_percent == pytest.approx(10.0, abs=0.3)
    assert any("not filled" in note for note in result.notes)


def test_expected_months_default_to_the_calendar_range_of_the_rows():
    frame = series(MONTHS_48, growth_counts())
    frame = frame[frame["month"] != "2022-03"]
    assert fit_trend(frame).missing_months == ["2022-03"]


def test_rows_outside_the_expected_months_are_listed_and_not_used():
    frame = series(MONTHS_48, growth_counts())
    result = fit_trend(frame, MONTHS_48[12:])
    assert result.ignored_months == MONTHS_48[:12]
    assert result.months_used == 36 and result.first_month == "2022-01"


def test_overdispersed_draws_switch_to_negative_binomial():
    rng = np.random.default_rng(11)
    mean = 100.0
    counts = rng.negative_binomial(5, 5 / (5 + mean), 48)  # variance mean + mean^2 / 5 = 2,100
    result = fit_trend(series(MONTHS_48, counts), MONTHS_48)
    assert result.dispersion > 1.5
    assert result.family == "negative_binomial"
    assert result.alpha == pytest.approx(0.2, abs=0.15)
    assert result.direction == "no significant change"


def test_seasonal_terms_depend_on_the_months_observed():
    assert fit_trend(series(MONTHS_48[:20], growth_counts(20))).seasonal_method == SEASONAL_HARMONIC
    assert fit_trend(series(MONTHS_48[:20], growth_counts(20))).n_parameters == 4
    short = fit_trend(series(MONTHS_48[:8], growth_counts(8)))
    assert short.seasonal_method == SEASONAL_NONE and short.n_parameters == 2
    assert fit_trend(series(MONTHS_48, growth_counts()), seasonal=False).seasonal_method == SEASONAL_NONE


def test_seasonal_peak_is_found_by_the_model():
    t = np.arange(48)
    counts = np.round(200 * np.exp(0.3 * np.cos(2 * np.pi * (t - 6) / 12)))  # peak in July (t = 6)
    result = fit_trend(series(MONTHS_48, counts), MONTHS_48)
    assert result.seasonal_peak_month == 7
    assert result.seasonal_rate_ratios[6] == max(result.seasonal_rate_ratios)


def test_population_offset_turns_the_trend_into_a_rate_trend():
    population = 10_000 * 1.10 ** (np.arange(48) / 12)
    counts = np.round(population / 100)  # a constant rate of 1 per 100
    frame = series(MONTHS_48, counts, population)
    with_offset = fit_trend(frame, MONTHS_48)
    assert with_offset.offset.startswith("log(population)")
    assert with_offset.annual_change_percent == pytest.approx(0.0, abs=0.3)
    without = fit_trend(frame.drop(columns="population"), MONTHS_48)
    assert without.offset == "none"
    assert without.annual_change_percent == pytest.approx(10.0, abs=0.3)
    constant = fit_trend(frame.drop(columns="population"), MONTHS_48, population=50_000)
    assert constant.annual_change_percent == pytest.approx(without.annual_change_percent)


def test_bad_series_are_refused():
    with pytest.raises(ValueError, match="more than one row"):
        fit_trend(series(["2024-01", "2024-01", "2024-02"], [1, 2, 3]))
    with pytest.raises(ValueError, match="absent row"):
        fit_trend(pd.DataFrame({"month": ["2024-01", "2024-02", "2024-03"], "count": [1.0, None, 3.0]}))
    with pytest.raises(ValueError, match="at least 3"):
        fit_trend(series(["2024-01", "2024-02"], [1, 2]))


def test_a_series_without_events_reports_no_model():
    result = fit_trend(series(MONTHS_48[:12], [0] * 12))
    assert result.family == "none" and result.annual_change_percent is None
    assert result.direction == "no significant change"


def test_latest_12_against_previous_12_with_a_known_ratio():
    months = MONTHS_48[:24]
    result = compare_latest_12(series(months, [100] * 12 + [120] * 12), months)
    assert result.ratio == pytest.approx(1.2)
    assert result.percent_change == pytest.approx(20.0)
    assert result.ratio_lower < 1.2 < result.ratio_upper
    assert result.latest.count == 1440 and result.previous.count == 1200
    assert result.latest.first_month == "2022-01" and result.previous.last_month == "2021-12"
    assert result.comparable
    # Independent interval: exact binomial for 1440 of 2640 with equal exposure (12 months each side).
    ci = stats.binomtest(1440, 2640, 0.5).proportion_ci(0.95, method="exact")
    assert result.ratio_lower == pytest.approx(ci.low / (1 - ci.low))
    assert result.ratio_upper == pytest.approx(ci.high / (1 - ci.high))


def test_missing_months_reduce_months_present_and_can_make_the_sides_not_comparable():
    months = MONTHS_48[:24]
    frame = series(months, [100] * 12 + [120] * 12)
    one_gap = compare_latest_12(frame[frame["month"] != "2022-05"], months)
    assert one_gap.latest.months_present == 11 and one_gap.latest.missing_months == ["2022-05"]
    assert one_gap.ratio == pytest.approx(1.2) and one_gap.comparable
    gone = ["2022-03", "2022-04", "2022-05", "2022-06"]
    four_gaps = compare_latest_12(frame[~frame["month"].isin(gone)], months)
    assert four_gaps.latest.months_present == 8 and four_gaps.latest.missing_months == gone
    assert not four_gaps.comparable and "fewer than 9" in four_gaps.reason
    assert four_gaps.ratio == pytest.approx(1.2)


def test_latest_12_compares_the_same_calendar_months_on_both_sides():
    # The previous year had a busy July and August (100 each, 10 otherwise); the latest year has no data for
    # July and August and 10 in every other month. Like with like the level is unchanged (ratio 1); averaging
    # each side over its own months present would say a 60% fall (10 against 25 a month).
    months = MONTHS_48[:24]
    counts = [100 if month[5:] in ("07", "08") else 10 for month in months]
    frame = series(months, counts)
    frame = frame[~frame["month"].isin(["2022-07", "2022-08"])]
    result = compare_latest_12(frame, months)
    assert result.ratio == pytest.approx(1.0)
    assert result.latest.months_present == result.previous.months_present == 10
    assert result.previous.unmatched_months == ["2021-07", "2021-08"]
    assert result.latest.missing_months == ["2022-07", "2022-08"]
    assert result.previous.count == 100 and result.latest.count == 100
    assert not (result.ratio_upper < 1)


def test_latest_12_interval_allows_for_over_dispersion():
    months = MONTHS_48[:24]
    frame = series(months, [100] * 12 + [120] * 12)
    exact = compare_latest_12(frame, months)
    wide = compare_latest_12(frame, months, dispersion=4.0)
    half_width = 1.959964 * np.sqrt(4.0 * (1 / 1440 + 1 / 1200))
    assert wide.ratio == pytest.approx(1.2)
    assert (wide.ratio_lower, wide.ratio_upper) == pytest.approx((1.2 * np.exp(-half_width), 1.2 * np.exp(half_width)))
    assert wide.ratio_lower < exact.ratio_lower and wide.ratio_upper > exact.ratio_upper
    assert "quasi-Poisson" in wide.method and wide.dispersion == 4.0
    # A dispersion below 1 never narrows the interval: the exact test is kept.
    assert compare_latest_12(frame, months, dispersion=0.5).ratio_lower == exact.ratio_lower


def test_latest_12_with_a_short_range_lists_the_previous_months_as_missing():
    months = MONTHS_48[:15]
    result = compare_latest_12(series(months, [10] * 15), months)
    assert result.previous.months_present == 3 and len(result.previous.missing_months) == 9
    assert not result.comparable


def test_seasonal_profile_means_over_observed_months_only():
    counts = [10 if m.endswith("-01") else 20 for m in MONTHS_48[:24]]
    frame = series(MONTHS_48[:24], counts)
    frame = frame[frame["month"] != "2022-06"]
    profile = seasonal_profile(frame)
    assert [p["month_of_year"] for p in profile] == list(range(1, 13))
    assert profile[0]["mean_count"] == 10.0 and profile[0]["months_observed"] == 2
    assert profile[0]["index"] == pytest.approx(10 / (230 / 12), abs=1e-4)  # mean of the 12 monthly means
    assert profile[5]["months_observed"] == 1 and profile[5]["mean_count"] == 20.0
    assert sum(p["index"] for p in profile) == pytest.approx(12.0, abs=1e-3)


def test_seasonal_profile_marks_unobserved_months_of_the_year():
    profile = seasonal_profile(series(MONTHS_48[:3], [1, 2, 3]))
    assert profile[3] == {"month_of_year": 4, "mean_count": None, "months_observed": 0, "index": None}


def violence_counts_from_the_demo_extract() -> Counter:
    files = sorted(STREET.glob("*-street.csv.gz"))
    assert files, f"the committed demo extract is missing from {STREET}"
    counts: Counter = Counter()
    for path in files:
        with gzip.open(path, "rt", newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["Crime type"] == "Violence and sexual offences":
                    counts[row["Month"]] += 1
    return counts


def test_real_banes_violence_and_sexual_offences():
    counts = violence_counts_from_the_demo_extract()
    frame = pd.DataFrame({"month": list(counts), "count": list(counts.values())})
    expected = month_range("2023-01", "2025-04")
    trend = fit_trend(frame, expected)
    assert trend.missing_months == ["2024-07", "2024-08"]
    assert trend.months_used == 26
    assert trend.annual_change_lower <= trend.annual_change_percent <= trend.annual_change_upper
    assert trend.direction in {"rising", "falling", "no significant change"}
    latest = compare_latest_12(frame, expected, dispersion=trend.dispersion)
    assert latest.latest.months_present == 10
    assert latest.latest.missing_months == ["2024-07", "2024-08"]
    # July and August 2023 have data but their 2024 counterparts do not: left out, like with like.
    assert latest.previous.months_present == 10
    assert latest.previous.unmatched_months == ["2023-07", "2023-08"]
    compared_previous = [m for m in month_range("2023-05", "2024-04") if m[5:] not in ("07", "08")]
    assert latest.previous.count == sum(counts[m] for m in compared_previous)
    assert latest.latest.count == sum(counts[m] for m in month_range("2024-05", "2025-04") if m in counts)
    assert latest.comparable
    json.dumps({"trend": trend.to_dict(), "latest": latest.to_dict()}, allow_nan=False)


def test_a_seasonal_low_resting_on_one_observation_is_not_a_pattern():
    # 2023-01 .. 2024-06 and 2024-09 .. 2025-04 (the B&NES months): July and August are seen once.
    months = month_range("2023-01", "2025-04")
    months = [m for m in months if m not in ("2024-07", "2024-08")]
    counts = [5 if m == "2023-08" else 50 for m in months]  # a one-off low in August
    pattern = seasonal_pattern(seasonal_profile(series(months, counts)))
    assert not pattern["reportable"] and pattern["low_month"] is None
    assert pattern["single_observation_months"] == [7, 8]
    assert "no seasonal pattern" in pattern["reason"]
    full = seasonal_pattern(seasonal_profile(series(MONTHS_48, [60 if m[5:] == "07" else 50 for m in MONTHS_48])))
    assert full["reportable"] and full["peak_month"] == 7
