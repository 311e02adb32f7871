"""Partner counts by LSOA against police counts: the SYNTHETIC emergency department file
(tests/data/partner_synthetic, made-up records) against the real B&NES police.uk demo extract. The police
counts equal a plain csv count of the demo files; the partner counts a plain count of the synthetic file;
nothing is public until the source is marked publishable, and counts of 1-4 never are."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vru.analysis.partner_quality import partner_police_difference, public_counts
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.partner import load_partner_tables
from vru.warehouse.partner_intake import mark_publishable, partner_and_police_by_lsoa, publishable_sources

ED_FILE = Path(__file__).resolve().parents[2] / "data" / "partner_synthetic" / "synthetic_ed_assault_good.csv"
ORG = "Synthetic test hospital"
VIOLENCE = "Violence and sexual offences"


@pytest.fixture(scope="module")
def warehouse(demo_data, tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("partner_police") / "w.duckdb")
    ingest(con, [demo_data / "police_uk" / "street" / f"2024-0{m}-avon-and-somerset-street.csv.gz" for m in (1, 2)])
    load_partner_tables(con, [ED_FILE], organisation=ORG)
    yield con
    con.close()


def test_counts_equal_plain_counts_of_the_files(warehouse, demo_data):
    with ED_FILE.open(newline="") as handle:
        records = list(csv.DictReader(handle))
    lsoas = sorted({row["lsoa21_code"] for row in records if row["lsoa21_code"]})
    partner, police = partner_and_police_by_lsoa(warehouse, ORG, "ed_assault", lsoas, [VIOLENCE])
    assert partner.to_dict() == dict(Counter(row["lsoa21_code"] for row in records if row["lsoa21_code"]))
    expected = Counter()
    for month in (1, 2):
        path = demo_data / "police_uk" / "street" / f"2024-0{month}-avon-and-somerset-street.csv.gz"
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["LSOA code"] in lsoas and row["Crime type"] == VIOLENCE:
                    expected[row["LSOA code"]] += 1
    assert police.to_dict() == dict(expected)
    difference = partner_police_difference(partner, police)
    assert set(difference.index) == set(lsoas)
    assert not difference["more_than_police"].any()  # a handful of made-up attendances: no evidence


def test_nothing_public_until_marked_and_never_1_to_4(warehouse):
    partner, _ = partner_and_police_by_lsoa(warehouse, ORG, "ed_assault", ["E01014370", "E01014371"], [VIOLENCE])
    counts = (
        partner.rename("count").rename_axis("lsoa21_code").reset_index().assign(organisation=ORG, kind="ed_assault")
    )
    assert public_counts(counts, publishable_sources(warehouse)).empty
    mark_publishable(warehouse, ORG, "ed_assault", True, "tester", datetime.now(UTC))
    public = public_counts(counts, publishable_sources(warehouse))
    assert public["withheld"].all() and public["count"].isna().all()  # 3 and 1 attendances: both withheld
