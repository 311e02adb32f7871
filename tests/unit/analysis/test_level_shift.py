"""Level shifts and the area's share of its force, on hand-made series with known answers, and on the
real Avon and Somerset files (B&NES against the rest of the force).

The hand-made series are synthetic on purpose (method tests with a known answer); the real-data test
counts the raw police.uk files with the csv module, independently of the warehouse.
"""

import csv
import gzip
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from vru.analysis.level_shift import (
    area_rest_ratio,
    attribute_change,
    find_level_shift,
    find_share_shift,
    same_months_by_year,
)
from vru.analysis.trend import fit_trend, month_range

MONTHS = month_range("2021-01", "2022-12")
PROFILE = {"Violence and sexual offences", "Robbery", "Possession of weapons"}


def series(counts, months=MONTHS):
    return pd.DataFrame({"month": list(months), "count": list(counts)})


def test_a_force_wide_step_is_named_as_such_not_as_a_rise():
    # Area and the rest of the force both step up 30% in January 2022 and stay there.
    area = series([100] * 12 + [130] * 12)
    rest = series([1000] * 12 + [1300] * 12)
    assert fit_trend(area, MONTHS, seasonal=False).direction == "rising"  # what the report used to say
    area_shift, rest_shift, share_shift = find_level_shift(area), find_level_shift(rest), find_share_shift(area, rest)
    assert area_shift.break_month == rest_shift.break_month == "2022-01"
    assert area_shift.ratio == pytest.approx(1.3) and area_shift.significant and area_shift.p_value <= 0.002
    assert not share_shift.significant
    verdict = attribute_change(area_shift, rest_shift, share_shift)
    assert verdict.verdict == "force-wide shift"
    assert verdict.direction != "rising"
    assert "force-wide shift" in verdict.text and "January 2022" in verdict.text


def test_a_step_of_the_area_alone_is_the_area_s_own_rise():
    area = series([100] * 12 + [150] * 12)
    rest = series([1000] * 24)
    share_shift = find_share_shift(area, rest)
    assert share_shift.significant and share_shift.break_month == "2022-01"
    assert share_shift.level_before == pytest.approx(100 / 1100)
    assert share_shift.level_after == pytest.approx(150 / 1150)
    verdict = attribute_change(find_level_shift(area), find_level_shift(rest), share_shift)
    assert verdict.verdict == "area's own rise" and verdict.direction == "rising"


def test_the_break_is_the_maximum_likelihood_month_and_the_ratio_its_levels():
    counts = [50] * 9 + [80] * 15
    shift = find_level_shift(series(counts))
    assert shift.break_month == "2021-10"
    assert (shift.months_before, shift.months_after) == (9, 15)
    assert (shift.level_before, shift.level_after) == (50, 80)
    # noiseless: no residual dispersion, the interval is Poisson's on 450 against 1,200
    half_width = 1.959964 * np.sqrt(1 / 450 + 1 / 1200)
    assert (shift.ratio_lower, shift.ratio_upper) == pytest.approx(
        (1.6 * np.exp(-half_width), 1.6 * np.exp(half_width))
    )
    assert shift.bic_shift < shift.bic_no_shift


def test_no_shift_in_poisson_noise_around_a_constant_level():
    rng = np.random.default_rng(7)
    shift = find_level_shift(series(rng.poisson(200, 24)))
    assert not shift.significant and shift.p_value > 0.05 and shift.direction == "none"
    verdict = attribute_change(shift, shift, find_share_shift(series([20] * 24), series([200] * 24)))
    assert verdict.verdict == "no level shift"


def test_over_dispersion_widens_the_null_so_noise_is_not_a_shift():
    # Negative binomial noise (alpha 0.05, so a variance 11 times the mean) around 200 a month.
    rng = np.random.default_rng(3)
    counts = rng.poisson(200 * rng.gamma(20, 1 / 20, 24))
    assert not find_level_shift(series(counts)).significant


def test_too_short_a_series_says_why():
    shift = find_level_shift(series([5] * 10, MONTHS[:10]))
    assert shift.break_month is None and not shift.significant and "at least 12" in shift.note
    verdict = attribute_change(
        shift, shift, find_share_shift(series([5] * 10, MONTHS[:10]), series([9] * 10, MONTHS[:10]))
    )
    assert verdict.verdict == "not tested" and "at least 12" in verdict.text


def test_area_rest_ratio_month_by_month():
    table = area_rest_ratio(series([10, 20], MONTHS[:2]), series([90, 80], MONTHS[:2]))
    assert table["share"].tolist() == pytest.approx([0.1, 0.2])
    assert table["ratio"].tolist() == pytest.approx([10 / 90, 20 / 80])


def test_same_months_by_year_uses_only_months_present_every_year():
    months = ["2023-01", "2023-02", "2023-07", "2024-01", "2024-02", "2025-01"]
    result = same_months_by_year(series([10, 20, 99, 13, 40, 12], months))
    assert result["months_of_year"] == [1]
    assert [row["count"] for row in result["years"]] == [10, 13, 12]
    assert result["years"][1]["change_percent"] == pytest.approx(30.0)


@pytest.fixture(scope="module")
def banes_and_rest(street_files):
    """Profile counts by month from the raw files: B&NES rows (LSOA name) and the rest of the force's rows
    that have a location (rows without one belong to no partnership, so neither side has them)."""
    area, rest = Counter(), Counter()
    for path in street_files:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["Crime type"] not in PROFILE or not row["LSOA code"]:
                    continue
                side = area if row["LSOA name"].startswith("Bath and North East Somerset") else rest
                side[row["Month"]] += 1
    return series(area.values(), area.keys()), series(rest.values(), rest.keys())


@pytest.mark.shared_data
def test_real_banes_rise_is_force_wide(banes_and_rest):
    area, rest = banes_and_rest
    january_april = same_months_by_year(area)
    assert january_april["months_of_year"] == [1, 2, 3, 4]
    change = {row["year"]: row["change_percent"] for row in january_april["years"]}
    assert change["2024"] == pytest.approx(31.4, abs=0.1) and change["2025"] == pytest.approx(-1.8, abs=0.1)
    rest_change = {row["year"]: row["change_percent"] for row in same_months_by_year(rest)["years"]}
    assert rest_change["2024"] == pytest.approx(29.4, abs=0.1)
    area_shift, rest_shift = find_level_shift(area), find_level_shift(rest)
    share_shift = find_share_shift(area, rest)
    assert area_shift.significant and area_shift.break_month in {"2023-12", "2024-01"}
    assert rest_shift.significant and rest_shift.break_month in {"2023-12", "2024-01"}
    assert area_shift.level_since is True
    assert not share_shift.significant
    assert attribute_change(area_shift, rest_shift, share_shift).verdict == "force-wide shift"
