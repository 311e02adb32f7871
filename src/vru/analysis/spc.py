"""Statistical process control: the XmR (individuals and moving range) chart with the NHS England "Making Data
Count" rules and icons, as the R package NHSRplotthedots implements them (version 0.2; its tests and vignettes
are our test cases, tests/unit/analysis/test_spc.py).

Pure functions, no I/O. Method and rules in words: docs/methods-monitoring.md.

* Centre line: the mean of the baseline points; process limits: mean ± 2.66 × the mean moving range (2.66 =
  3 / 1.128, three sigma for an individuals chart). The baseline is the first `fix_after_n_points` points of
  each group (all of them when not set); the limits then stay fixed for every later point of the group.
* Screening outliers (the package's default, after Nelson 1982): moving ranges of 3.267 × the mean moving
  range or more are left out and the mean moving range computed again. "Making Data Count"'s spreadsheet
  does not screen: `screen_outliers=False` reproduces it.
* A point is special cause, in this order of precedence, when it is
  1. outside the process limits;
  2. part of a run of seven points each higher (or each lower) than the one before;
  3. within the outer third of the limits (beyond two sigma, not outside) and one of two or more such points
     among three in a row that all sit on the same side of the mean;
  4. part of a run of seven points on the same side of the mean (a point on the mean breaks the run).
* Each special-cause point is improvement or concern given the improvement direction, or neutral (high or
  low) when neither direction is better. The variation icon is that of the last point; the assurance icon
  compares a target with the last point's limits.
* A group shorter than `SHORT_GROUP_POINTS` (13, the package's default threshold) has trial limits.

Rebasing starts a new group (new baseline and limits) at the given positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "CONTROL_LIMIT_FACTOR",
    "IMPROVEMENT_DIRECTIONS",
    "SHORT_GROUP_POINTS",
    "XmRChart",
    "assurance_icon",
    "variation_icon",
    "xmr_chart",
]

CONTROL_LIMIT_FACTOR = 2.66
# Two sigma: the inner edge of the zone the "two in three" rule looks at.
NEAR_LIMIT_FACTOR = 2 * CONTROL_LIMIT_FACTOR / 3
OUTLIER_MOVING_RANGE_FACTOR = 3.267
RUN_LENGTH = 7
SHORT_GROUP_POINTS = 13
IMPROVEMENT_DIRECTIONS = ("increase", "decrease", "neutral")

# Special-cause types (the package's labels in brackets).
ABOVE_UPPER_LIMIT = "above_upper_limit"  # "Above UCL"
BELOW_LOWER_LIMIT = "below_lower_limit"  # "Below LCL"
TREND_INCREASING = "trend_increasing"  # "7 Point Trend (Increasing)"
TREND_DECREASING = "trend_decreasing"  # "7 Point Trend (Decreasing)"
TWO_IN_THREE_ABOVE = "two_in_three_above"  # "2 in 3 Above CL"
TWO_IN_THREE_BELOW = "two_in_three_below"  # "2 in 3 Below CL"
RUN_ABOVE = "run_above_mean"  # "7 Points Above CL"
RUN_BELOW = "run_below_mean"  # "7 Points Below CL"
COMMON_CAUSE = "common_cause"
HIGH_TYPES = frozenset({ABOVE_UPPER_LIMIT, TREND_INCREASING, TWO_IN_THREE_ABOVE, RUN_ABOVE})
LOW_TYPES = frozenset({BELOW_LOWER_LIMIT, TREND_DECREASING, TWO_IN_THREE_BELOW, RUN_BELOW})

SPECIAL_CAUSE_WORDS = {
    ABOVE_UPPER_LIMIT: "above the upper process limit",
    BELOW_LOWER_LIMIT: "below the lower process limit",
    TREND_INCREASING: "part of seven points in a row each higher than the last",
    TREND_DECREASING: "part of seven points in a row each lower than the last",
    TWO_IN_THREE_ABOVE: "two of three points in a row close to the upper limit",
    TWO_IN_THREE_BELOW: "two of three points in a row close to the lower limit",
    RUN_ABOVE: "part of seven points in a row above the mean",
    RUN_BELOW: "part of seven points in a row below the mean",
    COMMON_CAUSE: "common cause variation",
}

# The "Making Data Count" icons, named as the package names its SVG files, with a text alternative.
VARIATION_ICON_WORDS = {
    "common_cause": "Common cause variation: no signal of change",
    "improvement_high": "Special cause variation, improving: higher values",
    "improvement_low": "Special cause variation, improving: lower values",
    "concern_high": "Special cause variation of concern: higher values",
    "concern_low": "Special cause variation of concern: lower values",
    "neutral_high": "Special cause variation: higher values (neither direction is better)",
    "neutral_low": "Special cause variation: lower values (neither direction is better)",
}
ASSURANCE_ICON_WORDS = {
    "pass": "The target will be met consistently (it lies beyond the limits on the good side)",
    "fail": "The target will consistently not be met (it lies beyond the limits on the bad side)",
    "inconsistent": "The target lies between the limits: it will be met some months and missed in others",
}


@dataclass(frozen=True)
class XmRChart:
    """One XmR chart. `points` has one row per input value, in order, with the columns `label`, `value`,
    `group` (0, 1, ... after each rebase), `baseline` (used for the limits), `mean`, `lower_limit`,
    `upper_limit`, `outside_limits`, `relative_to_mean` (-1, 0, 1), `close_to_limits`, `special_cause`
    (a type above), `special_cause_flag` and `point_type` (`common_cause`, `improvement`, `concern`,
    `neutral_high`, `neutral_low`)."""

    points: pd.DataFrame
    improvement_direction: str
    screen_outliers: bool
    fix_after_n_points: int | None
    variation_icon: str
    assurance_icon: str | None
    target: float | None
    trial_limits: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def latest(self) -> pd.Series:
        return self.points.iloc[-1]

    def describe(self) -> str:
        """The chart's message in one or two sentences."""
        latest = self.latest
        words = [VARIATION_ICON_WORDS[self.variation_icon] + "."]
        words.append(
            f"Mean {latest['mean']:.1f}, process limits {latest['lower_limit']:.1f} to {latest['upper_limit']:.1f}."
        )
        if self.assurance_icon:
            words.append(ASSURANCE_ICON_WORDS[self.assurance_icon] + ".")
        if self.trial_limits:
            words.append("Trial limits: fewer than 13 points, so they will move as points are added.")
        return " ".join(words)


