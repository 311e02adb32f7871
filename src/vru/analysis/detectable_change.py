"""The smallest change in a monthly count that monitoring could detect, and how long a given change would take
to detect: say so before money is spent on a measure that cannot move.

Pure functions, no I/O. Method: docs/methods-monitoring.md.

The comparison is the mean of `months_after` months against the mean of the baseline months (the strategy's
start fixes the baseline), a two-sided test at `alpha` with power `power`. Monthly counts are Poisson with
overdispersion: variance = dispersion × mean, the dispersion estimated from the baseline (sample variance over
mean, never below 1). With z = z(1 - alpha/2) + z(power), mean λ, dispersion φ, B baseline and T later months:

    smallest detectable change (counts a month) = z × sqrt(φ λ (1/B + 1/T))

and a change of a fraction d of λ needs T = 1 / ((d λ / z)² / (φ λ) − 1/B) months: never, when
d λ ≤ z sqrt(φ λ / B), however long one waits (the baseline alone is too noisy). A normal approximation:
with fewer than about five a month it flatters; the test suite checks it against a simulation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["DetectableChange", "minimum_detectable_change", "months_to_detect"]

ALPHA = 0.05
POWER = 0.8
MIN_BASELINE_MONTHS = 6


@dataclass(frozen=True)
class DetectableChange:
    baseline_months: int
    baseline_mean: float
    dispersion: float
    months_after: int
    alpha: float
    power: float
    smallest_change: float  # counts a month
    smallest_change_fraction: float  # of the baseline mean
    never_below_fraction: float  # no change this small (or smaller) is detectable however long one waits

    def describe(self, what: str = "The measure") -> str:
        return (
            f"{what} averaged {self.baseline_mean:.1f} a month over {self.baseline_months} baseline months. "
            f"Over {self.months_after} months, only a change of {self.smallest_change_fraction:.0%} or more "
            f"(about {self.smallest_change:.1f} a month) could be told from chance "
            f"({self.power:.0%} power, {self.alpha:.0%} two-sided); a change under "
            f"{self.never_below_fraction:.0%} could never be detected against this baseline."
        )


def _baseline(counts: Sequence[float]) -> tuple[int, float, float]:
    values = np.asarray(counts, dtype=float)
    if values.ndim != 1 or len(values) < MIN_BASELINE_MONTHS:
        raise ValueError(f"a baseline needs at least {MIN_BASELINE_MONTHS} months (has {len(values)})")
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("baseline counts must be numbers of zero or more")
    mean = float(values.mean())
    if mean <= 0:
        raise ValueError("the baseline mean is zero: no change in it can be measured")
    dispersion = max(1.0, float(values.var(ddof=1)) / mean)
    return len(values), mean, dispersion


def _z(alpha: float, power: float) -> float:
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError("alpha and power must lie between 0 and 1")
    return float(stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power))


def minimum_detectable_change(
    baseline_counts: Sequence[float], months_after: int = 12, *, alpha: float = ALPHA, power: float = POWER
) -> DetectableChange:
    """The smallest change in the monthly mean detectable after `months_after` months."""
    if months_after < 1:
        raise ValueError("months_after must be at least 1")
    months, mean, dispersion = _baseline(baseline_counts)
    z = _z(alpha, power)
    smallest = z * math.sqrt(dispersion * mean * (1 / months + 1 / months_after))
    return DetectableChange(
        baseline_months=months,
        baseline_mean=mean,
        dispersion=dispersion,
        months_after=months_after,
        alpha=alpha,
        power=power,
        smallest_change=smallest,
        smallest_change_fraction=smallest / mean,
        never_below_fraction=z * math.sqrt(dispersion * mean / months) / mean,
    )


def months_to_detect(
    baseline_counts: Sequence[float], change_fraction: float, *, alpha: float = ALPHA, power: float = POWER
) -> int | None:
    """Months after the baseline needed to detect a change of `change_fraction` of the mean (0.2 = 20%), or None
    when no wait is long enough."""
    if change_fraction == 0:
        return None
    months, mean, dispersion = _baseline(baseline_counts)
    z = _z(alpha, power)
    signal = (abs(change_fraction) * mean / z) ** 2 / (dispersion * mean)
    if signal <= 1 / months:
        return None
    return max(1, math.ceil(1 / (signal - 1 / months)))
