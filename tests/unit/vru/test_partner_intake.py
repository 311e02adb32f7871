"""Partner CSV intake: the validator, the bad-input table of docs/partner-data.md (every row), loading,
replacing, the scorecard and the publishable flag. Every file here is SYNTHETIC (tests/data/
partner_synthetic/synthetic_*.csv, records made up for these tests), never used in the demo or report."""

import csv
import re
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from vru.analysis.partner_quality import scorecard
from vru.cli import partner as partner_cli
from vru.sources.partner_intake import IntakeErrors, validate_partner_file
from vru.warehouse.partner import PartnerFilesErrors, load_partner_tables
from vru.warehouse.partner_intake import mark_publishable, publishable_sources, read_quality_records
from vru.warehouse.schema import ensure_schema

ROOT = Path(__file__).resolve().parents[3]
SYNTHETIC = ROOT / "tests" / "data" / "partner_synthetic"
DOC = ROOT / "docs" / "partner-data.md"
GOOD = sorted(SYNTHETIC.glob("synthetic_*_good.csv"))
ORG = "Synthetic test partner"


def bad_input_rows() -> list[dict[str, str]]:
    text = DOC.read_text()
    table = text[text.index("| file | what is wrong |") :]
    rows = []
    for line in table.splitlines()[2:]:
        if not line.startswith("| synthetic_"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append(dict(zip(["file", "what", "line", "column", "says"], cells, strict=True)))
    return rows


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(connection)
    yield connection
    connection.close()


def test_every_synthetic_bad_file_has_a_row_in_the_docs_and_every_row_a_file():
    documented = {row["file"] for row in bad_input_rows()}
    on_disk = {path.name for path in SYNTHETIC.glob("synthetic_bad_*.csv")}
    assert documented == on_disk


@pytest.mark.parametrize("row", bad_input_rows(), ids=lambda row: f"{row['file']}:{row['line']}:{row['column']}")
def test_bad_input_table_row(row, con):
    path = SYNTHETIC / row["file"]
    with pytest.raises(IntakeErrors) as caught:
        validate_partner_file(path.name, path.read_bytes())
    matching = [
        problem
        for problem in caught.value.problems
        if problem.line == int(row["line"])
        and (problem.column or "") == row["column"]
        and row["says"] in problem.problem
    ]
    assert matching, f"{row}: got {[str(p) for p in caught.value.problems]}"
    # Through the loader, beside a good file: nothing at all is loaded.
    with pytest.raises(IntakeErrors):
        load_partner_tables(con, [GOOD[0], path], organisation=ORG)
    assert con.execute("SELECT count(*) FROM partner_record").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM partner_upload").fetchone() == (0,)


def test_every_bad_row_of_every_file_is_reported_at_once(con):
    files = [SYNTHETIC / "synthetic_bad_many.csv", SYNTHETIC / "synthetic_bad_urn.csv"]
    with pytest.raises(PartnerFilesErrors) as caught:
        load_partner_tables(con, files, organisation=ORG)
    text = str(caught.value)
    assert "synthetic_bad_many.csv" in text and "synthetic_bad_urn.csv" in text
    assert len(re.findall(r"line \d+", text)) == 4  # three in the first file, one in the second


def test_good_files_load_with_row_counts_from_a_plain_csv_read(con):
    report = load_partner_tables(con, GOOD, organisation=ORG)
    for path in GOOD:
        with path.open(newline="") as handle:
            expected = sum(1 for _ in csv.DictReader(handle))
        (loaded,) = con.execute(
            "SELECT count(*) FROM partner_record r JOIN partner_upload u USING (upload_id) WHERE u.source_file = ?",
            [str(path)],
        ).fetchone()
        assert loaded == expected, path.name
    assert {upload["kind"] for upload in report.uploads} == {
        "ed_assault", "ambulance_assault", "youth_justice_cohort", "school_suspension"
    }  # fmt: skip


def test_scorecard_of_the_synthetic_ed_file(con):
    load_partner_tables(con, [SYNTHETIC / "synthetic_ed_assault_good.csv"], organisation=ORG)
    card = scorecard(read_quality_records(con, ORG)).set_index(["kind", "month"])
    january = card.loc[("ed_assault", "2024-01")]
    # By hand from the file: 5 January rows, SYN-0002 twice, 3 of 5 with an LSOA.
    assert january["rows"] == 5 and january["duplicates"] == 1
    assert january["geocoded_share"] == pytest.approx(3 / 5)
    # Completeness, of the 10 columns: SYN-0003 lacks assault_date and lsoa21_code (8/10); SYN-0004 gives
    # record_id and both dates, every other field "unknown" or empty (3/10); the other three rows 10/10.
    assert january["completeness"] == pytest.approx((1 + 1 + 0.8 + 0.3 + 1) / 5)
    assert card.loc[("ed_assault", "2024-02")]["rows"] == 1


def test_a_new_file_replaces_the_months_it_holds(con, tmp_path):
    load_partner_tables(con, [SYNTHETIC / "synthetic_ed_assault_good.csv"], organisation=ORG)
    corrected = tmp_path / "january-again.csv"
    lines = (SYNTHETIC / "synthetic_ed_assault_good.csv").read_text().splitlines()
    corrected.write_text("\n".join(lines[:3]) + "\n")  # header and two January rows
    report = load_partner_tables(con, [corrected], organisation=ORG)
    assert report.uploads[0]["replaced_rows"] == 5
    months = dict(con.execute("SELECT strftime(month, '%Y-%m'), count(*) FROM partner_record GROUP BY 1").fetchall())
    assert months == {"2024-01": 2, "2024-02": 1}


def test_partner_files_need_an_organisation(con):
    with pytest.raises(Exception, match="--organisation"):
        load_partner_tables(con, GOOD[:1])


def test_nothing_is_publishable_until_marked(con):
    from datetime import UTC, datetime

    assert publishable_sources(con) == set()
    mark_publishable(con, ORG, "ed_assault", True, "tester", datetime.now(UTC))
    mark_publishable(con, ORG, "school_suspension", False, "tester", datetime.now(UTC))
    assert publishable_sources(con) == {(ORG, "ed_assault")}


def test_cli_lists_every_bad_row_and_loads_nothing(tmp_path):
    app = typer.Typer()
    partner_cli.register(app)

    @app.callback()
    def main() -> None:
        pass

    warehouse = tmp_path / "w.duckdb"
    bad = SYNTHETIC / "synthetic_bad_many.csv"
    result = CliRunner().invoke(app, ["partner", str(bad), "--organisation", ORG, "--warehouse", str(warehouse)])
    assert result.exit_code == 2
    assert "line 3, column 'attendance_date'" in result.output and "line 4, column 'weapon'" in result.output
    assert "Nothing in the warehouse was changed" in result.output
    result = CliRunner().invoke(
        app, ["partner", *map(str, GOOD), "--organisation", ORG, "--scorecard", "--warehouse", str(warehouse)]
    )
    assert result.exit_code == 0, result.output
    assert "ed_assault" in result.output and "2024-01" in result.output


def test_cli_loads_the_demo_publications_and_a_bad_publication_names_its_cell(tmp_path, demo_data):
    app = typer.Typer()
    partner_cli.register(app)

    @app.callback()
    def main() -> None:
        pass

    warehouse = tmp_path / "w.duckdb"
    neet = demo_data / "partner_la" / "neet" / "UD_NEETNK_LA_dashboard_final.csv.gz"
    result = CliRunner().invoke(app, ["partner", str(neet), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "dfe_neet" in result.output and "494" in result.output  # 13 areas x 38 indicator columns
    # The same file with one cell no publisher marker explains (synthetic damage, for this test only).
    import gzip

    lines = gzip.decompress(neet.read_bytes()).decode("utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ",??"  # the last column of the second data row
    broken = tmp_path / "UD_NEETNK_LA_dashboard_synthetic_damage.csv"
    broken.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(app, ["partner", str(broken), "--warehouse", str(warehouse)])
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert "line 3, column 'Sep_guarantee_quintile'" in output and "is neither a number nor a marker" in output
    assert "Nothing in the warehouse was changed" in result.output
