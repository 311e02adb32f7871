"""Bad input: each case gets a clear error naming file, line and column (and changes nothing), or a
counted quarantine of the row. The inputs are real rows from the committed demo extract, damaged here
on purpose (synthetic damage, real data)."""

from __future__ import annotations

import csv
import gzip
import io
import os
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


# --- Every row accounted for (issue 9) ------------------------------------------------------------------
# The damage below is SYNTHETIC (a 33 MiB run of bytes, a NUL, a full-width digit) on real demo rows.

EARLIER_MONTH = "2023-01"
EARLIER_NAME = f"{EARLIER_MONTH}-avon-and-somerset-street.csv"
# Past DuckDB's 32 MiB read buffer: before issue 9 such a line was skipped without an error. Random hex, so
# that gzip cannot shrink it enough to look like a zip bomb.
# The same month from another (made-up) force, to put a second file in one batch.
OTHER_FORCE = f"{MONTH}-synthetic-force-street.csv"
HUGE_LINE = os.urandom(33 * 2**19).hex().encode()


def demo_rows_of(demo_data: Path, month: str) -> int:
    """Independent count: data lines of the demo file, read with the csv module."""
    path = demo_data / "police_uk" / "street" / f"{month}-avon-and-somerset-street.csv.gz"
    return sum(1 for _ in csv.reader(io.StringIO(gzip.decompress(path.read_bytes()).decode()))) - 1


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_a_huge_line_without_newline_after_the_header_never_loads_as_zero_rows(tmp_path, warehouse, real_lines, gz):
    path = write(tmp_path, [real_lines[0], HUGE_LINE], name=EARLIER_NAME, gz=gz)
    assert_refused(warehouse, path, 2, None, "longer than 2,097,152 bytes")


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_a_huge_line_after_valid_rows_is_not_dropped(tmp_path, warehouse, real_lines, gz):
    path = write(tmp_path, [*real_lines[:10], HUGE_LINE], gz=gz)
    assert_refused(warehouse, path, 11, None, "longer than")


def test_carriage_return_line_endings_load_every_row(tmp_path, real_lines):
    """Lines ended by a lone CR (no LF): DuckDB ends rows there, so the file holds more rows than newlines;
    the line-by-line reader counts them instead."""
    cr_only = [line.replace(b"\n", b"\r") for line in real_lines]
    con = connect(tmp_path / "w.duckdb")
    report = ingest(con, [write(tmp_path, cr_only)])
    assert report.rows_loaded == len(real_lines) - 1 and report.rows_quarantined == 0


def test_a_lost_line_is_not_hidden_by_another_file_with_more_rows_than_newlines(tmp_path, warehouse, real_lines):
    """One batch: a file whose one row ends with a lone CR (one row, no newline after the header, so one row
    more than its newlines) beside a file that loses a line past DuckDB's buffer (one row fewer). The batch's
    rows equal its newlines; each file must still be counted on its own, and the second refused."""
    one_row = write(tmp_path, [real_lines[0].replace(b"\n", b"\r"), real_lines[1].rstrip(b"\n")], name=OTHER_FORCE)
    losing = write(tmp_path, [*real_lines[:10], HUGE_LINE + b"\n"])
    before = snapshot(warehouse)
    with pytest.raises(InputError) as caught:
        ingest(warehouse, [one_row, losing])
    assert str(losing) in str(caught.value) and caught.value.line == 11
    assert snapshot(warehouse) == before


def test_a_header_only_file_replaces_nothing_without_allow_shrink(tmp_path, warehouse, real_lines, demo_data):
    path = write(tmp_path, real_lines[:1], name=EARLIER_NAME)
    held = demo_rows_of(demo_data, EARLIER_MONTH)
    error = assert_refused(warehouse, path, None, None, "holds a header and no rows")
    assert f"avon-and-somerset street {EARLIER_MONTH}" in error.problem
    assert f"{held:,} rows" in error.problem and "--allow-shrink" in error.problem

    report = ingest(warehouse, [path], allow_shrink=True)
    assert report.warnings == [
        f"avon-and-somerset street {EARLIER_MONTH}: now 0 rows; the warehouse held {held:,} rows (--allow-shrink)"
    ]
    assert warehouse.execute("SELECT count(*) FROM street_crime").fetchone()[0] == 0


def test_a_header_only_file_for_a_new_month_also_needs_allow_shrink(tmp_path, warehouse, real_lines):
    error = assert_refused(warehouse, write(tmp_path, real_lines[:1]), None, None, "holds a header and no rows")
    assert "holds no rows yet" in error.problem


def test_a_month_that_shrinks_sharply_needs_allow_shrink(tmp_path, warehouse, demo_data):
    source = demo_data / "police_uk" / "street" / f"{EARLIER_NAME}.gz"
    lines = gzip.decompress(source.read_bytes()).splitlines(keepends=True)[:101]
    held = demo_rows_of(demo_data, EARLIER_MONTH)
    path = write(tmp_path, lines, name=EARLIER_NAME)
    error = assert_refused(warehouse, path, None, None, f"holds 100 rows for avon-and-somerset street {EARLIER_MONTH}")
    assert f"where the warehouse holds {held:,} rows" in error.problem
    report = ingest(warehouse, [path], allow_shrink=True)
    assert report.rows_loaded == 100
    assert report.warnings == [
        f"avon-and-somerset street {EARLIER_MONTH}: now 100 rows; the warehouse held {held:,} rows (--allow-shrink)"
    ]


