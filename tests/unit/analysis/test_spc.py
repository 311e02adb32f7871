"""XmR charts checked against NHSRplotthedots' own tests and vignettes (the figures quoted are the package's
documented outputs: tests/testthat/_snaps/ptd_spc_standard.md, tests/testthat/test-ptd_calculate_point_type.R,
vignettes/deviations.Rmd), plus hand-made series whose signals can be worked out by eye."""

import numpy as np
import pytest

from vru.analysis import spc
from vru.analysis.spc import assurance_icon, xmr_chart

# R: set.seed(123); rnorm(20) — the series of the package's ptd_spc_standard snapshot tests.
RNORM_20 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
    -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
    0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_limits_match_the_package_snapshot():
    chart = xmr_chart(RNORM_20, improvement_direction="increase")
    latest = chart.latest
    assert latest["mean"] == pytest.approx(0.1416238, abs=1e-7)
    assert latest["lower_limit"] == pytest.approx(-3.01138, abs=1e-5)
    assert latest["upper_limit"] == pytest.approx(3.294627, abs=1e-6)
    # The snapshot's relative_to_mean column (the first 15 it prints).
    assert list(chart.points["relative_to_mean"][:15]) == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
    # summary(): 20 points, all common cause.
    assert not chart.points["special_cause_flag"].any()
    assert chart.variation_icon == "common_cause"


def test_outlier_screening_matches_the_package_snapshot():
    values = list(RNORM_20)
    values[14] = 10  # R: data$y[15] <- 10
    screened = xmr_chart(values).latest
    assert screened["mean"] == pytest.approx(0.6694159, abs=1e-7)
    assert screened["lower_limit"] == pytest.approx(-2.383666, abs=1e-6)
    assert screened["upper_limit"] == pytest.approx(3.722497, abs=1e-6)
    unscreened = xmr_chart(values, screen_outliers=False).latest
    assert unscreened["lower_limit"] == pytest.approx(-4.596625, abs=1e-6)
    assert unscreened["upper_limit"] == pytest.approx(5.935457, abs=1e-6)


def test_deviations_vignette_screened_and_spreadsheet_limits():
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    screened = xmr_chart(data, improvement_direction="increase")
    assert round(screened.latest["upper_limit"], 2) == 4.6
    assert round(screened.latest["mean"], 2) == 1.94
    assert round(screened.latest["lower_limit"], 2) == -0.72
    # "four grey common cause points followed by a single blue special cause improvement point followed by a
    # further 12 grey common cause points" (its chart has 17 points described; the fifth is the signal).
    types = list(screened.points["point_type"])
    assert types[4] == "improvement"
    assert types[:4] == ["common_cause"] * 4
    assert set(types[5:]) == {"common_cause"}
    excel = xmr_chart(data, improvement_direction="increase", screen_outliers=False).latest
    assert round(excel["upper_limit"], 2) == 6.95
    assert round(excel["lower_limit"], 2) == -3.06


def test_two_close_points_on_opposite_sides_of_the_mean_are_common_cause():
    # The package's "only reports special cause for 2of3 points close to limits when they are on the same side".
    data = [1.0, -1.0] * 8
    data[14], data[15] = 5.5, -5.5
    chart = xmr_chart(data, improvement_direction="increase")
    assert list(chart.points["point_type"][-2:]) == ["common_cause", "common_cause"]


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ([1] * 6, [0] * 6),
        ([1] * 6 + [-1], [0] * 7),
        ([1] * 8 + [-1], [0, 0, 0, 0, 0, 0, 1, 1, 0]),
        ([-1] * 8 + [1], [0, 0, 0, 0, 0, 0, -1, -1, 0]),
    ],
)
def test_seven_points_one_side_of_the_mean_matches_the_package(marks, expected):
    # ptd_seven_point_one_side_mean marks the end of each run of seven (with the sign of the side).
    assert list(spc._run_ends(np.array(marks))) == [abs(e) * m for e, m in zip(expected, marks, strict=True)]


@pytest.mark.parametrize(
    ("ends", "expected"),
    [
        ([0] * 6, [0] * 6),
        ([0] * 6 + [1, 0], [1] * 7 + [0]),
        ([0] * 7 + [1, 0], [0] + [1] * 7 + [0]),
        ([0] * 6 + [-1, 0], [1] * 7 + [0]),
    ],
)
def test_part_of_a_run_matches_the_package(ends, expected):
    assert list(spc._part_of_run(np.array(ends)).astype(int)) == expected


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        (list(range(1, 7)), [0] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),  # a tie breaks the trend
        (list(range(1, 8)), [0] * 6 + [1]),
        ([2, *range(1, 8), 3], [0] * 7 + [1, 0]),
        (list(range(7, 0, -1)), [0] * 6 + [-1]),
        ([2, *range(7, 0, -1), 3], [0] * 7 + [-1, 0]),
    ],
)
def test_seven_point_trend_matches_the_package(series, expected):
    assert list(spc._trend_ends(np.array(series, dtype=float))) == expected


