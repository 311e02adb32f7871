"""`manage.py publish_insights`: an assessment bundle (built here from the committed demo extract) and the SNA
report copied into the portal, and served from there without the bundle."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.dashboards.models import RenderedDashboard
from portal.insights.assessments import publish_assessment, report_style_sources
from portal.insights.bundle import BundleError
from portal.insights.models import PublishedAssessment
from vru.bundle.schema import bundle_files

AREA = "E06000022"


@pytest.fixture
def bundle_copy(demo_bundle, tmp_path) -> Path:
    """A copy the test may change or delete."""
    return Path(shutil.copytree(demo_bundle, tmp_path / "bundle"))


@pytest.fixture
def report_dir(tmp_path) -> Path:
    """A stand-in for the toolkit's report folder: HTML with an inline style and an image, and a PDF."""
    folder = tmp_path / "report"
    (folder / "figures").mkdir(parents=True)
    (folder / "report.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>Needs assessment</title>"
        "<style>body { font-family: Arial; }</style><link rel='stylesheet' href='report.css'></head>"
        "<body><h1>Serious violence needs assessment</h1><p style='color: #0b0c0c'>Text</p>"
        "<img src='figures/trend.png' alt='Trend'></body></html>"
    )
    (folder / "report.css").write_text("h1 { color: #106165; }")
    (folder / "figures" / "trend.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    (folder / "figure-map.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg'><style>*{stroke:#000}</style><path style='fill:#fff' d='M0 0'/></svg>"
    )
    (folder / "report.pdf").write_bytes(b"%PDF-1.7\n" + b"0" * 2048 + b"\n%%EOF\n")
    (folder / ".hidden").write_text("not published")
    (folder / "notes.txt").write_text("not a report file type")
    return folder


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("approve_on_publishing")]


def test_publish_stores_the_bundle_and_builds_the_dashboard(demo_bundle, var_dir, capsys):
    call_command("publish_insights", "--bundle", str(demo_bundle))
    out = capsys.readouterr().out
    assert "Published the assessment for Bath and North East Somerset (E06000022), 2023-01 to 2025-04" in out
    assert "2 month(s) missing" in out and "comparison not available" in out

    published = PublishedAssessment.objects.get()
    summary = json.loads((demo_bundle / "summary.json").read_text())
    assert published.summary == summary
    assert published.area_code == AREA and published.area_name == "Bath and North East Somerset"
    assert (published.period_from, published.period_to) == ("2023-01", "2025-04")
    assert published.generated_at.isoformat().startswith(summary["generated_at"][:19])
    assert published.bundle_path == str(demo_bundle.resolve())
    assert len(published.tables["lsoa"]) == summary["area"]["lsoa21_count"] == 118
    assert {row["lsoa21_code"] for row in published.tables["lsoa"]} >= {"E01014370"}
    assert len(published.tables["ward"]) > 0 and len(published.tables["locations"]) > 0
    assert len(published.boundaries["lsoa21"]["features"]) == 118
    assert published.report_files == []

    rendered = RenderedDashboard.objects.get(assessment=published)
    assert "<svg" in rendered.trend_svg and rendered.lsoa_map_svg.startswith("<svg")
    assert rendered.overview["missing_months"] == ["July 2024", "August 2024"]


def test_each_publication_is_kept_and_the_newest_is_shown(demo_bundle, var_dir, client):
    first = publish_assessment(demo_bundle)
    second = publish_assessment(demo_bundle)
    assert PublishedAssessment.objects.count() == 2
    assert second.published_at >= first.published_at
    response = client.get(reverse("dashboards:overview"))
    assert response.status_code == 200
    assert response.context["dashboard"].assessment_id == second.pk