def xmr_chart(
    values: Sequence[float],
    labels: Sequence[str] | None = None,
    *,
    improvement_direction: str = "decrease",
    fix_after_n_points: int | None = None,
    rebase_at: Sequence[int] = (),
    screen_outliers: bool = True,
    target: float | None = None,
) -> XmRChart:
    """The XmR chart of `values` in time order (no gaps: a missing month is the caller's to report, not to fill).

    `labels` name the points (months, say); `rebase_at` are the positions where a new group starts;
    `fix_after_n_points` fixes the limits on the first n points of each group (the baseline). Our default
    improvement direction is "decrease": fewer crimes is better.
    """
    y = np.asarray(values, dtype=float)
    if y.ndim != 1 or len(y) == 0:
        raise ValueError("an XmR chart needs a non-empty sequence of values")
    if not np.all(np.isfinite(y)):
        bad = [int(i) for i in np.flatnonzero(~np.isfinite(y))]
        raise ValueError(f"values must all be numbers (positions {bad} are missing or not finite)")
    if improvement_direction not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(f"improvement_direction must be one of {IMPROVEMENT_DIRECTIONS}")
    if fix_after_n_points is not None and fix_after_n_points < 2:
        raise ValueError("fix_after_n_points must be at least 2 (a moving range needs two points)")
    if labels is not None and len(labels) != len(y):
        raise ValueError(f"{len(labels)} labels for {len(y)} values")
    starts = sorted({0, *(int(i) for i in rebase_at)})
    if starts[-1] >= len(y) or starts[0] < 0:
        raise ValueError(f"rebase positions must lie inside the series (0 to {len(y) - 1})")

    frames = []
    for number, (start, stop) in enumerate(zip(starts, [*starts[1:], len(y)], strict=True)):
        frame = _group_limits(y[start:stop], fix_after_n_points, screen_outliers)
        frame.insert(0, "group", number)
        frame["special_cause"] = _special_cause_types(
            frame["value"].to_numpy(),
            frame["relative_to_mean"].to_numpy(),
            frame["close_to_limits"].to_numpy(),
            frame["outside_limits"].to_numpy(),
        )
        frames.append(frame)
    points = pd.concat(frames, ignore_index=True)
    points.insert(0, "label", list(labels) if labels is not None else [str(i) for i in range(len(y))])
    points["special_cause_flag"] = points["special_cause"] != COMMON_CAUSE
    points["point_type"] = [_point_type(kind, improvement_direction) for kind in points["special_cause"]]

    trial = any(stop - start < SHORT_GROUP_POINTS for start, stop in zip(starts, [*starts[1:], len(y)], strict=True))
    warnings = []
    if trial:
        warnings.append(
            "Some groups have fewer than 13 points: their limits are trial limits, revised with each new point "
            "until the baseline is complete."
        )
    latest = points.iloc[-1]
    return XmRChart(
        points=points,
        improvement_direction=improvement_direction,
        screen_outliers=screen_outliers,
        fix_after_n_points=fix_after_n_points,
        variation_icon=variation_icon(latest["point_type"], latest["special_cause"], improvement_direction),
        assurance_icon=assurance_icon(target, latest["lower_limit"], latest["upper_limit"], improvement_direction),
        target=target,
        trial_limits=trial,
        warnings=warnings,
    )


