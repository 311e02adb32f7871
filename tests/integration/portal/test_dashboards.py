"""The public dashboard and its staff page, from a bundle built from the committed demo extract."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from portal.accounts.users import create_staff_user
from portal.dashboards.rendering import build
from portal.insights.assessments import publish_assessment
from portal.insights.bundle import SCHEMA_VERSION, read_bundle
from portal.insights.models import PublishedAssessment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("approve_on_publishing")]
PASSWORD = "a long enough pass phrase"
AREA = "E06000022"


@pytest.fixture
def published(demo_bundle, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return publish_assessment(demo_bundle)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def unsaved_assessment(demo_bundle: Path, change=None) -> PublishedAssessment:
    """A PublishedAssessment in memory (not saved), with the bundle changed by `change(bundle_dict)`."""
    bundle = copy.deepcopy(read_bundle(demo_bundle))
    if change:
        change(bundle)
    summary = bundle["summary"]
    return PublishedAssessment(
        pk=1,
        area_code=summary["area_code"],
        area_name=summary["area"]["name"],
        generated_at=timezone.now(),
        published_at=timezone.now(),
        schema_version=SCHEMA_VERSION,
        bundle_path=str(demo_bundle),
        period_from=summary["period"]["from"],
        period_to=summary["period"]["to"],
        summary=summary,
        tables=bundle["tables"],
        boundaries=bundle["boundaries"],
    )


def test_nothing_published_says_how_to_publish(client):
    response = client.get(reverse("dashboards:overview"))
    assert response.status_code == 200
    assert "has not been published to this website yet" in text_of(response)
    assert "manage.py publish_insights --bundle var/bundle/E06000022" in text_of(response)


def test_the_overview_shows_headlines_findings_and_the_missing_months(client, published):
    response = client.get(reverse("dashboards:overview"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Serious violence in Bath and North East Somerset" in text
    # Nobody ran `vru fetch --check-available` for the demo: the gap is the loaded data's, not said to be police.uk's.
    assert "July and August 2024 are not in the loaded data" in text
    assert "police.uk has no data" not in text
    for finding in published.summary["findings"]:
        # The page prints each finding escaped as Django escapes (&, <, >, quotes).
        assert escape(finding["text"]) in response.content.decode()
    # Headline figures, with their caveats and dates.
    total = sum(row["count"] for row in published.summary["volume"])
    assert f"{total:,}" in text
    assert "What these figures cannot show" in text
    for caveat in published.summary["profile"]["cannot_separate"][:2]:
        assert caveat.replace("'", "&#x27;") in response.content.decode()
    assert "Outcomes as at" in text
    assert "Version 1, approved for publication on" in text


def test_the_trend_chart_is_an_accessible_svg_with_gaps_and_a_table(client, published):
    html = client.get(reverse("dashboards:overview")).content.decode()
    svg = re.search(r"<svg[^>]*aria-labelledby=\"trend-title trend-desc\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and '<title id="trend-title">' in svg and '<desc id="trend-desc">' in svg
    assert "July 2024: no data" in svg and "August 2024: no data" in svg
    assert "style=" not in svg and "<script" not in svg
    # One line before the gap and one after: the gap is not drawn as zero.
    assert svg.count("<polyline") == 2
    # The table alternative has every month, the missing ones marked.
    table = re.search(
        r'<table class="govuk-table[^"]*">\s*<caption[^>]*>Crimes counted each month.*?</table>', html, re.S
    )
    assert table and table.group(0).count("No data") == 2 and table.group(0).count("<tr") == 1 + 28


def test_the_neighbourhood_map_has_every_area_with_a_title_and_a_table(client, published):
    response = client.get(reverse("dashboards:neighbourhoods"))
    html = response.content.decode()
    svg = re.search(r"<svg[^>]*aria-labelledby=\"lsoa-map-title lsoa-map-desc\".*?</svg>", html, re.S).group(0)
    assert svg.count("<path d=") >= 118
    assert "Bath and North East Somerset 007A, Kingsmead ward:" in svg
    assert "a year per 1,000 residents, rank 1 of 118 by number of crimes" in svg
    for colour in ("#cae11f", "#481d6f"):
        assert colour in svg
    text = text_of(response)
    assert "Neighbourhoods by number of crimes, most first" in text
    assert "Bath and North East Somerset 007A E01014370" in text
    assert "Close-up" in text


def test_the_ward_page(client, published):
    text = text_of(client.get(reverse("dashboards:wards")))
    assert "Wards by rate, highest first" in text and "Kingsmead" in text


@pytest.fixture
def published_with_hot_spots(demo_bundle, settings, tmp_path):
    """With 99 permutations (to keep the test quick) no neighbourhood passes the 5% false discovery rate, so the
    bundle's LSOA table is given the two hot spots and one cold spot the full run finds."""
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    settings.VAR_DIR = tmp_path / "var"
    bundle = Path(shutil.copytree(demo_bundle, tmp_path / "bundle"))
    table = pq.read_table(bundle / "lsoa.parquet")
    rows = table.to_pylist()
    marks = {"E01014370": "hot spot", "E01014481": "hot spot", "E01014399": "cold spot"}
    for row in rows:
        if row["lsoa21_code"] in marks:
            row["hotspot"], row["hotspot_confidence"] = marks[row["lsoa21_code"]], 95
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), bundle / "lsoa.parquet")
    return publish_assessment(bundle)


