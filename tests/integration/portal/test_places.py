"""Ward and neighbourhood profiles for analysts: the area picker, the profiles, a CSV beside every table, the
definitions and the next update; only the approved assessment is shown. Figures are checked against the
bundle's Parquet files read directly with pyarrow (not through the portal)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from django.core.cache import cache
from django.utils import timezone

from portal.insights.assessments import publish_assessment
from portal.publication.models import Release

pytestmark = pytest.mark.django_db
PLACES = "/dashboard/places/"


@pytest.fixture
def approved(demo_bundle, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.VRU_ASSESSMENT_UPDATE_MONTHS = 3
    cache.clear()
    assessment = publish_assessment(demo_bundle)
    Release.objects.create(
        assessment=assessment,
        area_code=assessment.area_code,
        status="approved",
        version=1,
        approved_at=timezone.make_aware(timezone.datetime(2026, 11, 30, 10, 0)),
        approved_by_name="april",
        approved_as="Assessment approver",
    )
    return assessment


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def wards(demo_bundle: Path) -> list[dict]:
    return pq.read_table(demo_bundle / "ward.parquet").to_pylist()


def lsoas(demo_bundle: Path) -> list[dict]:
    return pq.read_table(demo_bundle / "lsoa.parquet").to_pylist()


def test_nothing_is_shown_before_an_assessment_is_approved(client, demo_bundle, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    cache.clear()
    draft = publish_assessment(demo_bundle)
    response = client.get(PLACES)
    assert response.status_code == 404
    assert "has not been approved for publication yet" in text_of(response)
    ward = wards(demo_bundle)[0]["ward_code"]
    assert client.get(f"{PLACES}wards/{ward}/").status_code == 404
    assert draft.pk


def test_the_picker_lists_every_ward_and_neighbourhood_and_goes_to_the_profile(client, approved, demo_bundle):
    html = client.get(PLACES).content.decode()
    for ward in wards(demo_bundle):
        assert f'<option value="{ward["ward_code"]}">' in html
    assert html.count("<option ") == len(wards(demo_bundle)) + len(lsoas(demo_bundle))
    ward = wards(demo_bundle)[0]
    response = client.get(PLACES, {"ward": ward["ward_code"]})
    assert response.status_code == 302 and response["Location"] == f"{PLACES}wards/{ward['ward_code']}/"
    lsoa = lsoas(demo_bundle)[0]
    response = client.get(PLACES, {"neighbourhood": lsoa["lsoa21_code"]})
    assert response["Location"] == f"{PLACES}neighbourhoods/{lsoa['lsoa21_code']}/"
    # An unknown code shows the picker again rather than an error.
    assert client.get(PLACES, {"ward": "E05999999"}).status_code == 200


def test_a_ward_profile_matches_the_bundle(client, approved, demo_bundle):
    ward = max(wards(demo_bundle), key=lambda row: row["rate_per_1000"])  # the highest rate: rank 1
    in_ward = [row for row in lsoas(demo_bundle) if row["ward_code"] == ward["ward_code"]]
    text = text_of(client.get(f"{PLACES}wards/{ward['ward_code']}/"))
    assert ward["ward_name"] in text
    assert f"Crimes in the profile {ward['count']:,} (January 2023 to April 2025)" in text
    assert f"{ward['rate_per_1000']:.1f} (95% interval {ward['rate_lower']:.1f} to {ward['rate_upper']:.1f})" in text
    assert f"Rank among {len(wards(demo_bundle))} wards 1 (by rate; 1 is the highest)" in text
    # Each year's count is the sum of the ward's neighbourhoods' counts, from the Parquet file.
    for year in ("2023", "2024", "2025"):
        total = sum(row[f"count_{year}"] for row in in_ward)
        assert f"{year} {total:,}" in text
    assert "4 months of data" in text  # 2025: January to April
    for row in in_ward:
        assert row["lsoa21_name"] in text
    # The honest label, the definitions and the next update.
    assert "violence and sexual offences" in text and "robbery" in text and "possession of weapons" in text
    assert "Version 1 of the needs assessment, approved on 30 November 2026" in text
    assert "Due in February 2027" in text


def test_every_table_has_a_csv_with_the_same_figures(client, approved, demo_bundle):
    ward = wards(demo_bundle)[0]
    page = client.get(f"{PLACES}wards/{ward['ward_code']}/").content.decode()
    links = re.findall(r'href="([^"]+\.csv)" download', page)
    assert links == [
        f"{PLACES}wards/{ward['ward_code']}/years.csv",
        f"{PLACES}wards/{ward['ward_code']}/categories.csv",
        f"{PLACES}wards/{ward['ward_code']}/neighbourhoods.csv",
    ]
    assert page.count("<table") == len(links)
    response = client.get(links[2])
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = {row["lsoa21_code"]: row for row in lsoas(demo_bundle) if row["ward_code"] == ward["ward_code"]}
    assert {row["lsoa21_code"] for row in rows} == set(expected)
    for row in rows:
        source = expected[row["lsoa21_code"]]
        if 0 < source["count"] < 5:
            assert row["count"] == "fewer than 5" and row["rate_per_1000"] == "not shown"
        else:
            assert int(row["count"]) == source["count"]
            assert float(row["rate_per_1000"]) == pytest.approx(source["rate_per_1000"])
    years = list(csv.DictReader(io.StringIO(client.get(links[0]).content.decode("utf-8-sig"))))
    assert [row["year"] for row in years] == ["2023", "2024", "2025"]


def test_a_neighbourhood_profile_links_its_ward_and_suppresses_small_numbers(client, approved, demo_bundle):
    rows = lsoas(demo_bundle)
    lsoa = min(rows, key=lambda row: row["count"])
    text = text_of(client.get(f"{PLACES}neighbourhoods/{lsoa['lsoa21_code']}/"))
    assert lsoa["lsoa21_name"] in text and f"In the ward of {lsoa['ward_name']}" in text
    assert f"Rank among {len(rows)} neighbourhoods {lsoa['rank']}" in text
    for year in ("2023", "2024", "2025"):
        count = lsoa[f"count_{year}"]
        assert f"{year} {'fewer than 5' if 0 < count < 5 else f'{count:,}'}" in text


def test_unknown_places_and_tables_are_not_found(client, approved):
    assert client.get(f"{PLACES}wards/E05999999/").status_code == 404
    assert client.get(f"{PLACES}counties/E05999999/").status_code == 404
    ward = approved.tables["ward"][0]["ward_code"]
    assert client.get(f"{PLACES}wards/{ward}/secrets.csv").status_code == 404


def test_a_ward_profile_breaks_its_crimes_down_by_category_as_the_bundle_does(client, approved, demo_bundle):
    """The bundle's ward_category table (checked against the raw files in test_assess_banes.py), on the page
    and in its CSV, with the same small-number rule."""
    table = pd.read_parquet(demo_bundle / "ward_category.parquet")
    ward = wards(demo_bundle)[0]
    mine = table[table["ward_code"] == ward["ward_code"]]
    assert mine["count"].sum() == ward["count"]
    text = text_of(client.get(f"{PLACES}wards/{ward['ward_code']}/"))
    caption = f"by police.uk category and year, {ward['ward_name']} (2024: 10 months of data; 2025: 4 months of data)"
    assert caption in text
    response = client.get(f"{PLACES}wards/{ward['ward_code']}/categories.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["category"] for row in rows] == sorted(mine["category"].unique())
    for row in rows:
        for year in ("2023", "2024", "2025"):
            count = int(mine[(mine["category"] == row["category"]) & (mine["year"] == year)]["count"].iloc[0])
            assert row[year] == ("fewer than 5" if 0 < count < 5 else str(count))
        total = int(mine[mine["category"] == row["category"]]["count"].sum())
        assert row["total"] == ("fewer than 5" if 0 < total < 5 else str(total))
        cells = " ".join(row[year] for year in ("2023", "2024", "2025"))
        assert f"{row['category']} {cells} {row['total']}" in text.replace(",", "")