def _group_limits(y: np.ndarray, fix_after_n_points: int | None, screen_outliers: bool) -> pd.DataFrame:
    n_baseline = len(y) if fix_after_n_points is None else min(fix_after_n_points, len(y))
    baseline = y[:n_baseline]
    mean = float(baseline.mean())
    moving_ranges = np.abs(np.diff(baseline))
    if len(moving_ranges) == 0:
        mean_moving_range = float("nan")
    else:
        mean_moving_range = float(moving_ranges.mean())
        if screen_outliers:
            kept = moving_ranges[moving_ranges < OUTLIER_MOVING_RANGE_FACTOR * mean_moving_range]
            mean_moving_range = float(kept.mean()) if len(kept) else mean_moving_range
    lower, upper = mean - CONTROL_LIMIT_FACTOR * mean_moving_range, mean + CONTROL_LIMIT_FACTOR * mean_moving_range
    near_lower = mean - NEAR_LIMIT_FACTOR * mean_moving_range
    near_upper = mean + NEAR_LIMIT_FACTOR * mean_moving_range
    outside = (y > upper) | (y < lower)
    return pd.DataFrame(
        {
            "value": y,
            "baseline": np.arange(len(y)) < n_baseline,
            "mean": mean,
            "lower_limit": lower,
            "upper_limit": upper,
            "outside_limits": outside,
            "relative_to_mean": np.sign(y - mean).astype(int),
            "close_to_limits": ~outside & ((y < near_lower) | (y > near_upper)),
        }
    )


def _run_ends(marks: np.ndarray) -> np.ndarray:
    """+1 / -1 at each point that ends RUN_LENGTH equal, non-zero marks in a row; 0 elsewhere."""
    ends = np.zeros(len(marks), dtype=int)
    for i in range(RUN_LENGTH - 1, len(marks)):
        window = marks[i - RUN_LENGTH + 1 : i + 1]
        if window[-1] != 0 and np.all(window == window[-1]):
            ends[i] = window[-1]
    return ends


