"""Home Office licensing in the risk-factor chapter, checked against the published workbook itself.

The workbook (../shared/data/partner_la/licensing/*.ods) is read here straight from its XML with the
standard library (zipfile and ElementTree), not with calamine as `vru partner` and the demo build read it;
the populations are summed here from the ONS LSOA estimates with plain `csv` through the ONS lookup. Checked:
the packaged district populations, the demo extract's cut of tables 2 and 3 (every kept cell, every English
authority kept), and the chapter's figures per 10,000 residents for B&NES, its neighbours and England.

Skips with a reason when the shared data is absent; fails instead in CI (CI=true)."""

from __future__ import annotations

import csv
import gzip
import xml.etree.ElementTree as ElementTree
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

from vru.assessment.partner_factors import partner_factor_chapters
from vru.warehouse import connect
from vru.warehouse.partner import load_partner_tables

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[3]
BANES = "E06000022"
WORKBOOK = "partner_la/licensing/alcohol_latr_night_licensing_tables_2022.ods"
COLUMNS = {"Table_2": "Total Premises licences", "Table_3": "Premises licences with late night refreshment"}
INDICATORS = {
    "Table_2": "Table 2: Total Premises licences",
    "Table_3": "Table 3: Premises licences with late night refreshment",
}
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
WIDTH = 24  # the widest of the two sheets


def ods_sheets(path: Path, names: set[str]) -> dict[str, list[list[str]]]:
    """Each named sheet's rows as cell text (a number as its office:value), repeated cells expanded."""
    sheets: dict[str, list[list[str]]] = {}
    current = None
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        # The published workbook whose SHA-256 PROVENANCE.md gives, not untrusted input.
        for event, element in ElementTree.iterparse(content, events=("start", "end")):  # noqa: S314
            if event == "start" and element.tag == f"{TABLE}table":
                current = element.get(f"{TABLE}name") if element.get(f"{TABLE}name") in names else None
                if current:
                    sheets[current] = []
            elif event == "end" and element.tag == f"{TABLE}table-row":
                if current:
                    cells: list[str] = []
                    for cell in element:
                        repeat = int(cell.get(f"{TABLE}number-columns-repeated", "1"))
                        value = cell.get(f"{OFFICE}value")
                        text = (
                            value
                            if value is not None
                            else "\n".join("".join(paragraph.itertext()) for paragraph in cell.findall(f"{TEXT}p"))
                        )
                        cells += [text] * min(repeat, WIDTH)
                    # Empty rows at the end of a sheet are written once with a large repeat: keep a few.
                    repeat = int(element.get(f"{TABLE}number-rows-repeated", "1"))
                    sheets[current] += [cells[:WIDTH]] * min(repeat, 3)
                element.clear()
            elif event == "end" and element.tag == f"{TABLE}table":
                current = None
    return sheets


@pytest.fixture(scope="module")
def workbook(shared_data) -> dict[str, dict[tuple[str, str], tuple[str, str]]]:
    """{sheet: {(year, authority): (region, cell)}} for the chapter's two columns, every authority row."""
    sheets = ods_sheets(shared_data / WORKBOOK, set(COLUMNS))
    out = {}
    for sheet, rows in sheets.items():
        header = [" ".join(cell.split()) for cell in rows[7]]
        position = header.index(COLUMNS[sheet])
        out[sheet] = {
            (row[0], row[2]): (row[1], row[position])
            for row in rows[8:]
            if len(row) > position and len(row[0]) == 7 and row[0][4] == "/" and row[2]
        }
    return out


@pytest.fixture(scope="module")
def district_population(shared_data) -> dict[str, int]:
    """LAD 2022 code -> mid-2020 residents: each LSOA 2011's total_population shared equally among its LSOA 2021
    children (three cross a district boundary) and added to each child's district."""
    with gzip.open(shared_data / "geography/lookup_lsoa11_lsoa21_ltla22_EW.csv.gz", "rt", encoding="utf-8") as h:
        children = defaultdict(dict)
        for row in csv.DictReader(h):
            children[row["lsoa11_code"]][row["lsoa21_code"]] = row["ltla22_code"]
    totals: dict[str, float] = defaultdict(float)
    path = shared_data / "population/population20_lsoa11_single_year_of_age_EW.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            districts = children[row["lsoa11_code"]].values()
            for district in districts:
                totals[district] += int(row["total_population"]) / len(districts)
    return {district: round(total) for district, total in totals.items()}


