"""Many tests at once: Benjamini-Hochberg false discovery rate control (Benjamini and Hochberg, 1995).

Used where a report screens many comparisons for the few worth a reader's attention (risk factors that
stand out, LSOAs where partner and police counts differ): among the findings flagged, the expected share
of false ones is at most the rate chosen.
"""

from __future__ import annotations

import numpy as np


def benjamini_hochberg(p_values, rate: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """(rejected, adjusted p-values) in the order given; a hypothesis is rejected when its adjusted
    p-value (the smallest false discovery rate at which it would be) is at most `rate`."""
    p_values = np.asarray(p_values, dtype=float)
    count = len(p_values)
    if count == 0:
        return np.zeros(0, dtype=bool), np.zeros(0)
    order = np.argsort(p_values)
    scaled = p_values[order] * count / np.arange(1, count + 1)
    adjusted_sorted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    adjusted = np.empty(count)
    adjusted[order] = adjusted_sorted
    return adjusted <= rate, adjusted