@pytest.mark.parametrize(
    ("close", "side", "expected"),
    [
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [1] * 4, [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
    ],
)
def test_two_in_three_matches_the_package(close, side, expected):
    flagged = spc._two_in_three(np.array(close, dtype=bool), np.array(side))
    assert list(flagged.astype(int)) == expected


def test_assurance_matches_the_package():
    # test-ptd_calculate_assurance_type.R: limits (1, 3), (5, 7), (1, 5) against a target of 4.
    limits = [(1, 3), (5, 7), (1, 5)]
    assert [assurance_icon(4, lo, hi, "increase") for lo, hi in limits] == ["fail", "pass", "inconsistent"]
    assert [assurance_icon(4, lo, hi, "decrease") for lo, hi in limits] == ["pass", "fail", "inconsistent"]
    assert [assurance_icon(4, lo, hi, "neutral") for lo, hi in limits] == [None, None, None]
    assert assurance_icon(None, 1, 3, "increase") is None


def test_run_above_the_mean_outside_limits_and_icons_by_direction():
    # Baseline: 13, 10 alternating: mean 11.5, every moving range 3, limits 11.5 ± 2.66 × 3 = 3.52 to 19.48.
    base = [13, 10] * 6
    shifted = [14, 13, 14, 13, 14, 13, 14]  # seven points above the mean, inside the limits
    chart = xmr_chart(base + shifted, fix_after_n_points=12)
    kinds = list(chart.points["special_cause"])
    assert chart.latest["upper_limit"] == pytest.approx(19.48)
    assert chart.latest["lower_limit"] == pytest.approx(3.52)
    assert kinds[:12] == ["common_cause"] * 12
    assert kinds[12:] == [spc.RUN_ABOVE] * 7
    assert set(chart.points["point_type"][12:]) == {"concern"}  # fewer crimes is better by default
    assert chart.variation_icon == "concern_high"
    far = xmr_chart([*base, 30], fix_after_n_points=12)
    assert far.latest["special_cause"] == spc.ABOVE_UPPER_LIMIT
    assert far.variation_icon == "concern_high"
    assert xmr_chart([*base, 30], fix_after_n_points=12, improvement_direction="increase").variation_icon == (
        "improvement_high"
    )
    assert xmr_chart([*base, 2], fix_after_n_points=12).variation_icon == "improvement_low"
    assert xmr_chart([*base, 2], fix_after_n_points=12, improvement_direction="neutral").variation_icon == (
        "neutral_low"
    )


def test_trend_takes_its_direction_from_the_steps():
    # After the same baseline, 12 then six steps down: seven points each lower than the last, all inside the
    # limits and on both sides of the mean (so no run), the first one included.
    chart = xmr_chart([13, 10] * 6 + [12, 11.8, 11.6, 11.4, 11.2, 11, 10.8], fix_after_n_points=12)
    kinds = list(chart.points["special_cause"])
    assert kinds[:12] == ["common_cause"] * 12
    assert kinds[12:] == [spc.TREND_DECREASING] * 7
    assert chart.variation_icon == "improvement_low"
    rising = xmr_chart([13, 10] * 6 + [11, 11.2, 11.4, 11.6, 11.8, 12, 12.2], fix_after_n_points=12)
    assert list(rising.points["special_cause"][12:]) == [spc.TREND_INCREASING] * 7


def test_fixed_baseline_keeps_the_limits_and_rebase_starts_new_ones():
    values = [10, 12, 11, 13, 10, 12, 11, 13, 10, 12, 11, 13, 40, 41, 40, 41]
    fixed = xmr_chart(values, fix_after_n_points=12)
    assert fixed.points["baseline"].sum() == 12
    assert fixed.points["mean"].nunique() == 1 and fixed.latest["mean"] == pytest.approx(11.5)
    rebased = xmr_chart(values, rebase_at=[12])
    assert list(rebased.points["group"]) == [0] * 12 + [1] * 4
    assert rebased.latest["mean"] == pytest.approx(40.5)
    assert rebased.trial_limits and rebased.warnings


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="positions \\[1\\]"):
        xmr_chart([1, float("nan"), 3])
    with pytest.raises(ValueError, match="improvement_direction"):
        xmr_chart([1, 2, 3], improvement_direction="up")
    with pytest.raises(ValueError, match="labels"):
        xmr_chart([1, 2, 3], labels=["a"])
    with pytest.raises(ValueError, match="non-empty"):
        xmr_chart([])
