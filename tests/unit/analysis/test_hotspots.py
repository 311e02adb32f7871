"""Gi*, local and global Moran's I on hand-made grids with known answers, and once on the real B&NES data.

Grids are unit squares built with shapely.box in British National Grid metres (EPSG:27700).
"""

from __future__ import annotations

import csv
import gzip
import json
import math
from pathlib import Path

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from statsmodels.stats.multitest import multipletests

from vru.analysis import concentration
from vru.analysis.hotspots import (
    getis_ord_gi_star,
    gi_clusters,
    gi_stability,
    global_moran,
    islands,
    local_moran,
    neighbour_counts,
    queen_graph,
    to_records,
)

REPO = Path(__file__).resolve().parents[3]
BOUNDARIES = REPO / "data" / "demo" / "geography" / "lsoa21_boundaries_banes.geojson"
STREET = REPO / "data" / "demo" / "police_uk" / "street"

# esda.G_Local / Moran_Local called directly below warn that their default alternative will change.
pytestmark = pytest.mark.filterwarnings("ignore:The alternative hypothesis:DeprecationWarning")


def grid(size: int, extra: dict[str, shapely.Geometry] | None = None) -> gpd.GeoDataFrame:
    """size x size unit squares, codes R{row}C{col}, in EPSG:27700; `extra` adds named polygons."""
    codes = [f"R{r}C{c}" for r in range(size) for c in range(size)]
    boxes = [shapely.box(c, r, c + 1, r + 1) for r in range(size) for c in range(size)]
    for code, geometry in (extra or {}).items():
        codes.append(code)
        boxes.append(geometry)
    return gpd.GeoDataFrame({"code": codes, "name": codes, "geometry": boxes}, crs="EPSG:27700")


def block_values(areas: gpd.GeoDataFrame, high: float = 10.0, low: float = 1.0) -> pd.Series:
    """A 3 x 3 block of high values in the middle of a 7 x 7 grid, low values elsewhere."""
    values = pd.Series(low, index=areas["code"].tolist())
    for r in (2, 3, 4):
        for c in (2, 3, 4):
            values[f"R{r}C{c}"] = high
    return values


# ------------------------------------------------------------------------------------------------
# Neighbours and islands
# ------------------------------------------------------------------------------------------------


def test_queen_neighbour_counts_on_a_3x3_grid():
    counts = neighbour_counts(queen_graph(grid(3)))
    assert counts["R0C0"] == counts["R0C2"] == counts["R2C0"] == counts["R2C2"] == 3  # corners
    assert counts["R0C1"] == counts["R1C0"] == counts["R1C2"] == counts["R2C1"] == 5  # edges
    assert counts["R1C1"] == 8  # centre
    assert islands(queen_graph(grid(3))) == []


def test_wgs84_areas_are_projected_and_give_the_same_neighbours():
    # A 3 x 3 grid of 1 km squares in BNG, sent in as WGS84 like the real boundaries.
    areas = grid(3)
    areas["geometry"] = areas.geometry.scale(1000, 1000, origin=(0, 0)).translate(370000, 160000)
    wgs84 = areas.to_crs("EPSG:4326")
    assert neighbour_counts(queen_graph(wgs84)).to_dict() == neighbour_counts(queen_graph(areas)).to_dict()


def test_an_island_is_listed_not_dropped_and_not_tested():
    areas = grid(7, extra={"ISLAND": shapely.box(20, 20, 21, 21)})
    values = block_values(areas)
    values["ISLAND"] = 50.0
    assert islands(queen_graph(areas)) == ["ISLAND"]

    gi = getis_ord_gi_star(values, areas, permutations=99)
    island = gi.set_index("code").loc["ISLAND"]
    assert len(gi) == 50
    assert bool(island["island"]) and island["neighbours"] == 0
    assert island["classification"] == "island"
    assert math.isnan(island["gi_z"]) and math.isnan(island["p_fdr"])
    assert gi.attrs["islands"] == ["ISLAND"] and gi.attrs["n_tested"] == 49

    # The island is left out of the statistic: the others match a run without it.
    without = getis_ord_gi_star(values.drop("ISLAND"), grid(7), permutations=99)
    pd.testing.assert_frame_equal(gi[gi["code"] != "ISLAND"].reset_index(drop=True), without, check_dtype=False)

    lisa = local_moran(values, areas, permutations=99).set_index("code")
    assert lisa.loc["ISLAND", "cluster"] == "island" and lisa.loc["ISLAND", "quadrant"] is None
    assert global_moran(values, areas, permutations=99).islands == ["ISLAND"]


