"""The real partner publications in ../shared/data/partner_la, loaded with `vru partner`'s loader: rows
per source and period equal independent counts of the raw files (plain csv, pyarrow, python-calamine
reads, written here without the loader's code), markers are kept as published (never zero), and
B&NES figures equal values read directly from the files (and quoted in partner_la's PROVENANCE.md).

Skips with a reason when the shared data is absent; fails instead in CI (CI=true)."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import python_calamine

from vru.warehouse import connect
from vru.warehouse.partner import load_partner_tables
from vru.warehouse.partner_indicators import neighbours_of

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
BANES = "E06000022"
C3 = "c3_factors_identified_at_end_of_assessment_2018_to_2023.csv"
EES_GEOGRAPHY = {"time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
                 "region_name", "old_la_code", "new_la_code", "la_name"}  # fmt: skip


@pytest.fixture(scope="module")
def partner_la(shared_data) -> Path:
    return shared_data / "partner_la"


@pytest.fixture(scope="module")
def warehouse(partner_la, tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("partner") / "w.duckdb")
    report = load_partner_tables(con, [partner_la])
    yield con, report
    con.close()


def loaded_counts(con, source_file: str) -> Counter:
    rows = con.execute(
        "SELECT period, count(*) FROM partner_indicator WHERE source_file = ? GROUP BY period", [source_file]
    ).fetchall()
    return Counter(dict(rows))


def csv_rows(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def academic(period: str) -> str:
    return f"{period[:4]}/{period[4:]}" if len(period) == 6 else period


# file, value columns per row (None: every column that is not geography, less those named)
EES_FILES = {
    "children_social_care/cla_number_and_rate_per_10k_children.csv": 1,
    "children_social_care/la_conviction_health_outcome_cla.csv.gz": 1,
    "children_social_care/la_children_who_were_missing_or_away_from_placement_without_authorisation.csv.gz": 1,
    "children_social_care/permanent_exclusions_and_suspensions_la.csv": 2,  # exclusion and suspension %
    "children_social_care/c3_factors_identified_at_end_of_assessment_2018_to_2023.csv": {
        "category", "Episodes_with_assessment_factor"
    },
    "neet/UD_NEETNK_LA_dashboard_final.csv": {"Age"},
    "neet/UD_NEETNK_LA_dashboard_2023_final.csv": {"Age"},
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EES_FILES))
def test_dfe_files_rows_per_year_equal_independent_counts(warehouse, partner_la, name):
    con, _ = warehouse
    rows = csv_rows(partner_la / name)
    spec = EES_FILES[name]
    per_row = spec if isinstance(spec, int) else len([c for c in rows[0] if c not in EES_GEOGRAPHY | spec])
    expected = Counter()
    for row in rows:
        expected[academic(row["time_period"])] += per_row
    assert loaded_counts(con, Path(name).name) == expected


def test_lait_rows_per_year_and_markers_equal_a_pyarrow_read(warehouse, partner_la):
    con, _ = warehouse
    table = pq.read_table(partner_la / "lait" / "bds_long_0.parquet", columns=["Years", "Values"]).to_pydict()
    assert loaded_counts(con, "bds_long_0.parquet") == Counter(table["Years"])
    dashes = sum(1 for value in table["Values"] if value == "-")
    (markers,) = con.execute(
        "SELECT count(*) FROM partner_indicator WHERE source = 'dfe_lait' AND marker = '-' AND value IS NULL"
    ).fetchone()
    assert markers == dashes == 93_883


def test_homicide_rows_per_period_equal_a_csv_read(warehouse, partner_la):
    con, _ = warehouse
    rows = csv_rows(partner_la / "crime" / "homicide-offences.csv")
    (loaded,) = con.execute("SELECT count(*) FROM partner_indicator WHERE source = 'ons_homicide'").fetchone()
    assert loaded == len(rows) == 504
    avon = dict(
        con.execute(
            "SELECT year, value FROM partner_indicator WHERE source = 'ons_homicide' AND area_code = 'E23000036'"
        ).fetchall()
    )
    raw = {int(r["period"][:4]) + 3: float(r["observation"]) for r in rows if r["areacd"] == "E23000036"}
    assert avon == raw and len(avon) == 9
    assert round(avon[2017], 1) == 6.4 and round(avon[2025], 1) == 10.8  # PROVENANCE.md


def test_licensing_rows_per_year_equal_a_calamine_read(warehouse, partner_la):
    con, _ = warehouse
    book = python_calamine.CalamineWorkbook.from_path(
        partner_la / "licensing" / "alcohol_latr_night_licensing_tables_2022.ods"
    )
    expected = Counter()
    for sheet in book.sheet_names:
        if not sheet.startswith("Table_") or sheet == "Table_1":
            continue
        cells = book.get_sheet_by_name(sheet).to_python()
        header = cells[7]
        first_value = 4 if str(header[3]).strip() == "Total/CIA" else 3
        for row in cells[8:]:
            year, authority = str(row[0]).strip(), str(row[2]).strip()
            if len(year) == 7 and year[4] == "/" and authority not in ("", "Inner Temple", "Middle Temple"):
                expected[year] += len(header) - first_value
    assert loaded_counts(con, "alcohol_latr_night_licensing_tables_2022.ods") == expected
    # PROVENANCE.md: B&NES, Table 2, 864 premises licences at 31 March 2022.
    (premises,) = con.execute(
        "SELECT value FROM partner_indicator WHERE area_code = ? AND period = '2021/22' "
        "AND indicator = 'Table 2: Total Premises licences'",
        [BANES],
    ).fetchone()
    assert premises == 864


def test_markers_are_kept_never_zero(warehouse, partner_la):
    con, _ = warehouse
    rows = csv_rows(partner_la / "children_social_care" / C3)
    not_factors = EES_GEOGRAPHY | {"category", "Episodes_with_assessment_factor"}  # the denominator is no factor
    raw = Counter(
        value for row in rows for column, value in row.items() if column not in not_factors and value in ("c", "x", "z")
    )
    loaded = dict(
        con.execute(
            "SELECT marker, count(*) FROM partner_indicator "
            "WHERE source = 'dfe_cin_factors' AND value IS NULL GROUP BY 1"
        ).fetchall()
    )
    assert loaded == dict(raw)
    (zero_for_marker,) = con.execute(
        "SELECT count(*) FROM partner_indicator WHERE marker IS NOT NULL AND value = 0"
    ).fetchone()
    assert zero_for_marker == 0


def test_banes_figures_equal_the_source_files(warehouse, partner_la):
    con, _ = warehouse

    def value(source: str, indicator: str, period: str):
        return con.execute(
            "SELECT value, numerator, denominator, marker FROM partner_indicator "
            "WHERE source = ? AND indicator = ? AND period = ? AND area_code = ?",
            [source, indicator, period, BANES],
        ).fetchone()

    raw_c3 = next(r for r in csv_rows(partner_la / "children_social_care" / C3)
                  if r["new_la_code"] == BANES and r["time_period"] == "2023")  # fmt: skip
    for factor in ("Gangs", "Child_criminal_exploitation", "Child_sexual_exploitation", "Going_missing"):
        got = value("dfe_cin_factors", factor, "2023")
        assert got[0] == float(raw_c3[factor]) and got[2] == float(raw_c3["Episodes_with_assessment_factor"])
    assert value("dfe_cin_factors", "Gangs", "2023")[0] == 37  # PROVENANCE.md
    assert value("dfe_cin_factors", "Child_criminal_exploitation", "2018")[3] == "x"  # not collected
    assert value("dfe_cla", "Children looked after at 31 March each year", "2024")[:2] == (60, 218)
    lait = pq.read_table(partner_la / "lait" / "bds_long_0.parquet").to_pandas()
    first_time = lait[(lait["Short Desc"] == "FirstYJS") & (lait["LA Number"] == 800)].set_index("Years")["Values"]
    assert value("dfe_lait", "FirstYJS", "2024")[0] == float(first_time["2024"]) == 89
    assert value("dfe_lait", "FirstYJS", "2021")[3] == first_time["2021"] == "-"
    assert value("dfe_neet", "NEET_percent", "2025")[0] == 2.3


def test_banes_statistical_neighbours_are_dfe_s(warehouse):
    con, _ = warehouse
    assert neighbours_of(con, BANES)[:3] == ["E06000014", "E08000009", "E10000015"]  # York, Trafford, Herts
    assert len(neighbours_of(con, BANES)) == 10


def test_loading_again_replaces_and_changes_nothing(warehouse, partner_la):
    con, report = warehouse
    before = con.execute("SELECT count(*), sum(value) FROM partner_indicator WHERE source = 'dfe_neet'").fetchone()
    again = load_partner_tables(con, [partner_la / "neet"])
    assert [load.replaced_rows for load in again.indicators] == [load.rows for load in again.indicators]
    assert (
        con.execute("SELECT count(*), sum(value) FROM partner_indicator WHERE source = 'dfe_neet'").fetchone() == before
    )
