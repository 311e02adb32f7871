"""The GDP deflator (ONS YBGB) as reference data, and the uplift of 2015/16 costs to current prices.

The real file is ../shared/data/prices/ons_ybgb_gdp_deflator.csv; expected values are read from it with
the csv module here, independently of the loader. The malformed files are synthetic bad input.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vru.analysis.prices import financial_year_index, latest_complete_financial_year, uplift
from vru.errors import InputError
from vru.sources.prices import read_ons_series
from vru.warehouse import connect
from vru.warehouse.reference import load_reference, price_index


@pytest.fixture(scope="module")
def deflator_file(shared_data) -> Path:
    return shared_data / "prices" / "ons_ybgb_gdp_deflator.csv"


def raw_values(path: Path) -> dict[str, float]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[0]: float(row[1]) for row in csv.reader(handle) if row and row[0][:2] in ("19", "20")}


@pytest.mark.shared_data
def test_the_real_deflator_uplifts_2015_16_to_the_latest_complete_financial_year(deflator_file):
    series = read_ons_series(deflator_file)
    raw = raw_values(deflator_file)
    assert len(series) == len(raw) == 77 + 281
    assert set(series["series"]) == {"YBGB"} and series["release_date"].iloc[0] == "30-06-2025"
    base = sum(raw[q] for q in ("2015 Q2", "2015 Q3", "2015 Q4", "2016 Q1")) / 4
    latest = sum(raw[q] for q in ("2024 Q2", "2024 Q3", "2024 Q4", "2025 Q1")) / 4
    assert financial_year_index(series, "2015/16") == pytest.approx(base)  # 83.75
    assert latest_complete_financial_year(series) == "2024/25"  # 2025 Q1 is the last quarter
    result = uplift(series, "2015/16")
    assert result.to_year == "2024/25"
    assert result.ratio == pytest.approx(latest / base)  # 112.375 / 83.75 = 1.342
    assert "2024/25" in result.method and "YBGB" in result.method


@pytest.mark.shared_data
def test_the_deflator_loads_as_reference_data(tmp_path, deflator_file):
    con = connect(tmp_path / "w.duckdb")
    load_reference(con, [deflator_file.parent])
    table = price_index(con, "YBGB")
    assert len(table) == len(raw_values(deflator_file))
    assert uplift(table, "2015/16").ratio == pytest.approx(112.375 / 83.75)
    sources = con.execute("SELECT source_file FROM ref_source WHERE table_name = 'ref_price_index'").fetchall()
    assert sources == [(str(deflator_file.parent / deflator_file.name),)]


def test_an_incomplete_financial_year_is_not_the_latest(tmp_path):
    path = tmp_path / "series.csv"
    quarters = ["2015 Q2", "2015 Q3", "2015 Q4", "2016 Q1", "2016 Q2", "2016 Q3"]
    path.write_text(
        '"Title","A deflator"\n"CDID","TEST"\n"Release date","01-01-2026"\n'
        + "".join(f'"{q}","{100 + i}"\n' for i, q in enumerate(quarters)),
        encoding="utf-8",
    )
    series = read_ons_series(path)
    assert latest_complete_financial_year(series) == "2015/16"
    with pytest.raises(ValueError, match="2016 Q4, 2017 Q1"):
        financial_year_index(series, "2016/17")
    with pytest.raises(ValueError, match="financial year like"):
        financial_year_index(series, "2015/17")


def test_a_bad_row_names_the_file_line_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('"Title","A deflator"\n"CDID","TEST"\n"2015 Q1","83.4"\n"2015 Q2","n/a"\n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_ons_series(path)
    assert (error.value.line, error.value.column) == (4, "value")
    path.write_text('"Title","A deflator"\n"2015 Q1","83.4"\n', encoding="utf-8")
    with pytest.raises(InputError, match="no CDID"):
        read_ons_series(path)