def test_the_report_is_copied_and_served_with_its_own_policy(bundle_copy, report_dir, var_dir, client):
    call_command("publish_insights", "--bundle", str(bundle_copy), "--report", str(report_dir))
    published = PublishedAssessment.objects.get()
    # Recorded as approved as it was published (approve_on_publishing), with the report as published.
    assert published.report_files == ["figure-map.svg", "figures/trend.png", "report.css", "report.html", "report.pdf"]
    copied = var_dir / "published" / published.report_dir
    assert (copied / "report.html").is_file() and not (copied / ".hidden").exists()

    # The report is served from the copy: the original can go.
    shutil.rmtree(report_dir)
    html = client.get(reverse("dashboards:report_file", args=["report.html"]))
    assert html.status_code == 200
    assert html["Content-Type"] == "text/html; charset=utf-8"
    policy = html["Content-Security-Policy"]
    assert "script-src 'none'" in policy and "default-src 'none'" in policy
    assert "'unsafe-inline'" not in policy
    # Its inline <style> block and style attribute are allowed by their hashes, nothing else inline.
    for source in report_style_sources((copied / "report.html").read_text()):
        assert source in policy
    assert b"Serious violence needs assessment" in b"".join(html.streaming_content)

    pdf = client.get(reverse("dashboards:report_file", args=["report.pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    image = client.get(reverse("dashboards:report_file", args=["figures/trend.png"]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert client.get(reverse("dashboards:report_file", args=["report.css"]))["Content-Type"].startswith("text/css")
    # A figure may keep its own inline styles (older reports' matplotlib figures have them) and may not run scripts.
    figure = client.get(reverse("dashboards:report_file", args=["figure-map.svg"]))
    assert figure["Content-Type"] == "image/svg+xml"
    assert "style-src 'unsafe-inline'" in figure["Content-Security-Policy"]
    assert "script-src 'none'" in figure["Content-Security-Policy"]

    overview = client.get(reverse("dashboards:overview")).content.decode()
    assert 'href="/dashboard/report/report.html"' in overview
    assert 'href="/dashboard/report/report.pdf"' in overview


@pytest.mark.parametrize(
    "name",
    [
        "../summary.json",
        "..%2Fsecret_key",
        "/etc/passwd",
        ".hidden",
        "notes.txt",
        "figures",
        "nothing.html",
        "REPORT.HTML",
    ],
)
def test_only_the_published_report_files_are_served(bundle_copy, report_dir, var_dir, client, name):
    publish_assessment(bundle_copy, report_dir=report_dir)
    (var_dir / "secret_key").write_text("secret")
    response = client.get(f"/dashboard/report/{name}")
    assert response.status_code == 404


def test_a_new_report_replaces_the_old_copy(bundle_copy, report_dir, var_dir):
    first = publish_assessment(bundle_copy, report_dir=report_dir)
    second = publish_assessment(bundle_copy, report_dir=report_dir)
    reports = var_dir / "published" / "reports" / AREA
    # Both were approved as they were published (approve_on_publishing), so both are kept: if the second is
    # withdrawn, the public reads the first again. A draft's older copy goes (test_publication.py).
    assert sorted(path.name for path in reports.iterdir()) == sorted([str(first.pk), str(second.pk)])
    first.refresh_from_db()
    assert first.report_files and first.report_dir


def test_without_a_report_the_dashboard_has_no_report_link(demo_bundle, var_dir, client):
    publish_assessment(demo_bundle)
    html = client.get(reverse("dashboards:overview")).content.decode()
    assert "/dashboard/report/" not in html
    assert client.get(reverse("dashboards:report_file", args=["report.html"])).status_code == 404


def test_the_dashboard_never_reads_the_bundle_or_the_warehouse(demo_bundle, bundle_copy, var_dir, client, monkeypatch):
    publish_assessment(bundle_copy)
    shutil.rmtree(bundle_copy)
    # Any attempt to open a warehouse or a Parquet file during a request fails the test.
    import duckdb
    import pyarrow.parquet

    def forbidden(*args, **kwargs):
        raise AssertionError("a page request opened the warehouse or a bundle file")

    monkeypatch.setattr(duckdb, "connect", forbidden)
    monkeypatch.setattr(pyarrow.parquet, "read_table", forbidden)
    for name in ["overview", "neighbourhoods", "wards", "hot_spots", "comparison"]:
        response = client.get(reverse(f"dashboards:{name}"))
        assert response.status_code == 200, name
    text = client.get(reverse("dashboards:overview")).content.decode()
    assert "July 2024 and August 2024" in text


def test_a_page_is_one_query(demo_bundle, var_dir, client, django_assert_num_queries):
    publish_assessment(demo_bundle)
    client.get(reverse("dashboards:overview"))
    with django_assert_num_queries(1):
        assert client.get(reverse("dashboards:overview")).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(reverse("dashboards:neighbourhoods")).status_code == 200


def test_an_older_rendering_is_rebuilt_on_the_next_request(demo_bundle, var_dir, client):
    published = publish_assessment(demo_bundle)
    RenderedDashboard.objects.filter(assessment=published).update(renderer_version=0, trend_svg="stale")
    assert client.get(reverse("dashboards:overview")).status_code == 200
    rendered = RenderedDashboard.objects.get(assessment=published)
    assert rendered.renderer_version > 0 and "<svg" in rendered.trend_svg


def test_a_bundle_of_another_schema_version_is_refused(bundle_copy, var_dir):
    summary = json.loads((bundle_copy / "summary.json").read_text())
    summary["schema_version"] = 99
    (bundle_copy / "summary.json").write_text(json.dumps(summary))
    with pytest.raises(CommandError, match="schema version 99.*run `vru assess` again"):
        call_command("publish_insights", "--bundle", str(bundle_copy))
    assert not PublishedAssessment.objects.exists()


def _rewrite_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _nul_in_ward_names(bundle: Path) -> None:
    import pandas as pd

    ward = pd.read_parquet(bundle / "ward.parquet")
    ward.loc[0, "ward_name"] = "Abbey\x00"
    ward.to_parquet(bundle / "ward.parquet", index=False)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        # NaN is not JSON (PostgreSQL refuses it), though Python's json module reads it.
        (
            lambda bundle: (bundle / "summary.json").write_text(
                (bundle / "summary.json").read_text().replace('"aged_10_24": ', '"aged_10_24": NaN, "was": ', 1)
            ),
            "summary.json is not valid JSON: NaN is not a number JSON allows",
        ),
        (lambda bundle: (bundle / "boundaries_ward.geojson").write_text("{broken"), "boundaries_ward.geojson is not"),
        (
            lambda bundle: _rewrite_json(
                bundle / "boundaries_lsoa21.geojson",
                lambda data: data["features"][0].update(geometry={"type": "Polygon", "coordinates": "x"}),
            ),
            "boundaries_lsoa21.geojson feature 1 has a malformed geometry",
        ),
        (
            lambda bundle: _rewrite_json(bundle / "boundaries_lad.geojson", lambda data: data.update(type="Feature")),
            "is not a GeoJSON FeatureCollection",
        ),
        # NUL characters never reach PostgreSQL: the bundle is refused, naming where the NUL is.
        (
            lambda bundle: _rewrite_json(bundle / "summary.json", lambda data: data["area"].update(name="Bath\x00")),
            "summary.json holds a NUL character at area.name",
        ),
        (_nul_in_ward_names, "ward.parquet holds a NUL character in column ward_name, row 1"),
    ],
)
def test_bad_geojson_nan_and_nul_are_refused_with_a_message(bundle_copy, var_dir, damage, message):
    damage(bundle_copy)
    with pytest.raises(CommandError, match=message):
        call_command("publish_insights", "--bundle", str(bundle_copy))
    assert not PublishedAssessment.objects.exists()


@pytest.mark.parametrize("filename", bundle_files())
def test_the_portal_refuses_what_the_report_cannot_render(bundle_copy, var_dir, filename, tmp_path):
    from vru.report import render_report

    (bundle_copy / filename).unlink()
    with pytest.raises(BundleError, match=f"{filename} is missing") as refused_by_report:
        render_report(bundle_copy, tmp_path / "report", ["html"])
    with pytest.raises(BundleError) as refused_by_portal:
        publish_assessment(bundle_copy)
    assert str(refused_by_portal.value) == str(refused_by_report.value)
    assert not PublishedAssessment.objects.exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda bundle: (bundle / "summary.json").unlink(), "summary.json is missing"),
        (lambda bundle: (bundle / "summary.json").write_text("{not json"), "is not valid JSON"),
        (lambda bundle: (bundle / "lsoa.parquet").unlink(), "lsoa.parquet is missing"),
        (lambda bundle: (bundle / "ward.parquet").write_bytes(b"not parquet"), "ward.parquet cannot be read as"),
        (lambda bundle: shutil.rmtree(bundle), "no bundle folder"),
    ],
)
def test_a_damaged_bundle_is_refused_and_nothing_is_stored(bundle_copy, var_dir, damage, message):
    damage(bundle_copy)
    with pytest.raises(BundleError, match=message):
        publish_assessment(bundle_copy)
    assert not PublishedAssessment.objects.exists()
    assert not RenderedDashboard.objects.exists()


