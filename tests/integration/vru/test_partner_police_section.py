"""The report's "Partner data against police records, by neighbourhood": the SYNTHETIC emergency department
file tests/data/partner_synthetic/synthetic_ed_assault_blind_spot.csv (made-up attendances: 12 and 4 in two
LSOAs where police.uk records no violence in January 2024, 1 and 3 in two busy ones) against the real B&NES
police.uk demo extract. Partner counts are checked against a plain csv count of the synthetic file, police
counts against a plain csv count of the demo file; nothing shows until the source is publishable, and
partner counts of 1-4 never do."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vru.assessment.partner_police import partner_police_section
from vru.assessment.queries import resolve_area
from vru.report.sections.common import Registry
from vru.report.sections.partner_factors import _partner_police
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.partner import load_partner_tables
from vru.warehouse.partner_intake import mark_publishable
from vru.warehouse.reference import load_reference

SYNTHETIC = Path(__file__).resolve().parents[2] / "data" / "partner_synthetic"
BLIND_SPOT_FILE = SYNTHETIC / "synthetic_ed_assault_blind_spot.csv"
ORG = "Synthetic test hospital"
VIOLENCE = "Violence and sexual offences"
BANES = "E06000022"


@pytest.fixture(scope="module")
def warehouse(demo_data, tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("partner_police_section") / "w.duckdb")
    load_reference(con, [demo_data / "geography"])
    ingest(con, [demo_data / "police_uk" / "street" / "2024-01-avon-and-somerset-street.csv.gz"])
    load_partner_tables(con, [BLIND_SPOT_FILE], organisation=ORG)
    yield con
    con.close()


def plain_counts(demo_data):
    with BLIND_SPOT_FILE.open(newline="") as handle:
        partner = Counter(row["lsoa21_code"] for row in csv.DictReader(handle))
    path = demo_data / "police_uk" / "street" / "2024-01-avon-and-somerset-street.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        police = Counter(row["LSOA code"] for row in csv.DictReader(handle) if row["Crime type"] == VIOLENCE)
    return partner, police


def test_not_shown_until_publishable_and_the_reason_says_so(warehouse):
    mark_publishable(warehouse, ORG, "ed_assault", False, "tester", datetime.now(UTC))
    section = partner_police_section(warehouse, resolve_area(warehouse, BANES), [VIOLENCE])
    assert not section["available"] and section["not_publishable"] == 1
    assert "1 partner source with counts by neighbourhood is loaded but not marked publishable" in section["reason"]
    assert "sources" not in section


def test_the_blind_spot_is_listed_and_small_partner_counts_are_withheld(warehouse, demo_data, tmp_path):
    mark_publishable(warehouse, ORG, "ed_assault", True, "tester", datetime.now(UTC))
    section = partner_police_section(warehouse, resolve_area(warehouse, BANES), [VIOLENCE])
    partner, police = plain_counts(demo_data)
    assert section["available"] and section["not_publishable"] == 0
    (source,) = section["sources"]
    assert (source["months_from"], source["months_to"], source["months"]) == ("2024-01", "2024-01", 1)
    places = {place["lsoa21_code"]: place for place in source["places"]}
    # 12 made-up attendances where police.uk has no violence that month: more seen by the partner.
    assert police["E01014383"] == 0 and partner["E01014383"] == 12
    blind = places["E01014383"]
    assert (blind["direction"], blind["partner"], blind["police"]) == ("more_than_police", 12, 0)
    with gzip.open(demo_data / "geography" / "lookup_lsoa21_ward24_ltla24_banes.csv.gz", "rt") as handle:
        names = {row["lsoa21_code"]: row["lsoa21_name"] for row in csv.DictReader(handle)}
    assert blind["lsoa21_name"] == names["E01014383"]
    for place in source["places"]:
        assert place["police"] == police[place["lsoa21_code"]]
        if 0 < partner[place["lsoa21_code"]] < 5:  # 4 (and 1, 3 if listed): never shown
            assert place["partner_withheld"] and place["partner"] is None and place["p_value"] is None
        else:
            assert place["partner"] == partner[place["lsoa21_code"]]
    # The report's table: the withheld counts read "fewer than 5"; no 1-4 partner count anywhere in it.
    view = _partner_police(Registry(tmp_path), section)
    (shown,) = view["sources"]
    rows = {row[0].split("(")[-1].rstrip(")"): row for row in shown["table"].rows}
    assert rows["E01014383"][1:] == ["12", "0", "More seen by the partner"]
    assert all(row[1] not in {"1", "2", "3", "4"} for row in rows.values())
    # 4 made-up attendances where police.uk has none: listed, its count withheld.
    assert police["E01014405"] == 0 and partner["E01014405"] == 4
    assert rows["E01014405"][1:] == ["fewer than 5", "0", "More seen by the partner"]
    assert "Synthetic test hospital, January 2024 to January 2024" in shown["summary"]


def test_without_any_partner_counts_by_lsoa_the_section_says_how_to_provide_them(demo_data, tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_reference(con, [demo_data / "geography"])
    section = partner_police_section(con, resolve_area(con, BANES), [VIOLENCE])
    con.close()
    assert not section["available"] and section["not_publishable"] == 0
    assert section["reason"].startswith("No partner data with counts by neighbourhood (LSOA) is loaded")
    view = _partner_police(Registry(tmp_path), section)
    assert not view["available"] and "ambulance service" in view["how_to_provide"]
