"""The real ONS police force area tables in ../shared/data/recorded_crime: the figures published in
PROVENANCE.md, read here independently with openpyxl, equal the reader's; every edition loads; and the
seed page's £765m headline is recomputed and its gap reported.

Skips with a reason when the shared data is absent; fails instead in CI (CI=true)."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from vru.analysis.cost import force_mix, split_violence_and_sexual_offences
from vru.analysis.cost_claim import reproduce_claim
from vru.sources.cost_claims import claims_for_force
from vru.sources.recorded_crime import read_pfa_workbook
from vru.sources.unit_costs import read_unit_costs
from vru.warehouse import connect
from vru.warehouse.partner import load_partner_tables, read_partner_recorded_crime

pytestmark = [pytest.mark.shared_data]
REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("VRU_SHARED_DATA", REPO_ROOT.parent / "shared" / "data")).resolve()
TABLES = SHARED / "recorded_crime" / "ons_pfa_tables"
UNIT_COSTS = SHARED.parent / "reference" / "unit_costs_home_office_2018.csv"
MARCH_2018 = TABLES / "policeforceareatablesyearendingmarch2018v2.xlsx"
MARCH_2019 = TABLES / "policeforceareatablesyeendingmarch2019.xlsx"
AVON_AND_SOMERSET = "E23000036"
EDITIONS = ["2018-03", "2018-06", "2018-09", "2018-12", "2019-03", "2019-06", "2019-09", "2019-12"]


@pytest.fixture(scope="module", autouse=True)
def shared_tables(shared_data) -> None:
    """Skips (fails in CI) through the shared_data fixture when ../shared/data is absent."""


def independent_cell(path: Path, table: str, code: str, header: str, header_row_above: bool = False):
    """A value read with openpyxl alone: sheet by stripped name, header row holding 'Area Code', the
    column whose header (footnote digits removed) is `header` (or in the row above, for P4's offence
    headings), the row whose first cell is `code`."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = next(workbook[name] for name in workbook.sheetnames if name.strip() == table)
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    header_index = next(i for i, row in enumerate(rows) if "Area Code" in [str(c).strip() for c in row])
    labels = rows[header_index - 1] if header_row_above else rows[header_index]
    column = next(
        j for j, label in enumerate(labels) if label and re.sub(r"[\d,\s]+$", "", str(label)).strip() == header
    )
    row = next(row for row in rows[header_index + 1 :] if row[0] == code)
    return row[column]


@pytest.fixture(scope="module")
def workbooks():
    return {read.edition_end: read for read in map(read_pfa_workbook, sorted(TABLES.glob("*.xlsx")))}


@pytest.fixture(scope="module")
def frame(workbooks) -> pd.DataFrame:
    return pd.concat([read.frame for read in workbooks.values()], ignore_index=True)


def reader_count(frame: pd.DataFrame, edition: str, table: str, group: str, period: str | None = None):
    rows = frame[
        (frame.edition_end == edition)
        & (frame.table_id == table)
        & (frame.pfa_code == AVON_AND_SOMERSET)
        & (frame.offence_group == group)
        & (frame.period_end == (period or edition))
    ]
    assert len(rows) == 1
    return rows["count"].iloc[0]


@pytest.mark.parametrize(
    ("path", "edition", "group", "header", "published"),
    [
        (MARCH_2018, "2018-03", "homicide", "Homicide", 13),
        (MARCH_2018, "2018-03", "violence_with_injury", "Violence with injury", 12_075),
        (MARCH_2019, "2019-03", "homicide", "Homicide", 15),
        (MARCH_2019, "2019-03", "violence_with_injury", "Violence with injury", 12_954),
    ],
)
def test_p1_figures_in_provenance(frame, path, edition, group, header, published):
    assert independent_cell(path, "Table P1", AVON_AND_SOMERSET, header) == published
    assert reader_count(frame, edition, "P1", group) == published


def test_p4_knife_offences_year_ending_march_2019(frame):
    assert independent_cell(MARCH_2019, "Table P4", AVON_AND_SOMERSET, "Number of offences involving a knife") == 885
    assert reader_count(frame, "2019-03", "P4", "knife_selected_offences") == 885
    assert reader_count(frame, "2019-03", "P5", "knife_selected_offences") == 885


