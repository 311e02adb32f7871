"""Hot spots and spatial clusters of areas: Getis-Ord Gi*, local Moran's I (LISA) and global Moran's I.

Pure functions over a GeoDataFrame of areas (`code`, `name`, `geometry`) and a Series of values indexed
by area code; no I/O. The statistics are esda's (Rey & Anselin, PySAL), called on a libpysal `Graph`
of queen contiguity. Methods, choices and caveats: docs/methods-spatial.md.

Choices made here, once for every caller:

* **Neighbours**: queen contiguity (areas sharing a boundary vertex or edge), built on the geometries
  projected to British National Grid (EPSG:27700) when they arrive in a geographic CRS.
* **Islands** (areas with no neighbour) are not tested: they are left out of the statistic (and so out
  of the mean, the variance and the permutation pool) and listed in the result with `island=True`,
  classification "island" and empty statistics. They are never dropped silently.
* **Gi\\*** uses binary weights with the area itself included (self-weight 1), which is the form for
  which Ord & Getis (1995) give the z-score esda computes (`G_Local(..., transform="B", star=True)`).
  Row-standardising would give esda's z-score the wrong variance (it assumes each weight is 0 or 1).
  **Local and global Moran's I** use row-standardised weights (esda's default, transformation "r").
* **Permutation p-values** are two-sided, from esda's conditional permutations (the area's own value
  held fixed, the others shuffled among its neighbours). esda's own `p_sim` for `G_Local`, `Moran_Local`
  and `Moran` is (min(larger, permutations - larger) + 1) / (permutations + 1), where `larger` counts
  simulated statistics >= the observed one: a one-sided p-value in whichever direction the observed
  value lies (esda calls it "directed"; esda.crand, esda.significance._permutation_significance). The
  two-sided p-value is min(1, 2 x p_sim). We compute it from the kept simulations as
  min(1, 2 x min(p_greater, p_lesser)), counting ties on both sides: identical to min(1, 2 x p_sim)
  when no simulated value ties the observed one, and correct when they do (esda counts only strictly
  smaller simulations for a low value, so for counts with many ties it understates the p-value, e.g.
  it calls an area whose neighbours all have the modal value "significant" at p = 0.001). With 999
  permutations the smallest possible two-sided p-value is 0.002.
* **Direction** of a Gi* hot or cold spot is the tail of the permutation test that is significant
  (neighbours unusually high: hot; unusually low: cold), not the sign of the z-score: the z-score
  includes the area's own value, the permutation test holds it fixed, and a very high area among low
  neighbours has a positive z-score and a significantly *low* neighbourhood.
* **Clusters and stability**: `gi_clusters` joins contiguous hot (or cold) spots into numbered clusters,
  the unit the report names; `gi_stability` reruns Gi* over several seeds and permutation counts, so a
  hot spot that appears in one run only is not reported as a place.
* **Multiple testing**: Benjamini-Hochberg false discovery rate over every tested area
  (statsmodels `multipletests(method="fdr_bh")`); an area is significant when `p_fdr <= alpha`.
* **Seeds**: the same seed gives identical results. The caller's global NumPy random state is restored
  afterwards (esda seeds NumPy's global generator).

Values are whatever the caller decides: counts or rates per 1,000. Rates of areas with small populations
are noisy (one incident in a small LSOA moves its rate a long way), and a hot spot of counts partly
reflects where people and places (town centres, night-time economy) are. Say which was used.
"""

from __future__ import annotations

import contextlib
import functools
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
from libpysal.graph import Graph
from scipy import stats
from statsmodels.stats.multitest import multipletests

from vru.analysis import records

__all__ = [
    "BRITISH_NATIONAL_GRID",
    "GlobalMoranResult",
    "getis_ord_gi_star",
    "gi_clusters",
    "gi_stability",
    "global_moran",
    "islands",
    "local_moran",
    "neighbour_counts",
    "queen_graph",
    "to_records",
]