# ------------------------------------------------------------------------------------------------
# Getis-Ord Gi*
# ------------------------------------------------------------------------------------------------


def test_gi_star_finds_the_centre_of_a_high_block_and_matches_the_hand_formula():
    areas = grid(7)
    values = block_values(areas)
    gi = getis_ord_gi_star(values, areas).set_index("code")

    # Hand computation (Ord & Getis 1995, binary weights with self): for the centre R3C3 all nine
    # cells of its neighbourhood are 10. n = 49, mean = 130/49, s^2 = mean of squares - mean^2.
    n, w = 49, 9
    mean = (9 * 10 + 40 * 1) / n
    s = math.sqrt((9 * 100 + 40 * 1) / n - mean**2)
    z_centre = (9 * 10 - w * mean) / (s * math.sqrt((n * w - w**2) / (n - 1)))
    assert gi.loc["R3C3", "gi_z"] == pytest.approx(z_centre, rel=1e-12)
    assert gi.loc["R3C3", "gi"] == pytest.approx(90 / 130)

    assert gi.loc["R3C3", "classification"] == "hot spot"
    assert gi.loc["R3C3", "p_sim"] == pytest.approx(0.002)  # the smallest two-sided p with 999 perms
    hot = gi.index[gi["classification"] == "hot spot"]
    assert set(values[hot]) == {10.0}
    assert (gi["classification"] != "cold spot").all()
    assert gi.attrs["hot_spots"] == len(hot)


def test_gi_star_of_an_area_neighbouring_every_other_is_undefined():
    # The centre of a 3 x 3 grid touches all eight others: its G*_i is always 1, the z-score 0/0.
    areas = grid(3)
    values = pd.Series([1, 1, 1, 1, 10, 1, 1, 1, 1.0], index=areas["code"])
    gi = getis_ord_gi_star(values, areas, permutations=99).set_index("code")
    assert gi.loc["R1C1", "gi"] == pytest.approx(1.0)
    assert math.isnan(gi.loc["R1C1", "gi_z"]) and math.isnan(gi.loc["R1C1", "p_sim"])
    assert gi.loc["R1C1", "classification"] == "not significant"


def test_gi_star_z_values_equal_esda_called_directly():
    areas = grid(7)
    values = pd.Series(np.random.default_rng(3).gamma(2.0, 3.0, 49), index=areas["code"])
    gi = getis_ord_gi_star(values, areas, permutations=999, seed=7)
    direct = esda.G_Local(
        values.to_numpy(), queen_graph(areas), transform="B", star=True, permutations=999, seed=7, n_jobs=1
    )
    np.testing.assert_allclose(gi["gi_z"], direct.Zs, rtol=1e-12)
    np.testing.assert_allclose(gi["gi"], direct.Gs, rtol=1e-12)
    # No ties in continuous values: our two-sided p is exactly min(1, 2 x esda's directed p_sim).
    np.testing.assert_allclose(gi["p_sim"], np.minimum(1, 2 * direct.p_sim.astype(float)), atol=1e-6)
    # Benjamini-Hochberg over all tested areas.
    np.testing.assert_allclose(gi["p_fdr"], multipletests(gi["p_sim"], method="fdr_bh")[1])


