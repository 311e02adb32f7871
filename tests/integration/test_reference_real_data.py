"""The real reference files in ../shared/data: warehouse figures equal figures computed independently from
the raw files with the csv and gzip modules; and the demo extract rebuilds byte for byte."""

from __future__ import annotations

import csv
import gzip
import io
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from vru.warehouse import connect
from vru.warehouse.reference import load_reference, population_by_lsoa21

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
REPO_ROOT = Path(__file__).resolve().parents[2]
BANES = "E06000022"


def raw_rows(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def raw(shared_data):
    geography, deprivation = shared_data / "geography", shared_data / "deprivation"
    return {
        "lsoa_lookup": raw_rows(geography / "lookup_lsoa11_lsoa21_ltla22_EW.csv.gz"),
        "area": raw_rows(geography / "lookup_lsoa21_ward24_ltla24_EW.csv.gz"),
        "csp": raw_rows(geography / "lookup_ltla24_csp24_pfa24_EW.csv"),
        "imd2019": raw_rows(deprivation / "imd2019_england_lsoa11.csv.gz"),
        "imd2025": raw_rows(deprivation / "imd2025_england_lsoa21.csv.gz"),
        "population": raw_rows(shared_data / "population" / "population20_lsoa11_single_year_of_age_EW.csv.gz"),
    }


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, shared_data):
    con = connect(tmp_path_factory.mktemp("reference") / "warehouse.duckdb")
    folders = [shared_data / name for name in ("geography", "deprivation", "population")]
    report = load_reference(con, folders)
    yield con, report
    con.close()


def banes_lsoa21(raw) -> set[str]:
    return {row["lsoa21_code"] for row in raw["area"] if row["ltla24_code"] == BANES}


def test_lookup_counts(loaded, raw):
    con, _ = loaded
    assert con.execute("SELECT count(*) FROM ref_lsoa11_lsoa21").fetchone()[0] == len(raw["lsoa_lookup"]) == 35_795
    assert con.execute("SELECT count(*) FROM ref_lsoa21_area").fetchone()[0] == len(raw["area"]) == 35_672
    banes = con.execute("SELECT count(*) FROM ref_lsoa21_area WHERE lad_code = ?", [BANES]).fetchone()[0]
    assert banes == len(banes_lsoa21(raw)) == 118
    assert con.execute("SELECT count(*) FROM ref_lad_csp_pfa").fetchone()[0] == len(raw["csp"]) == 332


def test_boundaries(loaded):
    con, _ = loaded
    layers = dict(con.execute("SELECT layer, count(*) FROM ref_boundary GROUP BY layer").fetchall())
    # The B&NES and Avon and Somerset LSOA 2021 files overlap and agree: 1,038 distinct LSOAs.
    assert layers == {"lsoa21": 1038, "lsoa11": 1005, "ward": 185, "lad": 5, "pfa": 1}


def test_population_total_is_conserved_for_england_and_wales(loaded, raw):
    con, report = loaded
    raw_total = sum(int(row["total_population"]) for row in raw["population"])
    assert raw_total == 59_719_724
    total = con.execute("SELECT sum(population) FROM ref_population_age WHERE year = 2020").fetchone()[0]
    assert total == pytest.approx(raw_total, abs=1e-3)
    (check,) = report.population_checks
    assert check.conserved and (check.lsoa11_areas, check.lsoa21_areas) == (34_753, 35_672)


def test_banes_population_from_the_raw_file_equals_the_apportioned_lsoa21_sum(loaded, raw):
    con, _ = loaded
    banes_21 = banes_lsoa21(raw)
    banes_11 = {row["lsoa11_code"] for row in raw["lsoa_lookup"] if row["lsoa21_code"] in banes_21}
    assert len(banes_11) == 115
    rows_11 = [row for row in raw["population"] if row["lsoa11_code"] in banes_11]
    raw_total = sum(int(row["total_population"]) for row in rows_11)
    raw_10_24 = sum(int(row[str(age)]) for row in rows_11 for age in range(10, 25))
    assert (raw_total, raw_10_24) == (196_357, 45_312)
    frame = population_by_lsoa21(con, 2020)
    banes = frame[frame["lsoa21_code"].isin(banes_21)]
    assert len(banes) == 118
    assert banes["population_total"].sum() == pytest.approx(raw_total)
    assert banes["population_10_24"].sum() == pytest.approx(raw_10_24)


def test_imd_2025_for_banes(loaded, raw):
    con, _ = loaded
    banes_21 = banes_lsoa21(raw)
    expected = {row["lsoa21_code"]: int(row["IMD_rank"]) for row in raw["imd2025"] if row["lsoa21_code"] in banes_21}
    assert len(expected) == 118
    stored = dict(
        con.execute(
            """SELECT i.lsoa_code, i.rank
               FROM ref_imd AS i JOIN ref_lsoa21_area AS a ON a.lsoa21_code = i.lsoa_code
               WHERE i.edition = 2025 AND i.domain = 'imd' AND a.lad_code = ?""",
            [BANES],
        ).fetchall()
    )
    assert stored == expected


def test_imd_2019_from_file_1_and_the_csv_agree(loaded, raw):
    con, report = loaded
    (imd,) = [load for load in report.tables if load.table == "ref_imd"]
    assert sorted(Path(source.path).name for source in imd.sources) == [
        "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx",
        "imd2019_england_lsoa11.csv.gz",
        "imd2025_england_lsoa21.csv.gz",
    ]
    counts = dict(con.execute("SELECT edition, count(*) FROM ref_imd WHERE domain = 'imd' GROUP BY 1").fetchall())
    assert counts == {2019: len(raw["imd2019"]), 2025: len(raw["imd2025"])} == {2019: 32_844, 2025: 33_755}


def test_imd_2019_on_lsoa_2021_uses_the_most_deprived_parent(loaded, raw):
    con, _ = loaded
    rank_2019 = {row["lsoa11_code"]: int(row["IMD_rank"]) for row in raw["imd2019"]}
    parents = defaultdict(list)
    for row in raw["lsoa_lookup"]:
        if row["lsoa11_code"] in rank_2019:
            parents[row["lsoa21_code"]].append(rank_2019[row["lsoa11_code"]])
    expected = {code: min(ranks) for code, ranks in parents.items()}
    stored = dict(
        con.execute("SELECT lsoa21_code, rank FROM ref_imd_lsoa21 WHERE edition = 2019 AND domain = 'imd'").fetchall()
    )
    assert stored == expected
    # The English merged and complex LSOAs 2021 (several parents) are all checked.
    assert sum(len(ranks) > 1 for ranks in parents.values()) == 100


def test_demo_extract_rebuilds_byte_for_byte(tmp_path, shared_data):
    committed = REPO_ROOT / "data" / "demo"
    out = tmp_path / "demo"
    subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "scripts" / "build_demo_data.py"),
            "--shared",
            str(shared_data),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    listed = [line.split("  ", 1)[1] for line in (committed / "SHA256SUMS").read_text().splitlines()]
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()) == sorted(
        [*listed, "SHA256SUMS"]
    )
    for name in [*listed, "SHA256SUMS"]:
        assert (out / name).read_bytes() == (committed / name).read_bytes(), name
