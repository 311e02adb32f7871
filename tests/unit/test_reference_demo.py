"""The committed demo extract (data/demo) loads, and its figures match counts made with csv and gzip."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from pathlib import Path

import pytest

from vru.warehouse import connect
from vru.warehouse.reference import load_reference, population_by_lsoa21

BANES = "E06000022"


def raw_rows(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, demo_data):
    con = connect(tmp_path_factory.mktemp("demo") / "warehouse.duckdb")
    report = load_reference(con, demo_data)
    yield con, report
    con.close()


def test_demo_files_match_their_checksums(demo_data):
    listed = [line.split("  ", 1) for line in (demo_data / "SHA256SUMS").read_text().splitlines()]
    assert len(listed) > 30
    for digest, name in listed:
        assert hashlib.sha256((demo_data / name).read_bytes()).hexdigest() == digest, name


def test_demo_extract_is_small(demo_data):
    assert sum(path.stat().st_size for path in demo_data.rglob("*") if path.is_file()) < 5_000_000


def test_demo_geography(loaded):
    con, _ = loaded
    assert con.execute("SELECT count(*) FROM ref_lsoa21_area WHERE lad_code = ?", [BANES]).fetchone()[0] == 118
    assert con.execute("SELECT count(DISTINCT ward_code) FROM ref_lsoa21_area").fetchone()[0] == 33
    layers = dict(con.execute("SELECT layer, count(*) FROM ref_boundary GROUP BY layer").fetchall())
    assert layers == {"lsoa21": 118, "ward": 33, "lad": 1}
    pfa = con.execute("SELECT pfa_name FROM ref_lad_csp_pfa WHERE lad_code = ?", [BANES]).fetchone()[0]
    assert pfa == "Avon and Somerset"
    assert con.execute("SELECT count(*) FROM ref_lad_csp_pfa").fetchone()[0] == 332


def test_demo_deprivation(loaded, demo_data):
    con, _ = loaded
    raw_2025 = raw_rows(demo_data / "deprivation/imd2025_banes_lsoa21.csv.gz")
    assert len(raw_2025) == 118
    imd_2025 = dict(
        con.execute("SELECT lsoa_code, rank FROM ref_imd WHERE edition = 2025 AND domain = 'imd'").fetchall()
    )
    assert imd_2025 == {row["lsoa21_code"]: int(row["IMD_rank"]) for row in raw_2025}
    on_2021 = con.execute("SELECT edition, count(DISTINCT lsoa21_code) FROM ref_imd_lsoa21 GROUP BY 1").fetchall()
    assert sorted(on_2021) == [(2019, 118), (2025, 118)]


def test_demo_population_is_conserved(loaded, demo_data):
    con, report = loaded
    raw = raw_rows(demo_data / "population/population20_lsoa11_single_year_of_age_banes.csv.gz")
    raw_total = sum(int(row["total_population"]) for row in raw)
    raw_10_24 = sum(int(row[str(age)]) for row in raw for age in range(10, 25))
    frame = population_by_lsoa21(con, 2020)
    assert len(frame) == 118
    assert frame["population_total"].sum() == pytest.approx(raw_total)
    assert frame["population_10_24"].sum() == pytest.approx(raw_10_24)
    (check,) = report.population_checks
    assert check.conserved and check.lsoa11_total == raw_total