BRITISH_NATIONAL_GRID = "EPSG:27700"
HOT, COLD, NOT_SIGNIFICANT, ISLAND = "hot spot", "cold spot", "not significant", "island"
QUADRANTS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low"}  # esda's q (geoda_quads=False)
CONFIDENCE_LEVELS = ((0.01, 99), (0.05, 95), (0.10, 90))
# esda's conditional randomisation warns that its default alternative will change; we do not use its
# p-values (we compute two-sided ones from the simulations), so the warning is noise here.
_ESDA_ALTERNATIVE_WARNING = "The alternative hypothesis for conditional randomization"
_ROUNDING = {"value": 4, "gi_z": 3, "gi": 6, "Ii": 4, "lag": 4}


# --------------------------------------------------------------------------------------------------
# Neighbours
# --------------------------------------------------------------------------------------------------


def _projected(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if "code" not in areas.columns or "geometry" not in areas.columns:
        raise ValueError("areas must have `code` and `geometry` columns")
    codes = areas["code"].astype(str)
    if codes.duplicated().any():
        raise ValueError(f"duplicate area codes: {sorted(codes[codes.duplicated()].unique())[:5]}")
    frame = areas.set_index(codes.rename("code"))[["geometry"]]
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=areas.crs)
    if frame.crs is not None and frame.crs.is_geographic:
        frame = frame.to_crs(BRITISH_NATIONAL_GRID)
    return frame


def queen_graph(areas: gpd.GeoDataFrame) -> Graph:
    """Queen contiguity between areas, as a binary libpysal `Graph` whose ids are the area codes.

    Areas in a geographic CRS (e.g. WGS84) are projected to British National Grid first. Islands
    (areas with no neighbour) stay in the graph with no edges: see `islands()`. The weights are binary
    here; each statistic applies the transformation it needs (row-standardised for Moran's I).
    """
    return Graph.build_contiguity(_projected(areas), rook=False)


def islands(graph: Graph) -> list[str]:
    """Codes of areas with no neighbour, sorted."""
    return sorted(str(code) for code in graph.isolates)


def neighbour_counts(graph: Graph) -> pd.Series:
    """Number of neighbours of each area (0 for islands), indexed by code."""
    counts = graph.cardinalities.astype(int)
    counts.index = counts.index.astype(str)
    return counts.rename("neighbours").rename_axis("code")


# --------------------------------------------------------------------------------------------------
# Shared plumbing
# --------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _seeded(seed: int | None) -> Iterator[None]:
    """Seed NumPy's global generator (which esda uses) and restore the caller's state afterwards."""
    state = np.random.get_state()
    try:
        if seed is not None:
            np.random.seed(seed)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=_ESDA_ALTERNATIVE_WARNING, category=DeprecationWarning)
            with np.errstate(divide="ignore", invalid="ignore"):
                yield
    finally:
        np.random.set_state(state)


@dataclass(frozen=True)
class _Prepared:
    graph: Graph  # the full graph, ids in the order of `codes`
    codes: list[str]  # every area
    values: pd.Series  # float, indexed by code, in the order of `codes`
    tested: list[str]  # areas with at least one neighbour
    subgraph: Graph | None  # graph restricted to `tested`, or None if fewer than 3 are tested
    island_codes: list[str] = field(default_factory=list)


def _prepare(values: pd.Series, areas: gpd.GeoDataFrame, graph: Graph | None, permutations: int) -> _Prepared:
    if not isinstance(permutations, int | np.integer) or permutations < 1:
        raise ValueError(f"permutations must be a positive whole number, got {permutations!r}")
    if graph is None:
        graph = queen_graph(areas)
    codes = [str(code) for code in graph.unique_ids]
    area_codes = set(areas["code"].astype(str))
    if set(codes) != area_codes:
        raise ValueError("the graph's ids are not the codes of `areas`")
    series = pd.Series(values)
    series.index = series.index.astype(str)
    if series.index.duplicated().any():
        raise ValueError("values has duplicate codes")
    unknown = sorted(set(series.index) - area_codes)
    if unknown:
        raise ValueError(f"values for {len(unknown)} codes not among the areas, e.g. {unknown[:5]}")
    aligned = pd.to_numeric(series.reindex(codes), errors="raise").astype(float)
    missing = aligned.index[aligned.isna()].tolist()
    if missing:
        raise ValueError(
            f"no value for {len(missing)} areas, e.g. {missing[:5]}: pass 0 for areas with no incidents "
            "(the caller decides; nothing is filled here)"
        )
    island_codes = islands(graph)
    tested = [code for code in codes if code not in set(island_codes)]
    subgraph = graph.subgraph(tested) if len(tested) >= 3 else None
    return _Prepared(graph, codes, aligned, tested, subgraph, island_codes)