def test_a_month_that_shrinks_a_little_loads_without_a_flag(tmp_path, warehouse, demo_data):
    source = demo_data / "police_uk" / "street" / f"{EARLIER_NAME}.gz"
    lines = gzip.decompress(source.read_bytes()).splitlines(keepends=True)
    kept = lines[: int(len(lines) * 0.9)]
    report = ingest(warehouse, [write(tmp_path, kept, name=EARLIER_NAME)])
    assert report.rows_loaded == len(kept) - 1 and report.warnings == []


def test_blank_lines_are_skipped_and_every_row_still_loads(tmp_path, real_lines):
    lines = [*real_lines[:50], b"\n", b"\n", *real_lines[50:]]
    con = connect(tmp_path / "w.duckdb")
    report = ingest(con, [write(tmp_path, lines)])
    assert report.rows_loaded == len(real_lines) - 1


def test_a_quoted_line_break_is_one_row_not_two(tmp_path, real_lines):
    lines = list(real_lines)
    lines[7] = lines[7].replace(b",On or near ", b',"On or near\nthe ', 1).replace(b",E0", b'",E0', 1)
    con = connect(tmp_path / "w.duckdb")
    report = ingest(con, [write(tmp_path, lines)])
    assert report.rows_loaded == len(real_lines) - 1
    assert con.execute("SELECT count(*) FROM street_crime WHERE location LIKE 'On or near\nthe %'").fetchone()[0] == 1


def test_a_nul_byte_is_refused_at_its_line_and_column(tmp_path, warehouse, real_lines):
    lines = list(real_lines)
    lines[40] = lines[40].replace(b"On or near ", b"On or\x00near ", 1)
    assert_refused(warehouse, write(tmp_path, lines), 41, "Location", "NUL byte")


def test_a_full_width_digit_in_a_coordinate_is_set_aside_not_a_crash(tmp_path, real_lines):
    longitude = real_lines[30].decode().split(",")[4]
    full_width = longitude.replace("2", "\uff12", 1)
    assert full_width != longitude
    con, report = quarantine_case(tmp_path, real_lines, 30, longitude.encode(), full_width.encode())
    assert (report.rows_quarantined, report.rows_loaded) == (1, len(real_lines) - 2)
    assert con.execute("SELECT line, reason FROM quarantine").fetchall() == [(31, "coordinates are not numbers")]


def test_an_unbalanced_quote_is_reported_on_its_own_line(tmp_path, warehouse, real_lines):
    assert len(real_lines) > 1000
    lines = list(real_lines)
    lines[499] = lines[499].replace(b",On or near ", b',"On or near ', 1)
    assert_refused(warehouse, write(tmp_path, lines), 500, None, "unbalanced quote")


def test_a_long_field_and_a_quarantined_row_load_together(tmp_path, real_lines):
    """A 1 MiB field is within DuckDB's line limit, so the line-by-line checker (run for the quarantined
    row) must accept it too."""
    lines = list(real_lines)
    lines[3] = lines[3].replace(b",On or near ", b",On or near " + b"a" * 2**20 + b" ", 1)
    longitude = lines[30].decode().split(",")[4].encode()
    lines[30] = lines[30].replace(b"," + longitude + b",", b",12.5,", 1)
    con = connect(tmp_path / "w.duckdb")
    report = ingest(con, [write(tmp_path, lines)])
    assert (report.rows_loaded, report.rows_quarantined) == (len(real_lines) - 2, 1)


def bomb_archive(tmp_path: Path, member_bytes: int) -> Path:
    """A SYNTHETIC zip bomb: a police.uk-named member of one repeated byte."""
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        with out.open(f"{MONTH}/{NAME}", "w") as member:
            for _ in range(member_bytes // 2**20):
                member.write(b"0" * 2**20)
    return archive


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path, warehouse):
    archive = bomb_archive(tmp_path, 64 * 2**20)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    before = snapshot(warehouse)
    with pytest.raises(InputError) as caught:
        ingest(warehouse, [archive], scratch_dir=scratch)
    assert "zip bomb" in caught.value.problem and "expands" in caught.value.problem
    assert list(scratch.iterdir()) == []
    assert snapshot(warehouse) == before


def test_archives_that_unpack_to_more_than_the_limit_are_refused(tmp_path, warehouse, real_lines, monkeypatch):
    from vru.warehouse import ingest as ingest_module

    archive = tmp_path / "2023-02.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(f"{MONTH}/{NAME}", b"".join(real_lines))
    monkeypatch.setattr(ingest_module, "MAX_UNPACKED_BYTES", len(b"".join(real_lines)) - 1)
    with pytest.raises(InputError) as caught:
        ingest(warehouse, [archive])
    assert "would unpack to more than" in caught.value.problem


def test_a_gzip_bomb_is_refused(tmp_path, warehouse, real_lines):
    path = write(tmp_path, [real_lines[0], *([real_lines[1]] * 60_000)], gz=True)
    assert_refused(warehouse, path, None, None, "zip bomb")


def test_unpacked_members_are_removed_after_a_run(tmp_path, real_lines):
    archive = tmp_path / "2023-02.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(f"{MONTH}/{NAME}", b"".join(real_lines))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    report = ingest(connect(tmp_path / "w.duckdb"), [archive], scratch_dir=scratch)
    assert report.rows_loaded == len(real_lines) - 1
    assert list(scratch.iterdir()) == []
