"""Bad input: each case gets a clear error naming file, line and column (and changes nothing), or a
counted quarantine of the row. The inputs are real rows from the committed demo extract, damaged here
on purpose (synthetic damage, real data)."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import pytest

from vru.errors import InputError
from vru.warehouse import connect
from vru.warehouse.coverage import coverage_report
from vru.warehouse.ingest import ingest

MONTH = "2023-02"
NAME = f"{MONTH}-avon-and-somerset-street.csv"


@pytest.fixture(scope="module")
def real_lines(demo_data: Path) -> list[bytes]:
    """The lines (LF endings) of one real demo street file."""
    source = demo_data / "police_uk" / "street" / f"{NAME}.gz"
    return gzip.decompress(source.read_bytes()).splitlines(keepends=True)


@pytest.fixture
def warehouse(tmp_path, demo_data):
    """A warehouse already holding one earlier month, to prove errors leave it as it was."""
    con = connect(tmp_path / "warehouse.duckdb")
    ingest(con, [demo_data / "police_uk" / "street" / "2023-01-avon-and-somerset-street.csv.gz"])
    return con


def snapshot(con) -> tuple:
    return (
        con.execute("SELECT count(*), sum(hash(crime_id, month, lsoa_code, crime_type)) FROM street_crime").fetchall(),
        con.execute("SELECT force, month, kind, source_sha256, rows_loaded FROM ingest_unit ORDER BY ALL").fetchall(),
        con.execute("SELECT count(*) FROM quarantine").fetchall(),
    )


def write(tmp_path: Path, lines: list[bytes], name: str = NAME, gz: bool = False) -> Path:
    path = tmp_path / "in" / (name + (".gz" if gz else ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join(lines)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def assert_refused(con, path: Path, line: int | None, column: str | None, words: str) -> InputError:
    before = snapshot(con)
    with pytest.raises(InputError) as caught:
        ingest(con, [path])
    error = caught.value
    assert str(path) in str(error)
    assert error.line == line
    assert error.column == column
    assert words in error.problem
    assert snapshot(con) == before, "a refused file must leave the warehouse as it was"
    return error


def test_wrong_header_column(tmp_path, warehouse, real_lines):
    lines = [real_lines[0].replace(b"Crime type", b"Offence type"), *real_lines[1:]]
    assert_refused(warehouse, write(tmp_path, lines), 1, "Crime type", "found 'Offence type'")


def test_missing_header_column(tmp_path, warehouse, real_lines):
    lines = [real_lines[0].replace(b",Context", b""), *real_lines[1:]]
    assert_refused(warehouse, write(tmp_path, lines), 1, "Context", "missing column")


def test_month_that_disagrees_with_the_file_name(tmp_path, warehouse, real_lines):
    lines = list(real_lines)
    lines[10] = lines[10].replace(f",{MONTH},".encode(), b",2023-03,", 1)
    assert_refused(warehouse, write(tmp_path, lines), 11, "Month", "disagrees with the file name")


def test_truncated_gzip(tmp_path, warehouse, real_lines):
    path = write(tmp_path, real_lines, gz=True)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    error = assert_refused(warehouse, path, error_line(path), None, "compressed data ends")
    assert error.line > 1


def error_line(path: Path) -> int:
    """Independent count: the last complete line gzip can give back before the data breaks."""
    lines = 0
    try:
        with gzip.open(path, "rb") as handle:
            for _ in handle:
                lines += 1
    except EOFError:
        pass
    return lines


def test_truncated_zip(tmp_path, warehouse, real_lines):
    archive = tmp_path / "2023-02.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(f"{MONTH}/{NAME}", b"".join(real_lines))
    archive.write_bytes(archive.read_bytes()[:-200])
    before = snapshot(warehouse)
    with pytest.raises(InputError) as caught:
        ingest(warehouse, [archive])
    assert str(archive) in str(caught.value)
    assert snapshot(warehouse) == before


def test_non_utf8_bytes(tmp_path, warehouse, real_lines):
    lines = list(real_lines)
    lines[20] = lines[20].replace(b"On or near ", b"On or near Caf\xe9 ", 1)
    assert_refused(warehouse, write(tmp_path, lines), 21, "Location", "not valid UTF-8")


def test_a_row_with_missing_fields(tmp_path, warehouse, real_lines):
    lines = list(real_lines)
    lines[5] = lines[5].rsplit(b",", 2)[0] + b"\n"
    assert_refused(warehouse, write(tmp_path, lines), 6, "Last outcome category", "expected 12")


def test_zero_byte_file(tmp_path, warehouse):
    assert_refused(warehouse, write(tmp_path, []), None, None, "empty (0 bytes)")


def test_crlf_line_endings_load_the_same_rows(tmp_path, real_lines):
    crlf = [line.replace(b"\n", b"\r\n") for line in real_lines]
    lf_con = connect(tmp_path / "lf.duckdb")
    crlf_con = connect(tmp_path / "crlf.duckdb")
    ingest(lf_con, [write(tmp_path / "lf", real_lines)])
    ingest(crlf_con, [write(tmp_path / "crlf", crlf)])
    query = "SELECT * EXCLUDE (force) FROM street_crime ORDER BY ALL"
    assert crlf_con.execute(query).fetchall() == lf_con.execute(query).fetchall()
    assert crlf_con.execute("SELECT count(*) FROM street_crime").fetchone()[0] == len(real_lines) - 1


def quarantine_case(tmp_path, real_lines, line_index, old, new):
    lines = list(real_lines)
    assert old in lines[line_index]
    lines[line_index] = lines[line_index].replace(old, new, 1)
    con = connect(tmp_path / "q.duckdb")
    report = ingest(con, [write(tmp_path, lines)])
    return con, report


def test_coordinates_outside_great_britain_are_set_aside_and_counted(tmp_path, real_lines):
    row = real_lines[30].decode().split(",")
    longitude = row[4].encode()
    con, report = quarantine_case(tmp_path, real_lines, 30, b"," + longitude + b",", b",12.5,")
    assert report.rows_quarantined == 1
    assert report.rows_loaded == len(real_lines) - 2
    assert con.execute("SELECT line, column_name, reason FROM quarantine").fetchall() == [
        (31, "Longitude", "coordinates outside Great Britain")
    ]
    coverage = coverage_report(con)
    assert coverage["totals"]["rows_quarantined"] == 1
    assert coverage["quarantine"][0]["reason"] == "coordinates outside Great Britain"


def test_unknown_crime_type_is_set_aside_and_counted(tmp_path, real_lines):
    index = next(i for i, line in enumerate(real_lines) if b",Shoplifting," in line)
    con, report = quarantine_case(tmp_path, real_lines, index, b",Shoplifting,", b",Shop theft,")
    assert report.rows_quarantined == 1
    assert con.execute("SELECT line, column_name, value FROM quarantine").fetchall() == [
        (index + 1, "Crime type", "Shop theft")
    ]
    assert con.execute("SELECT count(*) FROM street_crime WHERE crime_type = 'Shop theft'").fetchone()[0] == 0


def test_one_bad_file_in_a_run_loads_none_of_the_run(tmp_path, warehouse, demo_data, real_lines):
    good = demo_data / "police_uk" / "street" / "2023-03-avon-and-somerset-street.csv.gz"
    bad = write(tmp_path, [real_lines[0].replace(b"Month", b"Date"), *real_lines[1:]])
    before = snapshot(warehouse)
    with pytest.raises(InputError):
        ingest(warehouse, [good, bad])
    assert snapshot(warehouse) == before


OUTCOMES_HEADER = (
    b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type\n"
)


def outcomes_from_street(real_lines: list[bytes]) -> list[bytes]:
    """An outcomes file made from real street rows: same columns, with Last outcome category as Outcome
    type (police.uk publishes no Avon and Somerset outcomes file in ../shared/data)."""
    rows = []
    for values in csv.reader(io.StringIO(b"".join(real_lines[1:]).decode())):
        if values[0] and values[10]:
            rows.append(values[:9] + [values[10]])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return [OUTCOMES_HEADER, *out.getvalue().encode().splitlines(keepends=True)]


def test_an_outcomes_file_loads_with_its_rows_mapped(tmp_path, real_lines):
    lines = outcomes_from_street(real_lines)
    con = connect(tmp_path / "w.duckdb")
    report = ingest(con, [write(tmp_path, lines, name=f"{MONTH}-avon-and-somerset-outcomes.csv")])
    assert report.rows_loaded == len(lines) - 1 > 100
    assert con.execute("SELECT count(DISTINCT outcome_type) FROM outcome").fetchone()[0] > 3
    assert coverage_report(con)["series"][0]["kind"] == "outcomes"


# Stop-and-search rows below are SYNTHETIC (no real file is available): they exist to test bad input.
STOP_SEARCH_HEADER = (
    b"Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,"
    b"Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,"
    b"Outcome linked to object of search,Removal of more than just outer clothing\n"
)
STOP_SEARCH_ROW = (
    b"Person search,{date},,,51.38,-2.36,Male,18-24,,,Misuse of Drugs Act 1971 (section 23),"
    b"Controlled drugs,A no further action disposal,,False\n"
)


def test_stop_and_search_dates_are_checked_against_the_file_month(tmp_path, warehouse):
    rows = [
        STOP_SEARCH_ROW.replace(b"{date}", date)
        for date in (b"2023-02-01T10:00:00+00:00", b"not a date", b"2023-03-01T00:30:00+00:00")
    ]
    name = f"{MONTH}-avon-and-somerset-stop-and-search.csv"
    assert_refused(warehouse, write(tmp_path, [STOP_SEARCH_HEADER, *rows], name=name), 4, "Date", "disagrees")

    con = connect(tmp_path / "ss.duckdb")
    report = ingest(con, [write(tmp_path / "ok", [STOP_SEARCH_HEADER, *rows[:2]], name=name)])
    assert (report.rows_loaded, report.rows_quarantined) == (1, 1)
    assert con.execute("SELECT line, column_name, reason FROM quarantine").fetchall() == [
        (3, "Date", "date is not a date and time")
    ]