@pytest.fixture(scope="module")
def licensing_codes() -> dict[str, str]:
    with (ROOT / "src/vru/sources/partner_area_lookup.csv").open(encoding="utf-8") as handle:
        return {r["key"]: r["area_code"] for r in csv.DictReader(handle) if r["scheme"] == "ho_licensing_authority"}


@pytest.fixture(scope="module")
def chapters(demo_data, tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("licensing") / "w.duckdb")
    load_partner_tables(con, [demo_data / "partner_la"])
    yield partner_factor_chapters(con, BANES)
    con.close()


def test_the_packaged_district_populations_are_the_lsoa_estimates_summed(district_population):
    with (ROOT / "src/vru/sources/local_authority_population_mid2020.csv").open(encoding="utf-8") as handle:
        packaged = {row["area_code"]: int(row["population"]) for row in csv.DictReader(handle)}
    assert packaged == district_population
    assert packaged[BANES] == 196_357 and sum(packaged.values()) == 59_719_724  # ONS mid-2020, England and Wales


@pytest.mark.parametrize("sheet", sorted(COLUMNS))
def test_the_demo_cut_holds_every_english_authority_as_published(demo_data, workbook, sheet):
    path = demo_data / f"partner_la/licensing/alcohol_latr_night_licensing_tables_2022_{sheet.lower()}.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[7] == ["Year (as at 31 March)", "Region", "Licensing authority", COLUMNS[sheet]]
    kept = {(row[0], row[2]): (row[1], row[3]) for row in rows[8:]}
    expected = {key: cell for key, cell in workbook[sheet].items() if cell[0] != "Wales"}
    assert kept == expected
    assert kept[("2021/22", "Bath & North East Somerset")][1] == {"Table_2": "864", "Table_3": "361"}[sheet]


@pytest.mark.parametrize("sheet", sorted(COLUMNS))
def test_the_chapter_figures_are_the_workbook_per_10000_residents(
    chapters, workbook, district_population, licensing_codes, sheet
):
    factor = next(f for f in chapters["chapters"]["risk_factors"]["factors"] if f["indicator"] == INDICATORS[sheet])
    cells = workbook[sheet]
    names = {code: name for name, code in licensing_codes.items()}
    for index, year in enumerate(factor["years"]):
        period = year["period"]
        own = int(cells[(period, "Bath & North East Somerset")][1])
        assert year["area"] == pytest.approx(own / district_population[BANES] * 10_000)
        assert factor["area_counts"][index] == own
        published = 0
        for figure in factor["neighbour_figures"]:
            cell = cells.get((period, names[figure["code"]]), ("", "x"))[1]
            if cell == "x":
                assert figure["values"][index] is None
            else:
                published += 1
                rate = int(cell) / district_population[figure["code"]] * 10_000
                assert figure["values"][index] == pytest.approx(rate)
        assert year["neighbours_published"] == published
        english = [
            (int(cell), district_population[licensing_codes[name]])
            for (label, name), (region, cell) in cells.items()
            if label == period
            and region not in ("Wales", "*England and Wales")
            and cell.isdigit()
            and licensing_codes.get(name) in district_population
        ]
        assert year["england"] == pytest.approx(sum(c for c, _ in english) / sum(p for _, p in english) * 10_000)
    assert [f["name"] for f in factor["neighbour_figures"]] == [
        "York", "Trafford", "Stockport", "Kingston upon Thames", "Buckinghamshire",
    ]  # fmt: skip
    assert factor["publication"].startswith("Home Office: Alcohol and late night refreshment licensing")


def test_the_whole_workbook_gives_the_chapter_the_same_figures_as_the_demo_cut(shared_data, chapters, tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_partner_tables(con, [shared_data / WORKBOOK])
    whole = partner_factor_chapters(con, BANES)
    con.close()
    for indicator in INDICATORS.values():
        from_demo = next(f for f in chapters["chapters"]["risk_factors"]["factors"] if f["indicator"] == indicator)
        from_whole = next(f for f in whole["chapters"]["risk_factors"]["factors"] if f["indicator"] == indicator)
        assert from_whole["years"] == from_demo["years"]
        assert from_whole["neighbour_figures"] == from_demo["neighbour_figures"]