def _part_of_run(ends: np.ndarray) -> np.ndarray:
    """True for every point of a run whose end `_run_ends` marked (the end and the RUN_LENGTH - 1 before it)."""
    part = np.zeros(len(ends), dtype=bool)
    for i in np.flatnonzero(ends):
        part[max(0, i - RUN_LENGTH + 1) : i + 1] = True
    return part


def _trend_ends(y: np.ndarray) -> np.ndarray:
    """+1 / -1 where a point ends seven points each higher (lower) than the one before; ties break a trend."""
    steps = np.concatenate([[0], np.sign(np.diff(y)).astype(int)])
    ends = np.zeros(len(y), dtype=int)
    for i in range(RUN_LENGTH - 1, len(y)):
        window = steps[i - RUN_LENGTH + 2 : i + 1]  # the six steps between seven points
        if window[-1] != 0 and np.all(window == window[-1]):
            ends[i] = window[-1]
    return ends


def _two_in_three(close: np.ndarray, relative_to_mean: np.ndarray) -> np.ndarray:
    """True for a point close to the limits that is one of two or more such points among three consecutive
    points on the same side of the mean."""
    n = len(close)
    flagged = np.zeros(n, dtype=bool)
    for start in range(0, n - 2):
        window = slice(start, start + 3)
        same_side = abs(int(relative_to_mean[window].sum())) == 3
        if same_side and int(close[window].sum()) >= 2:
            flagged[window] = True
    return flagged & close.astype(bool)


def _special_cause_types(
    y: np.ndarray, relative_to_mean: np.ndarray, close: np.ndarray, outside: np.ndarray
) -> list[str]:
    trend = _part_of_run(_trend_ends(y))
    two_in_three = _two_in_three(close, relative_to_mean)
    run = _part_of_run(_run_ends(relative_to_mean))
    steps = np.sign(np.diff(y)).astype(int)
    types = []
    for i in range(len(y)):
        high = relative_to_mean[i] > 0
        if outside[i]:
            types.append(ABOVE_UPPER_LIMIT if high else BELOW_LOWER_LIMIT)
        elif trend[i]:
            # The direction of the step into the point, or out of it for the first point of a trend.
            step = steps[i] if i + 1 < len(y) and trend[i + 1] else steps[i - 1] if i > 0 else 0
            types.append(TREND_INCREASING if step == 1 else TREND_DECREASING)
        elif two_in_three[i]:
            types.append(TWO_IN_THREE_ABOVE if high else TWO_IN_THREE_BELOW)
        elif run[i]:
            types.append(RUN_ABOVE if high else RUN_BELOW)
        else:
            types.append(COMMON_CAUSE)
    return types


def _point_type(special_cause: str, improvement_direction: str) -> str:
    side = 1 if special_cause in HIGH_TYPES else -1 if special_cause in LOW_TYPES else 0
    if side == 0:
        return "common_cause"
    if improvement_direction == "neutral":
        return "neutral_high" if side > 0 else "neutral_low"
    better = 1 if improvement_direction == "increase" else -1
    return "improvement" if side == better else "concern"


def variation_icon(point_type: str, special_cause: str, improvement_direction: str) -> str:
    """The variation icon for the last point: common cause, improvement or concern (high or low), or neutral."""
    if point_type in ("common_cause", "neutral_high", "neutral_low"):
        return point_type
    high = special_cause in HIGH_TYPES
    return f"{point_type}_{'high' if high else 'low'}"


def assurance_icon(
    target: float | None, lower_limit: float, upper_limit: float, improvement_direction: str
) -> str | None:
    """Whether a target will be met: `pass`, `fail` or `inconsistent`; None without a target or direction."""
    if target is None or improvement_direction == "neutral":
        return None
    increasing = improvement_direction == "increase"
    if target > upper_limit:
        return "fail" if increasing else "pass"
    if target < lower_limit:
        return "pass" if increasing else "fail"
    return "inconsistent"