def test_the_hot_spot_page_lists_and_marks_the_hot_spots(client, published_with_hot_spots):
    response = client.get(reverse("dashboards:hot_spots"))
    html, text = response.content.decode(), text_of(response)
    assert "2 hot spots" in text and "1 cold spot" in text
    hot = [row for row in published_with_hot_spots.tables["lsoa"] if row["hotspot"] == "hot spot"]
    for row in hot:
        assert escape(f"{row['lsoa21_name']} ({row['ward_name']}): hot spot") in html
        assert row["lsoa21_name"] in text
    assert "#b35806" in html and "#2166ac" in html  # hot and cold on the map
    assert 'aria-labelledby="hot-spot-close-up-title hot-spot-close-up-desc"' in html
    # The locations with the most crimes, as police.uk names them.
    assert "On or near" in html


def test_no_hot_spots_is_said_plainly(client, published):
    text = text_of(client.get(reverse("dashboards:hot_spots")))
    assert "0 hot spots" in text and "No neighbourhood is a significant hot spot." in text


def test_the_comparison_page_gives_the_bundles_note_when_there_is_no_table(client, published):
    text = text_of(client.get(reverse("dashboards:comparison")))
    assert "not available for this assessment" in text
    assert published.summary["comparison"]["note"][:60] in text