def _tail_counts(observed: np.ndarray, simulated: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """For each area (column): how many simulations are at or above the observed value and how many at or
    below it, ties counted on both sides, and the number of permutations. A simulated value within a relative
    1e-9 (absolute 1e-12) of the observed one is a tie (floating-point noise): numpy.isclose's rule, written
    out so one pass over the (permutations x areas) matrix serves both tails."""
    observed = np.asarray(observed, dtype=float)
    simulated = np.atleast_2d(np.asarray(simulated, dtype=float))
    # "above or tied" is sim >= obs - tolerance and "below or tied" sim <= obs + tolerance: two comparisons,
    # no (permutations x areas) temporaries beyond the boolean masks.
    tolerance = 1e-12 + 1e-9 * np.abs(observed)
    greater = np.count_nonzero(simulated >= observed - tolerance, axis=0)
    lesser = np.count_nonzero(simulated <= observed + tolerance, axis=0)
    return greater, lesser, simulated.shape[0]


def _permutation_p(observed: np.ndarray, simulated: np.ndarray, counts=None) -> np.ndarray:
    """Two-sided pseudo p-values, counting ties on both sides.

    `simulated` has one row per permutation and one column per area. With P permutations,
    p_greater = (#{sim >= obs} + 1) / (P + 1), p_lesser = (#{sim <= obs} + 1) / (P + 1) and the
    two-sided p-value is min(1, 2 x min(p_greater, p_lesser)). Without ties this is exactly
    min(1, 2 x esda's p_sim); with ties (common for counts: many areas share a value) esda's p_sim
    counts only the strictly smaller simulations for a low observation and so understates the p-value.
    `counts`: `_tail_counts(observed, simulated)` when already computed.
    """
    observed = np.asarray(observed, dtype=float)
    greater, lesser, permutations = counts or _tail_counts(observed, simulated)
    one_sided = (np.minimum(greater, lesser) + 1.0) / (permutations + 1.0)
    p = np.minimum(1.0, 2.0 * one_sided)
    p[~np.isfinite(observed)] = np.nan
    return p


def _significant_tail(observed: np.ndarray, simulated: np.ndarray, counts=None) -> np.ndarray:
    """+1 where the observed statistic is in the upper tail of its simulations (fewer simulations at or
    above it than at or below it), -1 in the lower tail, 0 on a tie or where it is not finite."""
    observed = np.asarray(observed, dtype=float)
    greater, lesser, _ = counts or _tail_counts(observed, simulated)
    tail = np.sign(lesser - greater).astype(float)
    tail[~np.isfinite(observed)] = 0.0
    return tail


def _fdr(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values over the finite entries; NaN stays NaN."""
    out = np.full(len(p_values), np.nan)
    finite = np.isfinite(p_values)
    if finite.any():
        out[finite] = multipletests(p_values[finite], method="fdr_bh")[1]
    return out


def _confidence(p_fdr: float) -> int | None:
    if not math.isfinite(p_fdr):
        return None
    for threshold, level in CONFIDENCE_LEVELS:
        if p_fdr <= threshold:
            return level
    return None


def _base_frame(prepared: _Prepared) -> pd.DataFrame:
    counts = neighbour_counts(prepared.graph).reindex(prepared.codes)
    return pd.DataFrame(
        {
            "code": prepared.codes,
            "value": prepared.values.to_numpy(),
            "neighbours": counts.to_numpy(),
            "island": [code in set(prepared.island_codes) for code in prepared.codes],
        }
    )


def _attrs(frame: pd.DataFrame, prepared: _Prepared, **extra: Any) -> pd.DataFrame:
    frame.attrs.update(
        {
            "n_areas": len(prepared.codes),
            "n_tested": len(prepared.tested) if prepared.subgraph is not None else 0,
            "islands": list(prepared.island_codes),
            "weights": "queen contiguity",
            "p_values": "two-sided conditional-permutation p-values, ties counted; FDR: Benjamini-Hochberg",
            **extra,
        }
    )
    return frame


# --------------------------------------------------------------------------------------------------
# Getis-Ord Gi*
# --------------------------------------------------------------------------------------------------


def getis_ord_gi_star(
    values: pd.Series,
    areas: gpd.GeoDataFrame,
    permutations: int = 999,
    seed: int | None = 12345,
    alpha: float = 0.05,
    *,
    graph: Graph | None = None,
) -> pd.DataFrame:
    """Getis-Ord Gi* hot and cold spots with permutation p-values and a Benjamini-Hochberg FDR.

    `values` is indexed by area code and must cover every area in `areas` (pass 0 for areas with no
    incidents). Pass a prebuilt `graph` (from `queen_graph(areas)`) to avoid rebuilding it.

    Returns one row per area, in the graph's order, with columns
    code, value, neighbours, island, gi (G*_i), gi_z (esda `G_Local.Zs`, the Ord-Getis z-score),
    p_norm (two-sided normal p-value of gi_z, for comparison with tools that use it, e.g. ArcGIS),
    p_sim (two-sided conditional-permutation p-value), p_fdr (Benjamini-Hochberg of p_sim),
    classification ("hot spot", "cold spot", "not significant", "island") and confidence (99, 95 or 90:
    the highest level whose 1 - level is >= p_fdr, for hot and cold spots only; else None).

    `tail` is +1 when the neighbourhood is in the upper tail of its permutations, -1 in the lower.
    A hot spot has p_fdr <= alpha in the upper tail; a cold spot p_fdr <= alpha in the lower. Where the
    z-score is undefined (all values equal, or an area whose neighbourhood is the whole study area) the
    p-values are NaN and the area is "not significant". `frame.attrs` records the settings and islands.

    The permutation test holds the area's own value fixed (esda's conditional randomisation), so it asks
    whether the *neighbours* are unusually high or low given the area; gi_z includes the area itself.
    An area with one very high value among ordinary neighbours can have a large gi_z and a large p_sim.
    """
    _check_alpha(alpha)
    prepared = _prepare(values, areas, graph, permutations)
    frame = _base_frame(prepared)
    for column in ("gi", "gi_z", "p_norm", "p_sim", "p_fdr", "tail"):
        frame[column] = np.nan
    if prepared.subgraph is not None:
        y = prepared.values.reindex([str(c) for c in prepared.subgraph.unique_ids]).to_numpy()
        with _seeded(seed):
            stat = esda.G_Local(
                y,
                prepared.subgraph,
                transform="B",
                star=True,
                permutations=permutations,
                seed=seed,
                n_jobs=1,
                keep_simulations=True,
            )
        z = np.asarray(stat.Zs, dtype=float)
        counts = _tail_counts(stat.Gs, stat.sim)  # one pass over the simulations for both
        p_sim = _permutation_p(stat.Gs, stat.sim, counts)
        p_sim[~np.isfinite(z)] = np.nan
        tail = _significant_tail(stat.Gs, stat.sim, counts)
        rows = frame["code"].isin(prepared.tested).to_numpy()
        order = pd.Index([str(c) for c in prepared.subgraph.unique_ids])
        position = order.get_indexer(frame.loc[rows, "code"])
        frame.loc[rows, "gi"] = np.asarray(stat.Gs, dtype=float)[position]
        frame.loc[rows, "gi_z"] = z[position]
        frame.loc[rows, "p_norm"] = 2.0 * stats.norm.sf(np.abs(z[position]))
        frame.loc[rows, "p_sim"] = p_sim[position]
        frame.loc[rows, "p_fdr"] = _fdr(frame.loc[rows, "p_sim"].to_numpy())
        frame.loc[rows, "tail"] = tail[position]
    significant = frame["p_fdr"].le(alpha)
    frame["classification"] = np.select(
        [frame["island"], significant & frame["tail"].gt(0), significant & frame["tail"].lt(0)],
        [ISLAND, HOT, COLD],
        default=NOT_SIGNIFICANT,
    )
    frame["confidence"] = pd.array(
        [
            _confidence(p) if c in (HOT, COLD) else None
            for p, c in zip(frame["p_fdr"], frame["classification"], strict=True)
        ],
        dtype="Int64",
    )
    return _attrs(
        frame,
        prepared,
        method="Getis-Ord Gi* (binary queen weights, self included)",
        permutations=permutations,
        seed=seed,
        alpha=alpha,
        hot_spots=int((frame["classification"] == HOT).sum()),
        cold_spots=int((frame["classification"] == COLD).sum()),
    )


def gi_clusters(gi: pd.DataFrame, graph: Graph) -> pd.DataFrame:
    """Contiguous hot spots (and, separately, cold spots) joined into clusters.

    `gi` is a `getis_ord_gi_star` result on `graph`. Returns one row per hot or cold spot: code,
    classification and cluster ("hot 1", "hot 2", ... numbered by size, largest first, then by the
    smallest code; likewise "cold 1", ...), and cluster_size.
    """
    rows = []
    for kind, label in ((HOT, "hot"), (COLD, "cold")):
        members = set(gi.loc[gi["classification"] == kind, "code"].astype(str))
        components = []
        unvisited = set(members)
        while unvisited:
            start = min(unvisited)
            stack, component = [start], set()
            while stack:
                code = stack.pop()
                if code in component:
                    continue
                component.add(code)
                neighbours = graph[code].index.astype(str) if code in set(map(str, graph.unique_ids)) else []
                stack.extend(n for n in neighbours if n in members and n not in component)
            unvisited -= component
            components.append(sorted(component))
        components.sort(key=lambda c: (-len(c), c[0]))
        for number, component in enumerate(components, start=1):
            rows += [
                {"code": code, "classification": kind, "cluster": f"{label} {number}", "cluster_size": len(component)}
                for code in component
            ]
    return pd.DataFrame(rows, columns=["code", "classification", "cluster", "cluster_size"])


def gi_stability(
    values: pd.Series,
    areas: gpd.GeoDataFrame,
    seeds: tuple[int, ...] = (12345, 1, 2),
    permutations: tuple[int, ...] = (999, 9999),
    alpha: float = 0.05,
    *,
    graph: Graph | None = None,
) -> pd.DataFrame:
    """How often each area is a Gi* hot or cold spot across seeds and permutation counts.

    Returns code, runs, times_hot, times_cold, share_hot and stable_hot (hot in every run); attrs list the
    runs. A hot spot found in some runs and not others rests on the simulation's noise, not the data.
    """
    graph = queen_graph(areas) if graph is None else graph
    results = []
    runs = [(seed, count) for count in permutations for seed in seeds]
    for seed, count in runs:
        gi = getis_ord_gi_star(values, areas, permutations=count, seed=seed, alpha=alpha, graph=graph)
        results.append(gi.set_index("code")["classification"])
    table = pd.concat(results, axis=1)
    out = pd.DataFrame(
        {
            "code": table.index.astype(str),
            "runs": len(runs),
            "times_hot": (table == HOT).sum(axis=1).to_numpy(),
            "times_cold": (table == COLD).sum(axis=1).to_numpy(),
        }
    )
    out["share_hot"] = out["times_hot"] / len(runs)
    out["stable_hot"] = out["times_hot"] == len(runs)
    out.attrs["runs"] = [{"seed": seed, "permutations": count} for seed, count in runs]
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Local and global Moran's I
# --------------------------------------------------------------------------------------------------


def local_moran(
    values: pd.Series,
    areas: gpd.GeoDataFrame,
    permutations: int = 999,
    seed: int | None = 12345,
    alpha: float = 0.05,
    *,
    graph: Graph | None = None,
) -> pd.DataFrame:
    """Local Moran's I (Anselin 1995) on row-standardised queen weights, with an FDR-controlled LISA map.

    Returns one row per area with columns code, value, neighbours, island, Ii, quadrant ("High-High",
    "Low-Low", "High-Low", "Low-High": the area's value against the mean, then its neighbours'
    average; a value exactly at the mean counts as low, as in esda), p_sim (two-sided permutation
    p-value), p_fdr and cluster (the quadrant when p_fdr <= alpha, "not significant", or "island").
    """
    _check_alpha(alpha)
    prepared = _prepare(values, areas, graph, permutations)
    frame = _base_frame(prepared)
    for column in ("Ii", "p_sim", "p_fdr"):
        frame[column] = np.nan
    frame["quadrant"] = pd.Series([None] * len(frame), dtype=object)
    if prepared.subgraph is not None:
        y = prepared.values.reindex([str(c) for c in prepared.subgraph.unique_ids]).to_numpy()
        with _seeded(seed):
            stat = esda.Moran_Local(
                y,
                prepared.subgraph,
                transformation="r",
                permutations=permutations,
                seed=seed,
                n_jobs=1,
                keep_simulations=True,
            )
        ii = np.asarray(stat.Is, dtype=float)
        p_sim = _permutation_p(ii, stat.sim)
        rows = frame["code"].isin(prepared.tested).to_numpy()
        order = pd.Index([str(c) for c in prepared.subgraph.unique_ids])
        position = order.get_indexer(frame.loc[rows, "code"])
        frame.loc[rows, "Ii"] = ii[position]
        quadrant = [QUADRANTS.get(int(q)) if math.isfinite(i) else None for q, i in zip(stat.q, ii, strict=True)]
        frame.loc[rows, "quadrant"] = np.asarray(quadrant, dtype=object)[position]
        frame.loc[rows, "p_sim"] = p_sim[position]
        frame.loc[rows, "p_fdr"] = _fdr(frame.loc[rows, "p_sim"].to_numpy())
    significant = frame["p_fdr"].le(alpha) & frame["quadrant"].notna()
    frame["cluster"] = np.where(
        frame["island"], ISLAND, np.where(significant, frame["quadrant"].fillna(""), NOT_SIGNIFICANT)
    )
    frame = frame[["code", "value", "neighbours", "island", "Ii", "quadrant", "p_sim", "p_fdr", "cluster"]]
    return _attrs(
        frame,
        prepared,
        method="local Moran's I (row-standardised queen weights)",
        permutations=permutations,
        seed=seed,
        alpha=alpha,
    )


@dataclass(frozen=True)
class GlobalMoranResult:
    """Global Moran's I. `p_sim` is the two-sided permutation p-value; `z` is the permutation z-score
    ((I - mean of simulated I) / their standard deviation); `z_rand` and `p_rand` are the analytical
    z-score and two-sided p-value under the randomisation assumption."""

    I: float  # noqa: E741 -- the statistic's name
    expected_I: float
    p_sim: float
    z: float
    z_rand: float
    p_rand: float
    n: int
    islands: list[str]
    permutations: int
    seed: int | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: floats rounded (p-values to 4 significant figures), NaN as None."""
        return records.json_safe(self)


def global_moran(
    values: pd.Series,
    areas: gpd.GeoDataFrame,
    permutations: int = 999,
    seed: int | None = 12345,
    *,
    graph: Graph | None = None,
) -> GlobalMoranResult:
    """Global Moran's I on row-standardised queen weights, over the areas that have a neighbour."""
    prepared = _prepare(values, areas, graph, permutations)
    if prepared.subgraph is None:
        raise ValueError("global Moran's I needs at least 3 areas with a neighbour")
    y = prepared.values.reindex([str(c) for c in prepared.subgraph.unique_ids]).to_numpy()
    with _seeded(seed):
        stat = esda.Moran(y, prepared.subgraph, transformation="r", permutations=permutations, two_tailed=True)
    return GlobalMoranResult(
        I=float(stat.I),
        expected_I=float(stat.EI),
        p_sim=float(_permutation_p(np.atleast_1d(stat.I), np.asarray(stat.sim).reshape(-1, 1))[0]),
        z=float(stat.z_sim),
        z_rand=float(stat.z_rand),
        p_rand=float(stat.p_rand),
        n=len(prepared.tested),
        islands=list(prepared.island_codes),
        permutations=permutations,
        seed=seed,
    )


# --------------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------------


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1 (exclusive), got {alpha}")


to_records = functools.partial(records.to_records, digits=_ROUNDING)