def test_ties_are_counted_on_both_sides():
    # R0C0 and its three neighbours all hold the common low value: under permutation about half the
    # draws tie it, so it is nowhere near significant. esda's directed p_sim counts only strictly
    # smaller draws for a low value and reports the minimum, 0.001.
    areas = grid(7)
    values = block_values(areas)
    gi = getis_ord_gi_star(values, areas).set_index("code")
    direct = esda.G_Local(
        values.to_numpy(),
        queen_graph(areas),
        transform="B",
        star=True,
        permutations=999,
        seed=12345,
        n_jobs=1,
    )
    assert float(direct.p_sim[0]) == pytest.approx(0.001)
    assert gi.loc["R0C0", "p_sim"] > 0.5
    assert gi.loc["R0C0", "classification"] == "not significant"


def test_the_same_seed_gives_identical_results_and_the_callers_random_state_is_kept():
    areas = grid(7)
    values = pd.Series(np.random.default_rng(5).poisson(4, 49).astype(float), index=areas["code"])
    np.random.seed(99)
    before = np.random.get_state()[1].copy()
    first = getis_ord_gi_star(values, areas, permutations=99, seed=42)
    after = np.random.get_state()[1]
    np.testing.assert_array_equal(before, after)
    pd.testing.assert_frame_equal(first, getis_ord_gi_star(values, areas, permutations=99, seed=42))
    pd.testing.assert_frame_equal(local_moran(values, areas, seed=1), local_moran(values, areas, seed=1))
    assert global_moran(values, areas, seed=8) == global_moran(values, areas, seed=8)
    other = getis_ord_gi_star(values, areas, permutations=99, seed=43)
    assert not np.allclose(first["p_sim"], other["p_sim"], equal_nan=True)


def test_equal_values_have_no_hot_spots_and_no_clusters():
    areas = grid(4)
    values = pd.Series(2.0, index=areas["code"])
    gi = getis_ord_gi_star(values, areas, permutations=9)
    assert gi["gi_z"].isna().all() and (gi["classification"] == "not significant").all()
    lisa = local_moran(values, areas, permutations=9)
    assert (lisa["cluster"] == "not significant").all() and lisa["quadrant"].isna().all()
    json.dumps(to_records(gi) + to_records(lisa), allow_nan=False)


def test_values_must_cover_every_area_and_no_other():
    areas = grid(3)
    values = pd.Series(1.0, index=areas["code"])
    with pytest.raises(ValueError, match="no value for 1 areas"):
        getis_ord_gi_star(values.drop("R0C0"), areas, permutations=9)
    with pytest.raises(ValueError, match="not among the areas"):
        getis_ord_gi_star(pd.concat([values, pd.Series({"E01999999": 3.0})]), areas, permutations=9)
    with pytest.raises(ValueError, match="permutations"):
        getis_ord_gi_star(values, areas, permutations=0)


def test_records_are_json_safe():
    areas = grid(3, extra={"ISLAND": shapely.box(9, 9, 10, 10)})
    values = pd.Series(range(10), index=areas["code"], dtype=float)
    for frame in (
        getis_ord_gi_star(values, areas, permutations=9),
        local_moran(values, areas, permutations=9),
    ):
        text = json.dumps(to_records(frame), allow_nan=False)
        assert '"island": true' in text
    json.dumps(global_moran(values, areas, permutations=9).to_dict(), allow_nan=False)


# ------------------------------------------------------------------------------------------------
# Local and global Moran's I
# ------------------------------------------------------------------------------------------------


def test_local_moran_quadrants_clusters_and_esda_values():
    areas = grid(7)
    values = block_values(areas)
    lisa = local_moran(values, areas).set_index("code")
    direct = esda.Moran_Local(values.to_numpy(), queen_graph(areas), permutations=0)
    np.testing.assert_allclose(lisa["Ii"], direct.Is, rtol=1e-12)
    assert lisa.loc["R3C3", "quadrant"] == "High-High" and lisa.loc["R3C3", "cluster"] == "High-High"
    assert lisa.loc["R0C0", "quadrant"] == "Low-Low"
    assert lisa.loc["R2C1", "quadrant"] == "Low-High"  # low cell beside the block
    assert set(lisa.loc[lisa["cluster"] != "not significant", "quadrant"]) <= {"High-High", "Low-Low"}
    np.testing.assert_allclose(lisa["p_fdr"], multipletests(lisa["p_sim"], method="fdr_bh")[1])

    values["R0C0"] = 30.0  # one high cell among low neighbours
    assert local_moran(values, areas, permutations=99).set_index("code").loc["R0C0", "quadrant"] == "High-Low"