def test_every_edition_reads_with_its_checksum(workbooks):
    assert sorted(workbooks) == EDITIONS
    sums = {
        Path(name).name: digest
        for digest, name in (line.split() for line in (SHARED / "SHA256SUMS").read_text().splitlines() if line)
    }
    for read in workbooks.values():
        assert read.sha256 == sums[read.path.name] == hashlib.sha256(read.path.read_bytes()).hexdigest()
        assert read.tables == ["P1", "P2", "P4", "P5"] and not read.warnings
        p1 = read.frame[(read.frame.table_id == "P1") & read.frame.pfa_code.str.startswith("E23", na=False)]
        assert p1.pfa_code.nunique() == 39  # English forces, City of London included (Welsh ones are W15)
        assert not p1.pfa_name.str.contains(r"\d").any()


def test_footnotes_and_markers_are_kept(frame):
    p1 = frame[(frame.table_id == "P1") & (frame.pfa_code == AVON_AND_SOMERSET)]
    assert set(p1.pfa_name) == {"Avon and Somerset"}  # "Avon and Somerset8" / " 9" in the files
    noted = p1[p1.note.fillna("").str.contains("administrative error")]
    assert set(noted.edition_end) == {"2018-06", "2018-09", "2018-12", "2019-03", "2019-06"}
    # Greater Manchester could not supply July-December 2019: '..' in the December 2019 edition
    gmp = frame[(frame.edition_end == "2019-12") & (frame.table_id == "P1") & (frame.pfa_code == "E23000005")]
    assert gmp["count"].isna().all() and gmp.note.str.contains("published as '..'").all()


def test_warehouse_load_round_trips(tmp_path, frame):
    con = connect(tmp_path / "warehouse.duckdb")
    report = load_partner_tables(con, [TABLES])
    assert [load.edition_end for load in report.editions] == EDITIONS
    stored = read_partner_recorded_crime(con, "Avon and Somerset")
    con.close()
    mine = frame[frame.pfa_code == AVON_AND_SOMERSET]
    key = ["edition_end", "table_id", "period_end", "offence_group"]
    merged = mine.merge(stored, on=key, suffixes=("", "_stored"), validate="one_to_one")
    assert len(merged) == len(mine) == len(stored)
    assert (merged["count"].fillna(-1) == merged["count_stored"].fillna(-1)).all()


def test_force_mix_and_split(frame):
    mix = force_mix(frame, "Avon and Somerset")
    assert mix.editions == EDITIONS and mix.central_edition == "2019-12"
    assert sum(mix.central.values()) == pytest.approx(1)
    split = split_violence_and_sexual_offences(5_000, mix, "Bath and North East Somerset")
    parts = split.components
    assert parts["central"].sum() == pytest.approx(5_000)
    assert (parts["low"] <= parts["central"] + 1e-9).all() and (parts["central"] <= parts["high"] + 1e-9).all()


def test_headline_reproduction_runs_and_reports_its_gap(frame):
    (claim,) = claims_for_force("E23000036")
    check = reproduce_claim(
        frame,
        read_unit_costs(UNIT_COSTS),
        claim.pfa_name,
        claim.first_month,
        claim.last_month,
        groups=claim.offence_groups,
        published_gbp=claim.published_gbp,
        rough_counts_per_month=claim.rough_counts_per_month,
        rough_counts_in_period=claim.rough_counts_in_period,
    )
    print(check.describe())  # shown with pytest -s: the figures docs/cost.md quotes
    assert check.months == 41 and check.price_year == "2015/16"
    counts = check.counts.set_index("offence_group")
    # Apr 2017-Mar 2019 homicides straight from P1 (13 + 15); Nov 2015-Mar 2017 carried
    assert counts.loc["homicide", "months_p1"] == 24 and counts.loc["homicide", "months_carried"] == 17
    assert counts.loc["violence_with_injury", "months_carried"] == 5
    assert check.difference_gbp == pytest.approx(check.cost.total_gbp - 765_000_000)
    assert check.cost_low_gbp <= check.cost.total_gbp <= check.cost_high_gbp
    # A sanity bound, not a target: the recomputation must land in the same ballpark as the claim.
    assert abs(check.difference_pct) < 15
    assert any("administrative error" in text for text in check.assumptions)
    assert check.rough_cost_gbp == pytest.approx(1050 * 41 * 14050 + 50 * 3217740)
