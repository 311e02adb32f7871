"""Any force: a partnership outside Avon and Somerset assessed from the national files, and B&NES against
England and Wales and its most similar partnerships (January-March 2025).

Real files in ../shared/data: the national street files (every other force, three large forces and Greater
Manchester absent, see PROVENANCE) plus Avon and Somerset's. Expected counts are read from the raw files
with the csv module, independently of the warehouse.
"""

import csv
import gzip
import json
from collections import Counter
from html import unescape

import pandas as pd
import pytest

from tests.conftest import table_rows
from vru.assessment import assess
from vru.profiles import get_profile
from vru.report import render_report
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.reference import load_reference

pytestmark = pytest.mark.shared_data
MONTHS = ("2025-01", "2025-02", "2025-03")
PROFILE = set(get_profile().police_uk_categories)
MISSING_FORCES = ["Greater Manchester", "Metropolitan Police", "West Midlands", "West Yorkshire"]


@pytest.fixture(scope="module")
def files(shared_data):
    national = sorted((shared_data / "police_uk" / "national").glob("*/*-street.csv.gz"))
    avon = [shared_data / "police_uk" / "street" / f"{month}-avon-and-somerset-street.csv.gz" for month in MONTHS]
    return national + avon


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, shared_data, files):
    path = tmp_path_factory.mktemp("national") / "warehouse.duckdb"
    con = connect(path)
    load_reference(
        con,
        [shared_data / "geography", shared_data / "deprivation", shared_data / "population", shared_data / "prices"],
    )
    ingest(con, files)
    con.close()
    return path


def raw_profile_count(paths, lsoa_name_prefix: str) -> Counter:
    counts: Counter = Counter()
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["Crime type"] in PROFILE and row["LSOA name"].startswith(lsoa_name_prefix):
                    counts[row["Month"]] += 1
    return counts


def test_a_partnership_outside_avon_and_somerset_is_assessed(warehouse, files, tmp_path):
    con = connect(warehouse, read_only=True)
    code = con.execute("SELECT DISTINCT csp_code FROM ref_lad_csp_pfa WHERE csp_name = 'Swindon'").fetchone()[0]
    assess(con, code, "2025-01", "2025-03", get_profile(), tmp_path, permutations=99)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["area"]["pfa_name"] == "Wiltshire" and summary["area"]["force"] == "wiltshire"
    wiltshire = [path for path in files if "-wiltshire-" in path.name]
    raw = raw_profile_count(wiltshire, "Swindon ")
    monthly = pd.read_parquet(tmp_path / "monthly.parquet")
    profile = monthly[monthly["category"].str.startswith("profile:")]
    bundle = dict(zip(profile["month"], profile["count"].astype(int), strict=True))
    assert bundle == dict(raw)
    # No boundaries are loaded outside Avon and Somerset: maps and hot spots say so, nothing crashes.
    assert summary["where"]["available"] is False and "boundaries" in summary["where"]["reason"]
    assert summary["change"]["verdict"] == "not tested"
    assert summary["national"]["available"] and summary["national"]["forces_missing"] == MISSING_FORCES


def test_banes_against_england_and_wales_and_similar_partnerships(warehouse, files, tmp_path):
    con = connect(warehouse, read_only=True)
    assess(con, "E06000022", "2025-01", "2025-03", get_profile(), tmp_path, permutations=99)
    national = json.loads((tmp_path / "summary.json").read_text())["national"]
    assert national["months"] == list(MONTHS)
    assert national["forces_missing"] == MISSING_FORCES
    avon = [path for path in files if "-avon-and-somerset-" in path.name]
    banes = sum(raw_profile_count(avon, "Bath and North East Somerset").values())
    assert national["area"]["rate"]["count"] == banes == 1477
    similar = national["most_similar"]
    assert len(similar["partnerships"]) == 11 and similar["partnerships"][0]["code"] == "E22000001"
    assert all(code.startswith("W") for code in similar["excluded"])  # no English IMD score in Wales
    ratio = national["england_and_wales"]["ratio_to_rest"]
    assert ratio["lower"] <= ratio["ratio"] <= ratio["upper"]
    assert ratio["count_a"] == banes and ratio["lsoas_a"] == 118
    # The report's tables: the same months, the missing forces named, the similar partnerships' counts as in
    # their forces' raw files (City of York from North Yorkshire's), the similarity method said.
    render_report(tmp_path, tmp_path / "report", formats=("html",))
    html = unescape((tmp_path / "report" / "report.html").read_text(encoding="utf-8"))
    rows = {row[0]: row for row in table_rows(html, "table-national")}
    assert rows["Bath and North East Somerset"][1] == "1,477"
    assert rows["Its 10 most similar partnerships"][4].startswith(f"{similar['ratio_to_group']['ratio']:.2f} (")
    assert "January, February and March 2025 (the same months on every side)" in html
    assert "Greater Manchester, Metropolitan Police, West Midlands and West Yorkshire" in html
    peers = {row[1]: row for row in table_rows(html, "table-most-similar")}
    assert len(peers) == 11 and peers["Bath and North East Somerset"][0] == "0"
    york = sum(raw_profile_count([p for p in files if "-north-yorkshire-" in p.name], "York ").values())
    assert peers["City of York"][7] == f"{york:,}"
    assert "nearest neighbours on standardised characteristics" in html
    # The dashboard's part (portal.dashboards PARTS) prints the same comparison.
    from portal.dashboards.rendering import PARTS
    from portal.insights.models import PublishedAssessment

    summary = json.loads((tmp_path / "summary.json").read_text())
    part = PARTS["national"](PublishedAssessment(summary=summary))
    assert part["available"] and part["months"] == "January, February and March 2025"
    assert part["forces_missing"] == "Greater Manchester, Metropolitan Police, West Midlands and West Yorkshire"
    assert part["rows"][0]["count"] == "1,477"
    assert [peer["name"] for peer in part["peers"]][0] == "City of York"
    assert part["peers"][0]["count"] == f"{york:,}"