def test_global_moran_matches_esda_and_is_positive_for_a_clustered_pattern():
    areas = grid(7)
    values = block_values(areas)
    result = global_moran(values, areas)
    direct = esda.Moran(values.to_numpy(), queen_graph(areas), permutations=0)
    assert result.I == pytest.approx(direct.I)
    assert result.expected_I == pytest.approx(-1 / 48)
    assert result.I > 0.3 and result.z > 3 and result.p_sim == pytest.approx(0.002)
    assert result.n == 49 and result.islands == []


# ------------------------------------------------------------------------------------------------
# Real data: Bath and North East Somerset
# ------------------------------------------------------------------------------------------------


def test_real_banes_violence_hot_spots_and_concentration():
    areas = gpd.read_file(BOUNDARIES).rename(columns={"lsoa21_code": "code", "lsoa21_name": "name"})
    assert len(areas) == 118
    codes = set(areas["code"])
    counts = dict.fromkeys(sorted(codes), 0)
    dropped = 0
    files = sorted(STREET.glob("*.csv.gz"))
    for path in files:
        with gzip.open(path, "rt", newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["Crime type"] != "Violence and sexual offences":
                    continue
                if row["LSOA code"] in codes:
                    counts[row["LSOA code"]] += 1
                else:  # 2011 codes in early 2023 files (E01014379, E01014402, E01014475) and blanks
                    dropped += 1
    values = pd.Series(counts, dtype=float)

    graph = queen_graph(areas)
    gi = getis_ord_gi_star(values, areas, graph=graph)
    direct = esda.G_Local(values.reindex(areas["code"]).to_numpy(), graph, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(gi["gi_z"], direct.Zs, rtol=1e-12)
    assert gi["code"].tolist() == areas["code"].tolist()
    gi_9999 = getis_ord_gi_star(values, areas, permutations=9999, graph=graph)
    lisa = local_moran(values, areas, graph=graph)
    moran = global_moran(values, areas, graph=graph)

    shares = concentration.concentration_shares(values)
    gini = concentration.gini(values)
    assert 0 < gini < 1
    assert 0 < shares["groups"][0]["share_of_incidents"] <= shares["groups"][1]["share_of_incidents"] <= 1

    top = gi.sort_values("gi_z", ascending=False).head(5)
    hot_9999 = ", ".join(gi_9999.loc[gi_9999["classification"] == "hot spot", "code"])
    print(
        f"\nB&NES 'Violence and sexual offences', {len(files)} monthly files: {int(values.sum())} in the 118 "
        f"LSOAs ({dropped} rows dropped: other or missing LSOA codes); islands: {islands(graph)}"
    )
    print(
        f"Gi* (999 perms, seed 12345, FDR 0.05): {gi.attrs['hot_spots']} hot spots, "
        f"{gi.attrs['cold_spots']} cold spots; with 9999 perms: {gi_9999.attrs['hot_spots']} hot, "
        f"{gi_9999.attrs['cold_spots']} cold ({hot_9999})"
    )
    print(
        "top gi_z:",
        ", ".join(f"{r.code} {r.value:.0f} z={r.gi_z:.2f} p={r.p_sim:.3f}" for r in top.itertuples()),
    )
    print(f"LISA clusters: {lisa['cluster'].value_counts().to_dict()}; global Moran: {moran.to_dict()}")
    print(
        "concentration: "
        + "; ".join(
            f"top {g['share_of_units']:.0%} ({g['units']} LSOAs) hold {g['share_of_incidents']:.1%}"
            for g in shares["groups"]
        )
        + f"; Gini {gini:.3f}"
    )


# ------------------------------------------------------------------------------------------------
# Direction from the significant tail, clusters, stability


def test_direction_comes_from_the_significant_tail_not_the_z_score_sign():
    # One very busy area (1,000) whose eight neighbours have none, in a grid of 10s. Its z-score is
    # positive (it includes its own value) but the permutation test, which holds that value fixed, finds
    # its neighbourhood unusually LOW: it is not a hot spot of neighbourhoods (the old rule said it was).
    areas = grid(7)
    values = pd.Series(10.0, index=areas["code"].tolist())
    for r in (2, 3, 4):
        for c in (2, 3, 4):
            values[f"R{r}C{c}"] = 0.0
    values["R3C3"] = 1000.0
    gi = getis_ord_gi_star(values, areas, permutations=999, seed=1, alpha=0.10).set_index("code")
    assert gi.loc["R3C3", "gi_z"] > 0
    assert gi.loc["R3C3", "tail"] == -1
    assert gi.loc["R3C3", "p_fdr"] <= 0.10
    assert gi.loc["R3C3", "classification"] == "cold spot"


def test_contiguous_hot_spots_form_one_cluster():
    areas = grid(7)
    graph = queen_graph(areas)
    values = block_values(areas)
    gi = getis_ord_gi_star(values, areas, permutations=999, seed=12345, graph=graph)
    clusters = gi_clusters(gi, graph)
    hot = clusters[clusters["classification"] == "hot spot"]
    assert set(hot["cluster"]) == {"hot 1"}
    assert set(hot["code"]) == set(gi.loc[gi["classification"] == "hot spot", "code"])
    assert {"R2C3", "R3C2", "R3C3", "R3C4", "R4C3"} <= set(hot["code"]) and hot["cluster_size"].iloc[0] == len(hot)


def test_stability_counts_runs_over_seeds_and_permutations():
    areas = grid(7)
    values = block_values(areas)
    table = gi_stability(values, areas, seeds=(1, 2), permutations=(999, 1999)).set_index("code")
    assert table.attrs["runs"] == [
        {"seed": 1, "permutations": 999},
        {"seed": 2, "permutations": 999},
        {"seed": 1, "permutations": 1999},
        {"seed": 2, "permutations": 1999},
    ]
    assert (table["runs"] == 4).all()
    # Independently: run each setting and count the hot spots by hand.
    hot_counts = pd.Series(0, index=table.index)
    for run in table.attrs["runs"]:
        gi = getis_ord_gi_star(values, areas, permutations=run["permutations"], seed=run["seed"]).set_index("code")
        hot_counts += (gi["classification"] == "hot spot").astype(int)
    assert table["times_hot"].tolist() == hot_counts.reindex(table.index).tolist()
    assert (table["stable_hot"] == (hot_counts == 4)).all()
    assert table.loc["R0C0", "times_hot"] == 0


def test_tail_counts_follow_numpy_isclose_ties_exactly():
    """The permutation tails are counted with two comparisons (speed); they must equal the rule written with
    numpy.isclose (a simulated value within rtol 1e-9, atol 1e-12 of the observed one is a tie, counted on
    both sides), including exact ties of counts and values a hair either side of the tolerance."""
    from vru.analysis.hotspots import _tail_counts

    rng = np.random.default_rng(3)
    observed = rng.poisson(5, 40).astype(float)
    simulated = rng.poisson(5, (500, 40)).astype(float)
    simulated[:5] = observed * (1 + 5e-10)  # within the tolerance: ties
    simulated[5:10] = observed * (1 + 5e-9) + 1e-11  # outside it: strictly above
    tie = np.isclose(simulated, observed, rtol=1e-9, atol=1e-12)
    greater, lesser, permutations = _tail_counts(observed, simulated)
    assert permutations == 500
    np.testing.assert_array_equal(greater, ((simulated > observed) | tie).sum(axis=0))
    np.testing.assert_array_equal(lesser, ((simulated < observed) | tie).sum(axis=0))
