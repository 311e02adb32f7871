"""The CSV beside every table and chart of the public dashboard: one for each table, each figure the bundle's own
(read here with pyarrow, not through the portal), small numbers suppressed as the page does, every column
defined on the page, cells safe in a spreadsheet, and only the approved assessment's."""

from __future__ import annotations

import csv
import io
import json
import re

import pyarrow.parquet as pq
import pytest

from portal.dashboards.downloads import CATALOGUE
from portal.dashboards.models import RenderedDashboard
from portal.insights.assessments import publish_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("approve_on_publishing")]
PAGES = [
    "/dashboard/",
    "/dashboard/neighbourhoods/",
    "/dashboard/wards/",
    "/dashboard/hot-spots/",
    "/dashboard/comparison/",
]


@pytest.fixture
def published(demo_bundle, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return publish_assessment(demo_bundle)


def download(client, name: str) -> list[dict]:
    response = client.get(f"/dashboard/data/{name}.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "version-1" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_table_of_the_public_dashboard_has_its_csv_and_definitions(client, published, demo_bundle):
    linked = []
    for page in PAGES:
        html = client.get(page).content.decode()
        links = re.findall(r'href="/dashboard/data/([a-z_]+)\.csv" download', html)
        # One CSV for each table the page holds (the partner factors' table is another part's).
        tables = html.count("<table") - html.count("The latest period each partner publishes")
        assert len(links) == tables, page
        for name in links:
            for column, _ in CATALOGUE[name].columns:
                assert f"<code>{column}</code>" in html, (page, name, column)
        linked += links
    # A table the page leaves out leaves its CSV out: the demo warehouse does not hold the whole force (no
    # comparison), and a bundle may have no hot or cold spot.
    absent = set()
    if not pq.read_table(demo_bundle / "comparison.parquet").num_rows:
        absent.add("comparison")
    if not {row["hotspot"] for row in pq.read_table(demo_bundle / "lsoa.parquet").to_pylist()} & {
        "hot spot",
        "cold spot",
    }:
        absent.add("hot_spots_list")
    summary = json.loads((demo_bundle / "summary.json").read_text(encoding="utf-8"))
    if not summary["national"]["available"]:
        absent |= {"national", "similar_partnerships"}
    if not summary["priority_places"]["places"]:
        absent.add("priority_places")
    public = {name for name, item in CATALOGUE.items() if not item.staff}
    assert sorted(linked) == sorted(public - absent)
    for name in public:
        response = client.get(f"/dashboard/data/{name}.csv")
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert header == CATALOGUE[name].header
        assert bool(download(client, name)) == (name not in absent), name


def test_the_csv_figures_are_the_bundles_with_the_pages_small_number_rule(client, published, demo_bundle):
    lsoa = {row["lsoa21_code"]: row for row in pq.read_table(demo_bundle / "lsoa.parquet").to_pylist()}
    rows = download(client, "neighbourhoods")
    assert {row["code"] for row in rows} == set(lsoa)
    small = 0
    for row in rows:
        source = lsoa[row["code"]]
        if 0 < source["count"] < 5:
            small += 1
            assert (row["count"], row["rate_per_1000"], row["rank"]) == ("fewer than 5", "not shown", "not shown")
        else:
            assert int(row["count"]) == source["count"] and int(row["rank"]) == source["rank"]
            assert float(row["rate_per_1000"]) == pytest.approx(source["rate_per_1000"])
    page = client.get("/dashboard/neighbourhoods/").content.decode()
    assert page.count("fewer than 5") >= small
    # The monthly series: the profile's count each month, and nothing for a month police.uk does not have.
    summary = json.loads((demo_bundle / "summary.json").read_text())
    profile = f"profile:{summary['profile']['name']}"
    monthly = {
        row["month"]: row["count"]
        for row in pq.read_table(demo_bundle / "monthly.parquet").to_pylist()
        if row["category"] == profile
    }
    for row in download(client, "monthly"):
        expected = "" if row["month"] in summary["missing_months"] else str(monthly[row["month"]])
        assert row["count"] == expected, row["month"]
    outcomes = pq.read_table(demo_bundle / "outcomes.parquet").to_pylist()
    assert len(download(client, "outcomes")) == len(outcomes)
    assert sum(int(row["count"]) for row in download(client, "yearly")) == sum(monthly.values())


def test_a_cell_a_spreadsheet_would_run_is_written_as_text(client, published):
    """A bad-input test: a location name made up to start with '=' (police.uk's never do)."""
    rendered = RenderedDashboard.objects.get()
    rendered.downloads["locations"]["rows"][0][0] = '=HYPERLINK("http://example.org")'
    rendered.save()
    assert download(client, "locations")[0]["location"] == '\'=HYPERLINK("http://example.org")'


def test_unknown_tables_and_unapproved_assessments_have_no_csv(client, demo_bundle, settings, tmp_path):
    assert client.get("/dashboard/data/monthly.csv").status_code == 404  # nothing published
    publish_assessment(demo_bundle)
    assert client.get("/dashboard/data/secrets.csv").status_code == 404
    assert client.get("/dashboard/data/monthly.csv").status_code == 200


def test_the_staff_pages_tables_have_their_csv_for_staff_only(client, published, demo_bundle):
    from django.contrib.auth import get_user_model

    from portal.accounts.users import assign_role

    def user(name: str, role: str):
        account = get_user_model().objects.create_user(name)
        assign_role(account, role)
        return account

    staff_names = [name for name, download in CATALOGUE.items() if download.staff]
    assert client.get("/dashboard/data/forecast.csv").status_code == 302  # to the sign-in page
    client.force_login(get_user_model().objects.create_user("nobody"))  # signed in, in no role
    assert client.get("/dashboard/data/forecast.csv").status_code == 403
    client.force_login(user("pat", "partner"))
    html = client.get("/dashboard/staff/").content.decode()
    links = re.findall(r'href="/dashboard/data/([a-z_]+)\.csv" download', html)
    assert set(links) <= set(staff_names) and "forecast" in links and "deprivation" in links
    response = client.get("/dashboard/data/deprivation.csv")
    assert "no-cache" in response["Cache-Control"]
    summary = json.loads((demo_bundle / "summary.json").read_text())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = summary["deprivation"]["imd2025"]["rate_by_decile"]
    mine = [row for row in rows if row["edition"] == "imd2025"]
    assert [int(row["imd_decile"]) for row in mine] == [row["imd_decile"] for row in expected]
    for row, source in zip(mine, expected, strict=True):
        assert row["count"] == ("fewer than 5" if 0 < source["count"] < 5 else str(source["count"]))
    # Partner-sourced estimates follow the partner rule: under 5, zero included, is never shown.
    for row in list(
        csv.DictReader(io.StringIO(client.get("/dashboard/data/cost_split.csv").content.decode("utf-8-sig")))
    ):
        for key in ("central", "low", "high"):
            assert row[key] == "fewer than 5" or row[key] == "" or float(row[key]) >= 5, row


def test_the_priority_places_csv_holds_the_bundles_places_unrounded(client, published, demo_bundle):
    summary = json.loads((demo_bundle / "summary.json").read_text(encoding="utf-8"))
    places = summary["priority_places"]["places"]
    rows = download(client, "priority_places")
    assert [row["code"] for row in rows] == [place["code"] for place in places]
    for row, place in zip(rows, places, strict=True):
        assert int(row["count"]) == place["count"] and float(row["excess_ratio"]) == place["excess_ratio"]
        assert float(row["excess_lower"]) == place["excess_lower"] and row["ward"] == place["ward_name"]


def test_a_csvs_columns_must_be_its_header_in_order():
    """The columns that fill a CSV are listed beside its CATALOGUE header, not derived from it: out of order (or
    one missing), building the CSV fails rather than write figures under the wrong heading."""
    from portal.dashboards.downloads import _rows
    from portal.insights.presentation import tables

    records = [{"month": "2024-01", "count": 3}]
    assert _rows("monthly", records, [tables.text("month", "month"), tables.text("count", "count")]) == [["2024-01", 3]]
    with pytest.raises(ValueError, match="monthly"):
        _rows("monthly", records, [tables.text("count", "count"), tables.text("month", "month")])


def test_a_small_count_hides_what_would_give_it_away_in_every_csv(published):
    """SYNTHETIC rows added to the demo's published tables: a partnership whose count is 3 (its ratio to the
    public area rate would give its rate back) and an outcome year and category of 3 crimes in all."""
    from portal.dashboards.downloads import build

    published.tables["comparison"] = [
        {"code": "E00000001", "name": "Small partnership", "level": "csp", "count": 3, "months": 28, "rate": 0.1,
         "lower": 0.02, "upper": 0.3, "rank": 1, "focus_ratio": 4.2, "focus_ratio_lower": 1.1,
         "focus_ratio_upper": 9.9},
    ]  # fmt: skip
    published.tables["outcomes"] = [
        {"year": 2024, "category": "robbery", "outcome_group": "charged", "count": 2, "total": 3, "share": 0.67},
    ]
    rows = build(published)
    [comparison] = rows["comparison"]["rows"]
    header = CATALOGUE["comparison"].header
    shown = dict(zip(header, comparison, strict=True))
    assert shown["count"] == "fewer than 5"
    assert {shown[key] for key in ("rate_per_1000", "rate_lower", "rate_upper")} == {"not shown"}
    assert {shown[key] for key in ("ratio_to_area", "ratio_lower", "ratio_upper")} == {"not shown"}
    [outcome] = rows["outcomes"]["rows"]
    shown = dict(zip(CATALOGUE["outcomes"].header, outcome, strict=True))
    assert (shown["count"], shown["total"], shown["share"]) == ("fewer than 5", "fewer than 5", "not shown")
