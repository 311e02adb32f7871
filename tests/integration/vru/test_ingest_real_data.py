"""The real Avon and Somerset street files: warehouse counts equal counts made independently from the raw
files with the csv module, for the whole force and for Bath and North East Somerset."""

from __future__ import annotations

import csv
import gzip
import io
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from vru.warehouse import connect
from vru.warehouse.coverage import coverage_report
from vru.warehouse.ingest import ingest

pytestmark = pytest.mark.shared_data
BANES_NAME_PREFIX = "Bath and North East Somerset"

# Published in shared/data/PROVENANCE.md, counted there when the files were collected.
PROVENANCE_BANES_ROWS = {"2023-01": 1018, "2024-05": 1560, "2025-04": 1398}
PROVENANCE_BANES_VIOLENCE = {"2023-01": 367, "2024-05": 610, "2025-04": 493}


def raw_counts(files: list[Path]) -> tuple[Counter, Counter]:
    """(force-wide, B&NES-by-LSOA-name) counts per (month, crime type), straight from the gzip files."""
    force_wide, banes = Counter(), Counter()
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = (row["Month"], row["Crime type"])
                force_wide[key] += 1
                if row["LSOA name"].startswith(BANES_NAME_PREFIX):
                    banes[key] += 1
    return force_wide, banes


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, street_files, shared_data):
    from vru.warehouse.reference import load_reference

    con = connect(tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb")
    load_reference(con, [shared_data / "geography"])
    report = ingest(con, street_files)
    return con, report


@pytest.fixture(scope="module")
def independent(street_files):
    return raw_counts(street_files)


def warehouse_counts(con, where: str = "") -> Counter:
    rows = con.execute(
        f"SELECT strftime(month, '%Y-%m'), crime_type, count(*) FROM street_crime {where} GROUP BY ALL"
    ).fetchall()
    return Counter({(month, crime_type): count for month, crime_type, count in rows})


def test_all_26_files_and_387015_rows_load(loaded, street_files):
    con, report = loaded
    assert len(street_files) == 26
    assert report.rows_loaded == 387_015
    assert report.rows_quarantined == 0


def test_force_counts_per_month_and_crime_type_equal_the_raw_files(loaded, independent):
    con, _ = loaded
    assert warehouse_counts(con) == independent[0]


def test_banes_counts_per_month_and_crime_type_equal_the_raw_files(loaded, independent):
    con, _ = loaded
    coverage = coverage_report(con, "E06000022")
    from_coverage = Counter({(row["month"], row["crime_type"]): row["rows"] for row in coverage["rows"]})
    assert from_coverage == independent[1]
    per_month = Counter()
    for (month, _), count in independent[1].items():
        per_month[month] += count
    for month, rows in PROVENANCE_BANES_ROWS.items():
        assert per_month[month] == rows
        assert from_coverage[(month, "Violence and sexual offences")] == PROVENANCE_BANES_VIOLENCE[month]
    assert coverage["area"]["lsoa21_count"] == 118


def test_2011_codes_in_banes_are_mapped_to_their_2021_children(loaded):
    con, _ = loaded
    mapped = con.execute(
        """
        SELECT lsoa_code, lsoa21_code, lsoa21_method, count(*) FROM street_crime
        WHERE lsoa_code IN ('E01014379', 'E01014402', 'E01014475') GROUP BY ALL ORDER BY ALL
        """
    ).fetchall()
    children = {
        "E01014379": {"E01035209", "E01035210"},
        "E01014402": {"E01035205", "E01035206"},
        "E01014475": {"E01035207", "E01035208"},
    }
    assert mapped, "the 2023 files hold B&NES rows with 2011 codes"
    for parent, child, method, _ in mapped:
        assert child in children[parent]
        assert method.startswith("split-")


def test_coverage_reports_the_two_missing_months(loaded):
    con, _ = loaded
    coverage = coverage_report(con)
    assert coverage["months"]["missing"] == ["2024-07", "2024-08"]
    assert coverage["months"]["first"] == "2023-01" and coverage["months"]["last"] == "2025-04"
    no_location = sum(unit["rows_without_location"] for unit in coverage["units"])
    assert no_location == independent_no_location(coverage)


def independent_no_location(coverage) -> int:
    total = 0
    for unit in coverage["units"]:
        with gzip.open(unit["source_file"], "rt", encoding="utf-8", newline="") as handle:
            total += sum(1 for row in csv.DictReader(handle) if not row["LSOA code"])
    return total


def test_reingest_is_idempotent_and_replaces_units(tmp_path, street_files):
    con = connect(tmp_path / "warehouse.duckdb")
    ingest(con, street_files[:3])
    first = con.execute("SELECT count(*) FROM street_crime").fetchone()[0]
    ingest(con, street_files[:3])
    ingest(con, street_files[1:2])
    assert con.execute("SELECT count(*) FROM street_crime").fetchone()[0] == first
    assert con.execute("SELECT count(*) FROM ingest_unit").fetchone()[0] == 3
    shas = con.execute("SELECT source_sha256 FROM ingest_unit ORDER BY month").fetchall()
    import hashlib

    assert [sha for (sha,) in shas] == [hashlib.sha256(path.read_bytes()).hexdigest() for path in street_files[:3]]


KILL_SCRIPT = """
import sys
from vru.warehouse import connect
from vru.warehouse.ingest import ingest

def on_progress(files_done, rows_done):
    print("progress", files_done, flush=True)
    sys.stdin.readline()  # wait here, mid-transaction, until the test has killed us

con = connect(sys.argv[1])
ingest(con, sys.argv[2:], on_progress=on_progress)
print("finished", flush=True)
"""


def test_sigkill_mid_ingest_leaves_the_earlier_state_readable(tmp_path, street_files):
    path = tmp_path / "warehouse.duckdb"
    con = connect(path)
    ingest(con, street_files[:2])
    before = con.execute("SELECT strftime(month, '%Y-%m'), count(*) FROM street_crime GROUP BY 1 ORDER BY 1").fetchall()
    con.close()

    child = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(path), *map(str, street_files)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert child.stdout.readline().startswith("progress")  # at least one batch written, not committed
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    reopened = connect(path, read_only=True)
    after = reopened.execute(
        "SELECT strftime(month, '%Y-%m'), count(*) FROM street_crime GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert after == before
    assert reopened.execute("SELECT count(*) FROM ingest_unit").fetchone()[0] == 2


def test_a_csv_gz_and_a_zip_of_the_same_month_load_the_same_rows(tmp_path, street_files):
    import zipfile

    source = street_files[0]
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(f"{source.name[:7]}/{source.name[:-3]}", gzip.decompress(source.read_bytes()))
    plain_folder = tmp_path / "folder" / source.name[:7]
    plain_folder.mkdir(parents=True)
    (plain_folder / source.name[:-3]).write_bytes(gzip.decompress(source.read_bytes()))
    results = []
    for given in (source, archive, tmp_path / "folder"):
        con = connect(tmp_path / f"{len(results)}.duckdb")
        ingest(con, [given])
        results.append(con.execute("SELECT * EXCLUDE (lsoa21_method) FROM street_crime ORDER BY ALL").fetchall())
    assert results[0] == results[1] == results[2]
    assert len(results[0]) == sum(1 for _ in csv.reader(io.StringIO(gzip.decompress(source.read_bytes()).decode()))) - 1
