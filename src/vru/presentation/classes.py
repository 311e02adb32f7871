"""Choropleth classes and colours: the one rule for the report's maps and the dashboard's.

Classes hold about the same number of areas each (quantiles, numpy's linear interpolation, repeated edges dropped,
so repeated values give fewer classes). Colours run light (low) to dark (high) along viridis, which stays readable
with colour-blindness and in greyscale.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable

# viridis_r sampled from 0.08 to 0.92 in n steps (matplotlib's colormap, read once: this module imports none).
SEQUENTIAL_COLOURS = {
    1: ("#21908d",),
    2: ("#cae11f", "#481d6f"),
    3: ("#cae11f", "#21908d", "#481d6f"),
    4: ("#cae11f", "#2cb17e", "#2e6f8e", "#481d6f"),
    5: ("#cae11f", "#48c16e", "#21908d", "#365d8d", "#481d6f"),
    6: ("#cae11f", "#5ec962", "#20a486", "#287c8e", "#3b518b", "#481d6f"),
    7: ("#cae11f", "#6ece58", "#2cb17e", "#21908d", "#2e6f8e", "#3e4989", "#481d6f"),
    8: ("#cae11f", "#7ad151", "#3bbb75", "#1f9f88", "#26828e", "#32648e", "#414487", "#481d6f"),
    9: ("#cae11f", "#84d44b", "#48c16e", "#23a983", "#21908d", "#2a778e", "#365d8d", "#423f85", "#481d6f"),
    10: ("#cae11f", "#8bd646", "#54c568", "#2cb17e", "#1e9b8a", "#25858e", "#2e6f8e", "#39568c", "#443b84", "#481d6f"),
}


def quantile_breaks(values: Iterable[float | None], classes: int = 5) -> list[float]:
    """Class edges with about the same number of areas in each class; missing values are left out."""
    ordered = sorted(float(value) for value in values if value is not None and math.isfinite(float(value)))
    if not ordered:
        return []
    edges = []
    for index in range(classes + 1):
        position = (len(ordered) - 1) * index / classes
        lower = int(position)
        upper = min(lower + 1, len(ordered) - 1)
        edges.append(ordered[lower] + (position - lower) * (ordered[upper] - ordered[lower]))
    return sorted(set(edges))


def classify(value: float, edges: list[float]) -> int:
    """The class (0-based) of `value` for edges from `quantile_breaks`; the top edge is included."""
    return bisect.bisect_right(edges[1:-1], value) if len(edges) > 1 else 0


def sequential_colours(n: int) -> list[str]:
    """n colours (1 to 10), light (low) to dark (high)."""
    return list(SEQUENTIAL_COLOURS[n])


# Hot and cold spots by confidence (90, 95, 99%), darker with more confidence: ColorBrewer RdBu's red and blue ends.
# The report's map hatches them too (diagonal lines and dots), so colour is never the only cue.
HOT_SPOT_SHADES = {99: "#67001f", 95: "#b2182b", 90: "#ef8a62"}
COLD_SPOT_SHADES = {99: "#053061", 95: "#2166ac", 90: "#67a9cf"}
NOT_SIGNIFICANT = "#eeeeee"
