"""The risk-factor chapters for B&NES from the committed demo extract (data/demo/partner_la; never skips):
every figure equals a value read directly from the demo files with pyarrow and csv, the neighbours'
median is recomputed here with `statistics.median`, and the factors that stand out are the ones the
test decides (checked against a by-hand count of years above the neighbours)."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from vru.assessment.partner_factors import partner_factor_chapters, summary_sentence
from vru.warehouse import connect
from vru.warehouse.partner import load_partner_tables

ROOT = Path(__file__).resolve().parents[3]
BANES = "E06000022"


@pytest.fixture(scope="module")
def chapters(demo_data, tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("factors") / "w.duckdb")
    load_partner_tables(con, [demo_data / "partner_la"])
    yield partner_factor_chapters(con, BANES)
    con.close()


@pytest.fixture(scope="module")
def lait(demo_data):
    return pq.read_table(demo_data / "partner_la" / "lait" / "bds_long_0.parquet").to_pandas()


@pytest.fixture(scope="module")
def neighbour_numbers():
    with (ROOT / "src/vru/sources/dfe_statistical_neighbours_2025.csv").open() as handle:
        codes = [row["neighbour_code"] for row in csv.DictReader(handle) if row["area_code"] == BANES]
    with (ROOT / "src/vru/sources/partner_area_lookup.csv").open() as handle:
        number = {
            row["area_code"]: float(row["key"]) for row in csv.DictReader(handle) if row["scheme"] == "dfe_la_number"
        }
    return [number[code] for code in codes]


def factor(chapters, indicator):
    return next(
        f for chapter in chapters["chapters"].values() for f in chapter["factors"] if f["indicator"] == indicator
    )


@pytest.mark.parametrize("indicator", ["TotFixedEx", "FirstYJS", "Hosp_Adm_Alc_<18yrs", "16-17 NEET"])
def test_lait_figures_equal_the_demo_file(chapters, lait, neighbour_numbers, indicator):
    rows = lait[lait["Short Desc"] == indicator]
    got = factor(chapters, indicator)
    above = compared = 0
    for year in got["years"]:
        period_rows = rows[rows["Years"] == year["period"]]
        own = period_rows[period_rows["LA Number"] == 800]["Values"].iloc[0]
        england = period_rows[period_rows["LA Number"] == 970]["Values"]
        if own == "-":
            assert year["area"] is None and year["area_marker"] == "-"
        else:
            assert year["area"] == pytest.approx(float(own))
        if not england.empty and england.iloc[0] != "-":
            assert year["england"] == pytest.approx(float(england.iloc[0]))
        published = [
            float(v) for v in period_rows[period_rows["LA Number"].isin(neighbour_numbers)]["Values"] if v != "-"
        ]
        if published:
            median = statistics.median(published)
            assert year["neighbour_median"] == pytest.approx(median)
            if own != "-" and float(own) != median:
                compared += 1
                above += float(own) > median
    assert (got["years_compared"], got["years_above"]) == (compared, above)


def test_social_care_factors_are_shares_of_assessments_from_the_csv(chapters, demo_data):
    import gzip

    path = demo_data / "partner_la/children_social_care/c3_factors_identified_at_end_of_assessment_2018_to_2023.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8-sig") as handle:
        raw = [row for row in csv.DictReader(handle) if row["new_la_code"] == BANES]
    gangs = {year["year"]: year["area"] for year in factor(chapters, "Gangs")["years"]}
    for row in raw:
        assert gangs[int(row["time_period"])] == pytest.approx(
            100 * int(row["Gangs"]) / int(row["Episodes_with_assessment_factor"])
        )
    cce = {year["year"]: year for year in factor(chapters, "Child_criminal_exploitation")["years"]}
    assert cce[2018]["area"] is None  # "x" in the file: not collected before 2022, not zero


def test_what_stands_out_and_the_summary_sentence(chapters):
    standouts = {f["indicator"] for f in chapters["standouts"]}
    # Each is above the neighbours' median in all 9 years (p = 2 x 0.5^9 = 0.0039; BH over 18 factors).
    assert standouts == {"TotFixedEx", "TotPermEx", "Hosp_Adm_Alc_<18yrs", "CINFixedExclusion"}
    for f in chapters["standouts"]:
        assert (f["years_compared"], f["years_above"], f["worse"]) == (9, 9, True)
        assert f["adjusted_p_value"] <= 0.05
    sentence = summary_sentence(chapters["standouts"][0], chapters["area_name"])
    assert "in 9 of 9 years (worse)" in sentence and "Department for Education" in sentence
    not_standing_out = factor(chapters, "FirstYJS")
    assert not not_standing_out["stands_out"]


def test_every_factor_carries_its_source_date_and_definition(chapters):
    for chapter in chapters["chapters"].values():
        for f in chapter["factors"]:
            assert f["publication"] and f["unit"]
            if f["source"] == "dfe_lait":
                assert f["definition"] and f["updated"]
    assert [n["name"] for n in chapters["neighbours"]][:2] == ["York", "Trafford"]


def test_licensing_per_10000_residents_from_the_demo_cut(chapters, demo_data):
    """Licences per 10,000 residents: the demo cut of the Home Office tables (plain csv) over the packaged
    mid-2020 populations; the neighbours that license alone shown one by one, their median recomputed, and
    the sign test's counts by hand. Counties (Hertfordshire ...) license by district: no figure."""
    import gzip

    with (ROOT / "src/vru/sources/local_authority_population_mid2020.csv").open(encoding="utf-8") as handle:
        population = {row["area_name"]: int(row["population"]) for row in csv.DictReader(handle)}
    path = demo_data / "partner_la/licensing/alcohol_latr_night_licensing_tables_2022_table_2.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        cells = {(row[0], row[2]): row[3] for row in list(csv.reader(handle))[8:]}
    got = factor(chapters, "Table 2: Total Premises licences")
    assert [f["name"] for f in got["neighbour_figures"]] == [
        "York", "Trafford", "Stockport", "Kingston upon Thames", "Buckinghamshire",
    ]  # fmt: skip
    above = compared = 0
    for year in got["years"]:
        own = int(cells[(year["period"], "Bath & North East Somerset")]) / population["Bath and North East Somerset"]
        assert year["area"] == pytest.approx(own * 10_000)
        rates = [
            int(cells[(year["period"], name)]) / population[name] * 10_000
            for name in ("York", "Trafford", "Stockport", "Kingston upon Thames", "Buckinghamshire")
            if cells.get((year["period"], name), "x") != "x"
        ]
        assert year["neighbour_median"] == pytest.approx(statistics.median(rates))
        compared += 1
        above += own * 10_000 > statistics.median(rates)
    assert [year["period"] for year in got["years"]] == [
        "2011/12", "2012/13", "2013/14", "2015/16", "2016/17", "2017/18", "2021/22",
    ]  # fmt: skip
    assert (got["years_compared"], got["years_above"]) == (compared, above) == (7, 7)
    # 7 of 7 above: p = 2 x 0.5^7 = 0.016, but not once adjusted for the 20 factors compared (Benjamini-Hochberg).
    assert got["p_value"] == pytest.approx(2 * 0.5**7) and not got["stands_out"]
    assert got["polarity"] is None and got["worse"] is None  # the publisher does not judge, nor do we
    assert got["unit"] == "per 10,000 residents (mid-2020 population)"
    assert "Table 2: Total Premises licences" in got["definition"]
