"""The ONS police force area tables reader, loader and `vru partner`, on tiny workbooks built here with
openpyxl in the ONS layout: title row, multi-row header, footnote markers, trailing-space sheet names,
'..' and '-' markers and footnotes under the table."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from vru.cli import partner as partner_cli
from vru.errors import InputError
from vru.sources.recorded_crime import (
    edition_from_filename,
    edition_from_text,
    normalise_offence_group,
    read_pfa_tables,
    read_pfa_workbook,
    strip_footnotes,
)
from vru.warehouse.partner import load_partner_tables, read_partner_recorded_crime
from vru.warehouse.schema import ensure_schema

P1_GROUPS = [
    (5, "Violence against the person"),
    (6, "Homicide"),
    (7, "Violence with injury"),
    (8, "Violence without injury"),
    (9, "Stalking and harassment4"),
    (10, "Death or serious injury \u2013 unlawful driving4"),
    (11, "Sexual offences"),
    (12, "Robbery"),
    (13, "Possession of weapons offences"),
]
# code, name as published, total, then the P1_GROUPS values
P1_ROWS = [
    ("K04000001", "ENGLAND AND WALES5", 1000, 500, 5, 150, 200, 100, 1, 44, 20, 10),
    ("E23000036", "Avon and Somerset8", 300, 150, 2, 40, 60, 30, 0, 18, 5, 3),
    ("E23000005", "Greater Manchester ", 400, 200, 1, "..", 90, 50, 1, 58, 8, 4),
    (None, "British Transport Police", 20, 10, 0, 3, 4, 2, 0, 1, 1, 1),
]
P1_NOTES = [
    "Source: Police recorded crime, Home Office",
    "1. Police recorded crime data are not designated as National Statistics.",
    "4. From the year ending June 2017 'Stalking and harassment' is a separate sub-category.",
    "5. Includes British Transport Police.",
    "8. For years ending March 2016 onwards figures include additional crimes (administrative error).",
    "9. '..'  indicates data not available.",
]


def write_p1(sheet, groups=P1_GROUPS, header_names=("Area Code", "Area Name")) -> None:
    sheet.append(["Table P1:  Police recorded crime by offence group, number of offences, year ending March 20191,2"])
    sheet.append([])
    sheet.append(["England and Wales"])
    row4 = [None] * 13
    row4[2], row4[4] = "Total recorded crime (excluding fraud3)", "Victim-based crime"
    sheet.append(row4)
    row5 = [None] * 13
    row5[0], row5[1] = header_names
    for column, label in groups:
        row5[column - 1] = label
    sheet.append(row5)
    sheet.append([None, None, "Numbers"])
    for code, name, total, *values in P1_ROWS:
        row = [code, name, total, None, *values]
        sheet.append(row)
    for note in P1_NOTES:
        sheet.append([note])


def build_workbook(
    path: Path, *, p1=write_p1, notes_title="Crime in England & Wales, year ending March 2019 - PFA tables"
):
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append([notes_title])
    p1(workbook.create_sheet("Table P1 "))

    p2 = workbook.create_sheet("Table P2")
    p2.append(["Table P2:  percentage change, year ending March 2018 compared with year ending March 20191"])
    p2.append([])
    p2.append([None, None, "Total recorded crime (excluding fraud)"])
    p2.append(["Area Code", "Area Name", None, None, "Violence against the person", "Homicide", "Violence with injury"])
    p2.append([None, None, "Percentage change2"])
    p2.append(["E23000036", "Avon and Somerset", 20.0, None, 25.0, "-", 50.0])  # 300/1.2, 150/1.25, 40/1.5
    p2.append(["2. '-'  indicates that the base number is fewer than 50."])

    knife = "Number of\n offences\n involving a\n knife6"
    selected = "Number of selected offences involving\n a knife3"
    share = "% involving a knife"
    p4 = workbook.create_sheet("Table P4  ")
    p4.append(["Table P4:  Knife and sharp instrument offences, year ending March 20191"])
    p4.append([])
    p4.append([None, None, "Total of selected\n serious offences", None, "Homicide5"])
    p4.append(["Area Code", "Area Name", knife, share, knife.replace("\n", " "), share])
    p4.append(["E23000036", "Avon and Somerset", 885, 4.79, 8, "-"])
    p4.append(["5. Homicide offences are those currently recorded by the police."])
    p4.append(["6. In this table 'offences involving a knife' refers to the use of a knife or sharp instrument."])

    p5 = workbook.create_sheet("Table P5")
    p5.append(["Table P5:  Knife and sharp instrument offences, year ending March 2011 to year ending March 20191"])
    p5.append([])
    change = "% change April 2018 to March 2019\n compared with:"
    p5.append([None, None, "Apr '10 to Mar '11", None, "Apr '18 to Mar '19", None, change])
    p5.append(["Area Codes", "Area name", selected, share, selected, share, "Apr '10 to\n Mar '11"])
    p5.append(["E23000036", "Avon and Somerset", 556, 4.47, 885, 4.79, 59.17])
    workbook.save(path)
    return path


@pytest.fixture
def workbook(tmp_path) -> Path:
    return build_workbook(tmp_path / "policeforceareatablesyearendingmarch2019.xlsx")


def pick(frame: pd.DataFrame, table: str, name: str, group: str, period: str | None = None) -> pd.Series:
    rows = frame[(frame.table_id == table) & (frame.pfa_name == name) & (frame.offence_group == group)]
    if period:
        rows = rows[rows.period_end == period]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_text_helpers():
    assert strip_footnotes("Avon and Somerset8") == ("Avon and Somerset", [8])
    assert strip_footnotes("Avon and Somerset 9") == ("Avon and Somerset", [9])
    assert strip_footnotes("ENGLAND AND WALES4,5,6,7,8,9,10,11")[1] == [4, 5, 6, 7, 8, 9, 10, 11]
    assert strip_footnotes("Total recorded crime (excluding fraud4)") == ("Total recorded crime (excluding fraud)", [4])
    assert strip_footnotes("West Midlands ") == ("West Midlands", [])
    assert normalise_offence_group("Stalking and harassment 5") == "stalking_and_harassment"
    assert normalise_offence_group("Death or serious injury \u2013 unlawful driving4") == (
        "death_or_serious_injury_unlawful_driving"
    )
    assert normalise_offence_group("Residental burglary4") == "residential_burglary"  # ONS's own typo
    assert normalise_offence_group("Miscellaneous crimes") == "miscellaneous_crimes_against_society"
    assert edition_from_text("Table P1: ..., year ending March 181,2,3") == "2018-03"
    assert edition_from_text("Table P1: ..., year ending December 20191,2") == "2019-12"
    assert edition_from_text("no edition here") is None
    assert edition_from_filename("policeforceareatablesyearendingsep18corrected.xlsx") == "2018-09"
    assert edition_from_filename("pfatablesdec19.xlsx") == "2019-12"
    assert edition_from_filename("policeforceareatablesyeendingmarch2019.xlsx") == "2019-03"


def test_reads_the_ons_layout(workbook):
    read = read_pfa_workbook(workbook)
    frame = read.frame
    assert read.edition_end == "2019-03"
    assert read.tables == ["P1", "P2", "P4", "P5"]
    assert list(frame.columns) == [
        "edition_end", "table_id", "period_end", "pfa_code", "pfa_name", "offence_group", "count", "note",
        "source_file", "sheet",
    ]  # fmt: skip
    homicide = pick(frame, "P1", "Avon and Somerset", "homicide")
    assert homicide["count"] == 2 and homicide["pfa_code"] == "E23000036" and homicide["edition_end"] == "2019-03"
    assert homicide["sheet"] == "Table P1 "
    assert "administrative error" in homicide["note"]  # footnote 8 on the area name
    assert pick(frame, "P1", "Avon and Somerset", "total_recorded_crime_excluding_fraud")["count"] == 300
    assert pick(frame, "P1", "Avon and Somerset", "violence_with_injury")["count"] == 40
    stalking = pick(frame, "P1", "Avon and Somerset", "stalking_and_harassment")
    assert stalking["count"] == 30 and "separate sub-category" in stalking["note"]
    assert pick(frame, "P1", "Avon and Somerset", "death_or_serious_injury_unlawful_driving")["count"] == 0
    unavailable = pick(frame, "P1", "Greater Manchester", "violence_with_injury")
    assert pd.isna(unavailable["count"]) and "published as '..'" in unavailable["note"]
    assert "indicates data not available" in unavailable["note"]
    btp = pick(frame, "P1", "British Transport Police", "homicide")
    assert pd.isna(btp["pfa_code"]) and btp["count"] == 0
    assert pick(frame, "P1", "ENGLAND AND WALES", "homicide")["count"] == 5
    assert str(frame["count"].dtype) == "Int64"
    assert set(frame["source_file"]) == {str(workbook)}


def test_p2_becomes_counts_for_the_previous_year(workbook):
    frame = read_pfa_tables(workbook)
    total = pick(frame, "P2", "Avon and Somerset", "total_recorded_crime_excluding_fraud")
    assert total["period_end"] == "2018-03" and total["count"] == 250
    assert "derived" in total["note"] and "Table P2" in total["note"]
    assert pick(frame, "P2", "Avon and Somerset", "violence_against_the_person")["count"] == 120
    assert pick(frame, "P2", "Avon and Somerset", "violence_with_injury")["count"] == 27  # 40 / 1.5 = 26.67
    homicide = pick(frame, "P2", "Avon and Somerset", "homicide")
    assert pd.isna(homicide["count"]) and "fewer than 50" in homicide["note"]


def test_knife_tables(workbook):
    frame = read_pfa_tables(workbook)
    total = pick(frame, "P4", "Avon and Somerset", "knife_selected_offences")
    assert total["count"] == 885 and total["period_end"] == "2019-03" and total["sheet"] == "Table P4  "
    assert pick(frame, "P4", "Avon and Somerset", "knife_homicide")["count"] == 8
    assert not frame["offence_group"].str.contains("involving").any()  # the % columns are skipped
    assert pick(frame, "P5", "Avon and Somerset", "knife_selected_offences", "2011-03")["count"] == 556
    assert pick(frame, "P5", "Avon and Somerset", "knife_selected_offences", "2019-03")["count"] == 885
    assert len(frame[frame.table_id == "P5"]) == 2  # the "% change compared with" block is not a count


def test_a_sheet_without_the_header_names_file_and_sheet(tmp_path):
    path = build_workbook(tmp_path / "pfatablesmar19.xlsx", p1=lambda s: write_p1(s, header_names=("Code", "Force")))
    with pytest.raises(InputError) as caught:
        read_pfa_workbook(path)
    message = str(caught.value)
    assert str(path) in message and "sheet 'Table P1 '" in message and "'Area Name'" in message


def test_a_missing_offence_column_names_row_and_column(tmp_path):
    groups = [(c, label) for c, label in P1_GROUPS if label != "Homicide"]
    path = build_workbook(tmp_path / "pfatablesmar19.xlsx", p1=lambda s: write_p1(s, groups=groups))
    with pytest.raises(InputError) as caught:
        read_pfa_workbook(path)
    assert caught.value.line == 5 and caught.value.column == "Homicide"
    assert "sheet 'Table P1 '" in str(caught.value)


def test_an_unknown_text_value_names_row_and_column(tmp_path):
    def p1(sheet):
        write_p1(sheet)
        sheet.cell(row=8, column=7, value="twelve")  # Avon and Somerset, Violence with injury

    path = build_workbook(tmp_path / "pfatablesmar19.xlsx", p1=p1)
    with pytest.raises(InputError) as caught:
        read_pfa_workbook(path)
    assert caught.value.line == 8 and caught.value.column == "Violence with injury"


def test_disagreeing_editions_and_non_workbooks_are_errors(tmp_path):
    path = build_workbook(tmp_path / "policeforceareatablesyearendingjune2019.xlsx")
    with pytest.raises(InputError, match="ambiguous"):
        read_pfa_workbook(path)
    text = tmp_path / "pfatablesmar19.xlsx"
    text.write_text("not a workbook")
    with pytest.raises(InputError, match="not a readable .xlsx"):
        read_pfa_workbook(text)


def test_load_replaces_an_edition_in_one_transaction(tmp_path, workbook):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(con)
    first = load_partner_tables(con, [workbook])
    ((rows,),) = con.execute("SELECT count(*) FROM partner_recorded_crime").fetchall()
    assert first.editions[0].rows == rows and first.editions[0].replaced_rows == 0
    again = load_partner_tables(con, [workbook.parent])  # a folder: searched for .xlsx
    assert again.editions[0].replaced_rows == rows
    assert con.execute("SELECT count(*) FROM partner_recorded_crime").fetchall() == [(rows,)]
    ((sha, loaded),) = con.execute("SELECT DISTINCT source_sha256, loaded_at FROM partner_recorded_crime").fetchall()
    assert len(sha) == 64 and loaded is not None
    frame = read_partner_recorded_crime(con, "E23000036")
    assert frame.loc[(frame.table_id == "P1") & (frame.offence_group == "homicide"), "count"].tolist() == [2]

    (tmp_path / "other").mkdir()
    copy = build_workbook(tmp_path / "other" / "pfatablesmar19.xlsx")
    with pytest.raises(InputError, match="same edition"):
        load_partner_tables(con, [workbook, copy])
    assert con.execute("SELECT count(*) FROM partner_recorded_crime").fetchall() == [(rows,)]
    con.close()


def test_a_failed_insert_leaves_every_edition_as_it_was(tmp_path, workbook, monkeypatch):
    from vru.warehouse import partner

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(con)
    load_partner_tables(con, [workbook])
    before = con.execute("SELECT * FROM partner_recorded_crime ORDER BY ALL").fetchall()
    (tmp_path / "june").mkdir()
    june = build_workbook(
        tmp_path / "june" / "pfatablesjun19.xlsx",
        notes_title="Crime in England & Wales, year ending June 2019 - PFA tables",
        p1=lambda sheet: (write_p1(sheet), sheet.cell(row=1, column=1, value="Table P1: year ending June 20191")),
    )
    rows = partner._rows

    def broken(read, loaded_at):
        frame = rows(read, loaded_at)
        if read.edition_end == "2019-06":
            frame["pfa_name"] = None  # NOT NULL: the INSERT fails after the March edition was deleted
        return frame

    monkeypatch.setattr(partner, "_rows", broken)
    with pytest.raises(duckdb.ConstraintException):
        load_partner_tables(con, [workbook, june])
    assert con.execute("SELECT * FROM partner_recorded_crime ORDER BY ALL").fetchall() == before
    con.close()


def test_cli_loads_and_reports_bad_input(tmp_path, workbook):
    app = typer.Typer()
    partner_cli.register(app)

    @app.callback()
    def main() -> None:  # a group, so the command is invoked by name as in `vru partner`
        pass

    warehouse = tmp_path / "var" / "w.duckdb"
    result = CliRunner().invoke(app, ["partner", str(workbook), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "2019-03" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("x")
    result = CliRunner().invoke(app, ["partner", str(bad), "--warehouse", str(warehouse)])
    assert result.exit_code == 2