def test_a_bundle_for_another_area_is_refused_when_the_area_is_given(demo_bundle, var_dir):
    with pytest.raises(CommandError, match="not 'E06000023'"):
        call_command("publish_insights", "--bundle", str(demo_bundle), "--area", "E06000023")


def test_a_report_folder_without_a_report_is_refused(demo_bundle, var_dir, tmp_path):
    empty = tmp_path / "empty-report"
    empty.mkdir()
    with pytest.raises(CommandError, match="neither report.html nor report.pdf"):
        call_command("publish_insights", "--bundle", str(demo_bundle), "--report", str(empty))
    assert not PublishedAssessment.objects.exists()


def test_style_sources_hash_inline_styles_and_give_up_on_many_attributes():
    sources = report_style_sources("<style>p{}</style><p style='a'></p><p style='a'></p>")
    assert sources[0] == "'unsafe-hashes'" and len(sources) == 3
    assert all(source.startswith("'sha256-") for source in sources[1:])
    many = "".join(f"<p style='margin: {number}px'></p>" for number in range(100))
    assert report_style_sources(many) == ["'unsafe-inline'"]
    assert report_style_sources("<p>plain</p>") == []


def test_the_public_dashboard_shows_the_published_partner_indicators_with_their_sources(demo_bundle, var_dir, client):
    import json

    publish_assessment(demo_bundle)
    html = client.get(reverse("dashboards:overview")).content.decode()
    summary = json.loads((demo_bundle / "summary.json").read_text())
    factors = summary["partner_factors"]
    assert factors["available"] and "Risk and protective factors" in html
    first = factors["chapters"]["risk_factors"]["factors"][0]
    assert first["title"] in html and first["publication"] in html
    for factor in factors["standouts"]:
        assert factor["title"] in html
    assert "Yes, worse" in html and "York" in html
