"""Loading reference files into a warehouse: tables, ref_source, views, one transaction, and the CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vru.cli import app
from vru.errors import InputError
from vru.warehouse import connect, reference
from vru.warehouse.reference import load_reference, population_by_lsoa21

# A tiny area: E01000001 unchanged, E01000002 split into E01100001/2, E01000003 + E01000004 merged into
# E01100003.
LSOA_LOOKUP = (
    '"lsoa11_name","lsoa11_code","change_code","lsoa21_name","lsoa21_code","ltla22_name","ltla22_code"\n'
    '"A 001A","E01000001","U","A 001A","E01000001","A","E06000099"\n'
    '"A 002A","E01000002","S","A 002E","E01100001","A","E06000099"\n'
    '"A 002A","E01000002","S","A 002F","E01100002","A","E06000099"\n'
    '"A 003A","E01000003","M","A 003E","E01100003","A","E06000099"\n'
    '"A 003B","E01000004","M","A 003E","E01100003","A","E06000099"\n'
)
AREA_LOOKUP = "LSOA21CD,LSOA21NM,WD24CD,WD24NM,LAD24CD,LAD24NM\n" + "".join(
    f"{code},A,E05000001,Ward One,E06000099,A\n" for code in ("E01000001", "E01100001", "E01100002", "E01100003")
)
CSP_LOOKUP = "LAD24CD,LAD24NM,CSP24CD,CSP24NM,PFA24CD,PFA24NM\nE06000099,A,E22000099,A CSP,E23000099,A Police\n"
IMD_2019 = (
    '"lsoa11_code","IMD_decile","Crime_decile","IMD_rank","Crime_rank"\n'
    '"E01000001",5,5,15000,15500\n"E01000002",2,9,5000,29000\n'
    '"E01000003",8,1,26000,100\n"E01000004",3,10,9000,32000\n'
)
IMD_2025 = (
    '"lsoa21_code","IMD_decile","IMD_rank","IMD_score"\n'
    '"E01000001",5,16000,20.5\n"E01100001",2,6000,35.1\n"E01100002",3,9500,30.2\n"E01100003",4,12000,25.0\n'
)
AGES = [str(age) for age in range(90)] + ["90+"]


def population_row(code: str, per_age: int) -> str:
    return f'"A","{code}",{per_age * 91},' + ",".join([str(per_age)] * 91) + "\n"


POPULATION = (
    ",".join(["lsoa11_name", "lsoa11_code", "total_population", *AGES])
    + "\n"
    + "".join(
        population_row(code, per_age)
        for code, per_age in (("E01000001", 2), ("E01000002", 4), ("E01000003", 1), ("E01000004", 3))
    )
)
BOUNDARY = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"lsoa21_code": "E01000001", "lsoa21_name": "A 001A"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-2.4, 51.3], [-2.3, 51.3], [-2.3, 51.4], [-2.4, 51.3]]],
            },
        }
    ],
}
FILES = {
    "geography/lookup_lsoa11_lsoa21.csv": LSOA_LOOKUP,
    "geography/lookup_lsoa21_ward24.csv": AREA_LOOKUP,
    "geography/lookup_ltla24_csp24_pfa24_EW.csv": CSP_LOOKUP,
    "geography/lsoa21.geojson": json.dumps(BOUNDARY),
    "deprivation/imd2019.csv": IMD_2019,
    "deprivation/imd2025.csv": IMD_2025,
    "population/population20_lsoa11.csv": POPULATION,
    "prices/deflator.csv": '"Title","A deflator"\n"CDID","TEST"\n"2015","83.5"\n"2015 Q1","83.4"\n',
    "README.md": "not reference data\n",
}


@pytest.fixture
def reference_dir(tmp_path) -> Path:
    folder = tmp_path / "reference"
    for name, text in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


def counts(con) -> dict[str, int]:
    return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in reference.TABLE_COLUMNS}


def test_loads_every_table_and_records_sources(con, reference_dir):
    steps = []
    report = load_reference(con, reference_dir, progress=lambda what, done, total: steps.append((done, total)))
    assert counts(con) == {
        "ref_lsoa11_lsoa21": 5,
        "ref_lsoa21_area": 4,
        "ref_lad_csp_pfa": 1,
        "ref_boundary": 1,
        "ref_imd": 4 * 2 + 4,
        "ref_population_age": 4 * 91,
        "ref_price_index": 2,
    }
    assert report.skipped == [reference_dir / "README.md"]
    assert steps[-1][0] == steps[-1][1]
    sources = con.execute("SELECT table_name, source_file, source_sha256, rows_loaded FROM ref_source").fetchall()
    for _table, source_file, sha256, rows in sources:
        assert sha256 == hashlib.sha256(Path(source_file).read_bytes()).hexdigest()
        assert rows > 0
    population_sources = sorted(Path(path).name for table, path, _, _ in sources if table == "ref_population_age")
    assert population_sources == ["lookup_lsoa11_lsoa21.csv", "population20_lsoa11.csv"]
    (check,) = report.population_checks
    assert check.conserved and check.lsoa11_total == check.lsoa21_total == (2 + 4 + 1 + 3) * 91


def test_imd_2019_on_lsoa_2021_takes_the_parent_or_the_most_deprived_parent(con, reference_dir):
    load_reference(con, reference_dir)
    rows = con.execute(
        """SELECT lsoa21_code, domain, rank, decile, from_lsoa11_code, lsoa11_parents FROM ref_imd_lsoa21
           WHERE edition = 2019 ORDER BY lsoa21_code, domain"""
    ).fetchall()
    assert rows == [
        ("E01000001", "crime", 15500, 5, "E01000001", 1),
        ("E01000001", "imd", 15000, 5, "E01000001", 1),
        ("E01100001", "crime", 29000, 9, "E01000002", 1),
        ("E01100001", "imd", 5000, 2, "E01000002", 1),
        ("E01100002", "crime", 29000, 9, "E01000002", 1),
        ("E01100002", "imd", 5000, 2, "E01000002", 1),
        # Merged: E01000004 has the lower IMD rank, so every domain comes from it (crime 32000, not 100).
        ("E01100003", "crime", 32000, 10, "E01000004", 2),
        ("E01100003", "imd", 9000, 3, "E01000004", 2),
    ]
    published = con.execute("SELECT count(*), min(method) FROM ref_imd_lsoa21 WHERE edition = 2025").fetchone()
    assert published == (4, "published on LSOA 2021")


def test_population_by_lsoa21(con, reference_dir):
    load_reference(con, reference_dir)
    frame = population_by_lsoa21(con, 2020).set_index("lsoa21_code")
    assert frame.loc["E01000001"].tolist() == [2 * 91, 2 * 15]
    assert frame.loc["E01100001"].tolist() == [2 * 91, 2 * 15]  # half of 4 a year of age
    assert frame.loc["E01100003"].tolist() == [4 * 91, 4 * 15]  # 1 + 3 a year of age
    with pytest.raises(LookupError, match="2020"):
        population_by_lsoa21(con, 2019)


def test_a_bad_file_changes_nothing(con, reference_dir):
    load_reference(con, reference_dir)
    before = counts(con), con.execute("SELECT * FROM ref_source ORDER BY ALL").fetchall()
    (reference_dir / "deprivation/imd2025.csv").write_text(IMD_2025.replace('"E01100002",3,', '"E01100002",13,'))
    with pytest.raises(InputError) as caught:
        load_reference(con, reference_dir)
    assert caught.value.line == 4
    assert (counts(con), con.execute("SELECT * FROM ref_source ORDER BY ALL").fetchall()) == before


def test_a_failure_while_writing_rolls_everything_back(con, reference_dir, monkeypatch):
    load_reference(con, reference_dir)
    before = con.execute("SELECT * FROM ref_imd ORDER BY ALL").fetchall()
    (reference_dir / "deprivation/imd2019.csv").unlink()

    def fail(_con):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reference.lsoa21, "remap_all", fail)
    with pytest.raises(RuntimeError):
        load_reference(con, reference_dir)
    assert con.execute("SELECT * FROM ref_imd ORDER BY ALL").fetchall() == before


def test_a_table_is_replaced_whole_and_the_report_says_what_it_lost(con, reference_dir):
    load_reference(con, reference_dir)
    report = load_reference(con, reference_dir / "deprivation/imd2025.csv")
    (imd,) = report.tables
    assert (imd.table, imd.parts, imd.parts_dropped) == ("ref_imd", ["2025"], ["2019"])
    assert con.execute("SELECT DISTINCT edition FROM ref_imd").fetchall() == [(2025,)]
    assert counts(con)["ref_lsoa11_lsoa21"] == 5  # tables without files are left alone


def test_population_alone_uses_the_lookup_already_loaded(con, reference_dir):
    load_reference(con, reference_dir / "geography/lookup_lsoa11_lsoa21.csv")
    load_reference(con, reference_dir / "population/population20_lsoa11.csv")
    assert counts(con)["ref_population_age"] == 4 * 91
    sources = con.execute(
        "SELECT source_file FROM ref_source WHERE table_name = 'ref_population_age' ORDER BY 1"
    ).fetchall()
    assert [Path(path).name for (path,) in sources] == ["lookup_lsoa11_lsoa21.csv", "population20_lsoa11.csv"]


def test_population_without_any_lookup_is_an_error(con, reference_dir):
    with pytest.raises(InputError, match="lookup"):
        load_reference(con, reference_dir / "population/population20_lsoa11.csv")


def test_overlapping_files_must_agree(con, reference_dir, tmp_path):
    same = tmp_path / "copy_of_lookup.csv"
    same.write_text(LSOA_LOOKUP)
    load_reference(con, [reference_dir / "geography/lookup_lsoa11_lsoa21.csv", same])
    assert counts(con)["ref_lsoa11_lsoa21"] == 5
    different = tmp_path / "other_lookup.csv"
    different.write_text(LSOA_LOOKUP.replace('"A 003E","E01100003"', '"Renamed","E01100003"'))
    with pytest.raises(InputError) as caught:
        load_reference(con, [reference_dir / "geography/lookup_lsoa11_lsoa21.csv", different])
    assert "other_lookup.csv" in str(caught.value) and "lookup_lsoa11_lsoa21.csv" in str(caught.value)


def test_a_file_named_explicitly_must_be_reference_data(con, reference_dir):
    with pytest.raises(InputError, match="not a reference file"):
        load_reference(con, reference_dir / "README.md")
    with pytest.raises(InputError, match="no such file"):
        load_reference(con, reference_dir / "missing.csv")


def test_cli_prints_a_summary(tmp_path, reference_dir):
    warehouse = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["reference", str(reference_dir), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    for expected in ("ref_lsoa11_lsoa21", "ref_imd", "ref_population_age", "conserved", "Skipped 1 file"):
        assert expected in result.output


def test_cli_bad_input_exits_2_and_changes_nothing(tmp_path, reference_dir):
    csp_lookup = reference_dir / "geography/lookup_ltla24_csp24_pfa24_EW.csv"
    csp_lookup.write_text(CSP_LOOKUP.replace("CSP24CD", "CSP"))
    warehouse = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["reference", str(reference_dir), "--warehouse", str(warehouse)])
    assert result.exit_code == 2
    assert "line 1" in result.output and "csp_code" in result.output
    assert "Nothing in the warehouse was changed" in result.output
    with connect(warehouse, read_only=True) as con:
        assert set(counts(con).values()) == {0}


def test_a_file_that_is_not_utf8_is_skipped_in_a_folder_and_an_error_when_named(con, reference_dir):
    latin1 = reference_dir / "licences_2014.csv"
    latin1.write_bytes("Premises,Town\nCaf\xe9 Bath,Bath\n".encode("latin-1"))
    report = load_reference(con, reference_dir)
    assert latin1 in report.skipped
    with pytest.raises(InputError, match="UTF-8"):
        load_reference(con, latin1)
