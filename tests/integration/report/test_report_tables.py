"""The issue-10 tables of the report (own excess, Gi* clusters and stability, every outcome, England and Wales)
against independent computations from the raw demo files (DuckDB over data/demo) and against the report HTML."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.stats.multitest import multipletests

from tests.conftest import table_rows
from vru.assessment import assess
from vru.bundle import read_bundle
from vru.profiles import get_profile
from vru.report import render_report
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.reference import load_reference

PROFILE = tuple(get_profile().police_uk_categories)


@pytest.fixture(scope="module")
def raw_lsoa_counts(demo_data: Path) -> pd.Series:
    """Profile crimes by published LSOA code over January 2023 to April 2025, straight from the csv.gz files."""
    pattern = str(demo_data / "police_uk" / "street" / "*-street.csv.gz")
    frame = duckdb.sql(
        f"""SELECT "LSOA code" AS code, count(*) AS n FROM read_csv('{pattern}', header = true, all_varchar = true)
        WHERE "Crime type" IN {PROFILE} AND "Month" BETWEEN '2023-01' AND '2025-04' GROUP BY 1"""
    ).df()
    return frame.set_index("code")["n"]


def test_own_excess_table_against_the_raw_files_and_an_independent_test(
    report, report_bundle, raw_lsoa_counts, demo_data
):
    bundle = read_bundle(report_bundle)
    lsoa = bundle.lsoa.set_index("lsoa21_code")
    # Counts: LSOAs whose code did not change in 2021 are counted straight from the raw files.
    lookup = pd.read_csv(
        Path(__file__).resolve().parents[3] / "data/demo/geography/lookup_lsoa11_lsoa21_ltla22_banes.csv.gz"
    )
    unchanged = set(lookup.loc[lookup["change_code"] == "U", "lsoa21_code"])
    assert len(unchanged) > 100
    for code in unchanged:
        assert lsoa.loc[code, "count"] == raw_lsoa_counts.get(code, 0)
    # The test, computed here with statsmodels and scipy: NB2 intercept-only with log(residents) offset,
    # one-sided upper tail, Benjamini-Hochberg; the interval by root-finding on the same distribution.
    y = lsoa["count"].to_numpy(float)
    population = lsoa["population_total"].to_numpy(float)
    rate = y.sum() / population.sum()
    expected = population * rate
    fit = NegativeBinomial(y, np.ones((len(y), 1)), loglike_method="nb2", offset=np.log(population)).fit(disp=0)
    size = 1 / fit.params[-1]
    p = stats.nbinom.sf(y - 1, size, size / (size + expected))
    p_fdr = multipletests(p, method="fdr_bh")[1]
    ours = pd.DataFrame({"count": y, "expected": expected, "ratio": y / expected, "p_fdr": p_fdr}, index=lsoa.index)
    table = {row["code"]: row for row in bundle.summary["own_excess"]["table"]}
    assert set(table) == set(lsoa.index)
    for code, row in table.items():
        assert row["expected"] == pytest.approx(ours.loc[code, "expected"], rel=1e-4)
        assert row["p_fdr"] == pytest.approx(ours.loc[code, "p_fdr"], rel=2e-2, abs=1e-4)
    high = set(ours.index[(ours["p_fdr"] <= 0.05) & (ours["ratio"] > 1)])
    assert {code for code, row in table.items() if row["high_on_its_own"]} == high
    top = ours.sort_values("p_fdr").index[0]
    count = ours.loc[top, "count"]
    mu_low = optimize.brentq(lambda mu: stats.nbinom.sf(count - 1, size, size / (size + mu)) - 0.025, 1e-6, count)
    mu_high = optimize.brentq(lambda mu: stats.nbinom.cdf(count, size, size / (size + mu)) - 0.025, count, 1e6)
    # The report's table: every LSOA, the figures formatted as printed, the priorities marked.
    html = report.html.read_text(encoding="utf-8")
    rows = {row[1]: row for row in table_rows(html, "table-own-excess")}
    assert set(rows) == set(lsoa.index)
    printed = rows[top]
    assert printed[2] == f"{int(count):,}"
    assert printed[3] == f"{ours.loc[top, 'expected']:.1f}"
    assert printed[4] == f"{ours.loc[top, 'ratio']:.2f}"
    expected_top = ours.loc[top, "expected"]
    assert printed[5] == f"{mu_low / expected_top:.2f} to {mu_high / expected_top:.2f}"
    named = {place["code"] for place in bundle.summary["priority_places"]["places"]}
    assert named and named <= high
    assert {code for code, row in rows.items() if row[7] == "yes: named as a priority"} == named
    assert all(rows[code][7] == "no" for code in set(lsoa.index) - high)
    assert ward_label_of(lsoa, top) == printed[0]


def ward_label_of(lsoa: pd.DataFrame, code: str) -> str:
    return f"{lsoa.loc[code, 'lsoa21_name'].rsplit(' ', 1)[-1]} ({lsoa.loc[code, 'ward_name']})"


def test_every_outcome_group_against_the_raw_files(report, summary, demo_data):
    pattern = str(demo_data / "police_uk" / "street" / "2023-*-street.csv.gz")
    raw = duckdb.sql(
        f"""SELECT coalesce(nullif("Last outcome category", ''), '(none)') AS outcome, count(*) AS n
        FROM read_csv('{pattern}', header = true, all_varchar = true) WHERE "Crime type" IN {PROFILE} GROUP BY 1"""
    ).df()
    distribution = summary["outcome_distribution"]
    assert distribution["year"] == "2023"
    total = int(raw["n"].sum())
    assert distribution["total"] == total
    unavailable = int(raw.loc[raw["outcome"] == "Status update unavailable", "n"].sum())
    groups = {group["outcome_group"]: group for group in distribution["groups"]}
    assert groups["status update unavailable"]["count"] == unavailable
    html = report.html.read_text(encoding="utf-8")
    rows = {row[0]: row for row in table_rows(html, "table-outcome-distribution")}
    share = unavailable / total
    low, high = stats.binomtest(unavailable, total).proportion_ci(0.95, method="exact")
    assert rows["Status update unavailable"][1:] == [
        f"{unavailable:,}",
        f"{share:.1%}",
        f"{low:.1%} to {high:.1%}",
        "a gap in the data, not an outcome",
    ]
    assert rows["All outcomes"][1] == f"{total:,}"
    assert len(rows) == len(groups) + 1  # every group, and the total
    assert "did not send police.uk an outcome" in html


@pytest.fixture(scope="module")
def bundle_9999(tmp_path_factory, demo_data: Path) -> Path:
    """B&NES at 9,999 permutations: the run in which Gi* finds hot spots (at 999 it finds none)."""
    root = tmp_path_factory.mktemp("tables-9999")
    con = connect(root / "warehouse.duckdb")
    load_reference(con, [demo_data / "geography", demo_data / "deprivation", demo_data / "population"])
    ingest(con, [demo_data / "police_uk"])
    assess(con, "E06000022", "2023-01", "2025-04", get_profile(), root / "bundle", permutations=9999)
    con.close()
    render_report(root / "bundle", root / "report", formats=("html",))
    return root


@pytest.mark.slow
def test_hot_spot_clusters_and_their_stability(bundle_9999, demo_data):
    bundle = read_bundle(bundle_9999 / "bundle")
    lsoa = bundle.lsoa.set_index("lsoa21_code")
    hot = set(lsoa.index[lsoa["hotspot"] == "hot spot"])
    assert hot, "at 9,999 permutations B&NES has hot spots"
    # Clusters, independently: hot LSOAs joined when their boundaries touch (shapely, not libpysal).
    shapes = gpd.read_file(demo_data / "geography" / "lsoa21_boundaries_banes.geojson").set_index("lsoa21_code")
    shapes = shapes.to_crs(27700)
    groups: list[set[str]] = []
    for code in sorted(hot):
        touching = [g for g in groups if any(shapes.loc[code].geometry.intersects(shapes.loc[o].geometry) for o in g)]
        merged = {code}.union(*touching)
        groups = [g for g in groups if g not in touching] + [merged]
    members = bundle.summary["hot_spot_clusters"]["clusters"]
    by_cluster: dict[str, set[str]] = {}
    for row in members:
        by_cluster.setdefault(row["cluster"], set()).add(row["code"])
    assert sorted(map(sorted, by_cluster.values())) == sorted(map(sorted, groups))
    html = (bundle_9999 / "report" / "report.html").read_text(encoding="utf-8")
    rows = table_rows(html, "table-hot-spot-clusters")
    assert len(rows) == len(members)
    own = {row["code"]: row for row in bundle.summary["own_excess"]["table"]}
    for row in rows:
        code = next(c for c in hot if ward_label_of(lsoa, c) == row[1])
        assert row[3] == f"{own[code]['excess_ratio']:.2f}"
        assert row[4].startswith("yes" if own[code]["high_on_its_own"] else "no")
    # Stability: the main run (9,999) and three other seeds at 999; each LSOA hot in the main run is counted.
    stability = bundle.summary["hot_spot_stability"]
    assert {(run["seed"], run["permutations"]) for run in stability["runs"]} == {
        (12345, 9999),
        (12346, 999),
        (12347, 999),
        (12348, 999),
    }
    printed = {row[0]: row for row in table_rows(html, "table-hot-spot-stability")}
    for code in hot:
        assert int(printed[ward_label_of(lsoa, code)][2]) >= 1
        assert printed[ward_label_of(lsoa, code)][1] == "4"
    assert "3 seeds at 999 permutations and 1 seed at 9,999 permutations" in unescape(html)


def _note_after(html: str, table_id: str) -> str:
    """The notes printed under the table with this id (up to the end of its wrapper)."""
    start = html.index(f'id="{table_id}"')
    end = html.index("</table>", start)
    return unescape(html[end : html.index("</div>", end)])


def test_category_grid_against_the_raw_files_under_the_small_number_rule(report, demo_data):
    """Every cell of the category-by-year grid is the raw files' count (DuckDB over data/demo), shown as
    "fewer than 5" from 1 to 4, and the method note is printed exactly when the grid hid a cell."""
    pattern = str(demo_data / "police_uk" / "street" / "*-street.csv.gz")
    raw = duckdb.sql(
        f"""SELECT "Crime type" AS category, substr("Month", 1, 4) AS year, count(*) AS n
        FROM read_csv('{pattern}', header = true, all_varchar = true)
        WHERE "Crime type" IN {PROFILE} AND "Month" BETWEEN '2023-01' AND '2025-04' GROUP BY 1, 2"""
    ).df()
    counts = {(row.category, row.year): int(row.n) for row in raw.itertuples()}

    def shown(n: int) -> str:
        return "fewer than 5" if 0 < n < 5 else f"{n:,}"

    html = report.html.read_text(encoding="utf-8")
    rows = table_rows(html, "table-categories")
    assert [row[0] for row in rows] == list(PROFILE)
    years = ["2023", "2024", "2025"]
    hidden = False
    for category, *cells in rows:
        expected = [counts.get((category, year), 0) for year in years]
        assert cells == [shown(n) for n in [*expected, sum(expected)]]
        hidden |= "fewer than 5" in cells
    assert ("Counts from 1 to 4 are shown as" in _note_after(html, "table-categories")) == hidden