def test_the_comparison_page_with_the_whole_force(client, demo_bundle, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    table = [
        {
            "code": "E22000002",
            "name": "Bristol, City of",
            "level": "csp",
            "count": 50651,
            "months": 26,
            "rate": 50.18,
            "lower": 49.74,
            "upper": 50.62,
            "focus_ratio": 0.59,
            "focus_ratio_lower": 0.58,
            "focus_ratio_upper": 0.60,
            "rank": 1,
            "is_focus": False,
        },
        {
            "code": "E22000001",
            "name": "Bath and North East Somerset",
            "level": "csp",
            "count": 12644,
            "months": 26,
            "rate": 29.72,
            "lower": 29.2,
            "upper": 30.24,
            "focus_ratio": None,
            "focus_ratio_lower": None,
            "focus_ratio_upper": None,
            "rank": 2,
            "is_focus": True,
        },
        {
            "code": "E23000036",
            "name": "Avon and Somerset",
            "level": "pfa",
            "count": 153198,
            "months": 26,
            "rate": 40.88,
            "lower": 40.68,
            "upper": 41.09,
            "focus_ratio": 0.73,
            "focus_ratio_lower": 0.71,
            "focus_ratio_upper": 0.74,
            "rank": None,
            "is_focus": False,
        },
    ]
    bundle = tmp_path / "bundle"
    import shutil

    shutil.copytree(demo_bundle, bundle)
    summary = json.loads((bundle / "summary.json").read_text())
    summary["comparison"] = {
        "partnerships_in_force": 2,
        "partnerships_with_data": 2,
        "complete": True,
        "note": "The force row counts every row of the force.",
    }
    (bundle / "summary.json").write_text(json.dumps(summary))
    import pandas as pd

    rows = pd.DataFrame(table).assign(population=0.0, annual_count=0.0)
    rows.to_parquet(bundle / "comparison.parquet", index=False)
    publish_assessment(bundle)
    response = client.get(reverse("dashboards:comparison"))
    html, text = response.content.decode(), text_of(response)
    assert "Bristol, City of" in text and "50.2" in text and "49.7 to 50.6" in text
    assert "0.59" in text
    assert 'aria-labelledby="comparison-chart-title comparison-chart-desc"' in html
    assert "Avon and Somerset as a whole: 40.9" in html


def test_the_staff_page_needs_the_staff_dashboard_permission(client, published):
    url = reverse("dashboards:staff")
    assert client.get(url).status_code == 302
    partner = create_staff_user("parveen", "p@example.org", "partner", PASSWORD)
    client.force_login(partner)
    response = client.get(url)
    assert response.status_code == 200
    text = text_of(response)
    assert "Staff detail" in text and "Forecast" in text and "Source files" in text
    assert "Staff detail" in text_of(client.get(reverse("dashboards:overview")))


def test_the_staff_page_is_refused_without_the_permission(client, published):
    user = create_staff_user("nopower", "n@example.org", "editor", PASSWORD)
    user.groups.clear()
    client.force_login(user)
    assert client.get(reverse("dashboards:staff")).status_code == 403


def test_partner_counts_under_5_are_never_shown(client, published):
    """The cost split's homicide estimate (about 2 a year, from Home Office recorded crime) is partner data."""
    split = {row["component"]: row for row in published.summary["cost"]["split"]}
    assert 0 < split["homicide"]["central"] < 5, "the demo bundle has a small partner count to suppress"
    partner = create_staff_user("parveen", "p@example.org", "partner", PASSWORD)
    client.force_login(partner)
    html = client.get(reverse("dashboards:staff")).content.decode()
    row = re.search(r"<th scope=\"row\" class=\"govuk-table__header\">Homicide</th>(.*?)</tr>", html, re.S).group(1)
    assert "fewer than 5" in row
    assert not re.search(r">\s*[1-4](\.\d+)?\s*<", row)
    # Nor on any public page.
    client.logout()
    for name in ["overview", "neighbourhoods", "wards", "hot_spots", "comparison"]:
        assert "Homicide" not in client.get(reverse(f"dashboards:{name}")).content.decode()


def test_small_neighbourhood_counts_are_suppressed_with_their_rates(demo_bundle):
    def shrink(bundle):
        row = bundle["tables"]["lsoa"][-1]
        row.update(count=3, rate_per_1000=1.234, rate_lower=0.2, rate_upper=3.6)

    rendered = build(unsaved_assessment(demo_bundle, shrink))
    small = next(row for row in rendered["areas"]["lsoa"]["rows"] if row["rate"] == "not shown")
    assert small["count"] == "fewer than 5" and small["rate_ci"] == "" and small["rank"] == ""
    assert "1.2" not in rendered["lsoa_map_svg"].split(small["name"])[1][:80]
    assert rendered["areas"]["suppression_note"]


def test_zero_police_counts_are_shown(demo_bundle):
    rendered = build(unsaved_assessment(demo_bundle))
    shares = [share for row in rendered["overview"]["outcomes"]["rows"] for share in row["shares"]]
    assert "0.0%" in shares


def test_a_registered_part_is_built_and_stored_without_a_migration(demo_bundle, settings, tmp_path, monkeypatch):
    """The extension point other areas use (docs/architecture.md, "A dashboard part")."""
    from portal.dashboards import rendering

    settings.VAR_DIR = tmp_path / "var"

    def lsoas(assessment):
        return {"rows": len(assessment.tables["lsoa"]), "svg": "<svg></svg>"}

    monkeypatch.setitem(rendering.PARTS, "lsoa_count", lsoas)
    published = publish_assessment(demo_bundle)
    assert published.rendered.parts["lsoa_count"] == {"rows": 118, "svg": "<svg></svg>"}
    assert set(published.rendered.parts) == set(rendering.PARTS)


def test_the_priorities_and_the_places_high_on_their_own_are_on_the_overview(client, published):
    """The priorities part: each priority with its owner and measure, and the places named, whose counts are
    the raw demo files' own (central Bath LSOAs keep their 2011 codes, so DuckDB counts them directly)."""
    import duckdb

    from vru.profiles import get_profile

    response = client.get(reverse("dashboards:overview"))
    html = response.content.decode()
    text = text_of(response)
    assert "Priorities for the partnership" in text
    for item in published.summary["priorities"]:
        for key in ("title", "owner", "measure"):
            assert escape(item[key]) in html
    places = published.summary["priority_places"]["places"]
    assert places, "the demo names places high on their own"
    pattern = str(Path(__file__).resolve().parents[3] / "data" / "demo" / "police_uk" / "street" / "*.csv.gz")
    categories = tuple(get_profile().police_uk_categories)
    raw = dict(
        duckdb.sql(
            f"""SELECT "LSOA code", count(*) FROM read_csv('{pattern}', header = true, all_varchar = true)
            WHERE "Crime type" IN {categories} GROUP BY 1"""
        ).fetchall()
    )
    for place in places:
        row = re.search(
            re.escape(escape(f"{place['ward_name']} ({place['lsoa21_name']})")) + "</th>(.*?)</tr>",
            html,
            re.S,
        )
        assert row, place["lsoa21_name"]
        cells = [
            re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
        ]
        assert cells[0] == [f"{raw[place['code']]:,}"]
    # The national comparison needs other forces' files: the demo says it is not available, and why.
    comparison = text_of(client.get(reverse("dashboards:comparison")))
    assert "The comparison with England and Wales is not available for this assessment" in comparison
