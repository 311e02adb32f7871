"""Publishing a coverage report into the portal database: the checks, and the management command."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from portal.insights.models import PublishedCoverage
from portal.insights.publishing import CoverageReportError, publish_coverage_report

WAREHOUSE = "/srv/vru/var/warehouse.duckdb"


def publish(report: dict, area_code: str = "E06000022") -> PublishedCoverage:
    return publish_coverage_report(report, area_code=area_code, warehouse_path=WAREHOUSE)


def test_a_report_is_stored_as_it_came(db, coverage_report):
    published = publish(coverage_report)
    published.refresh_from_db()
    assert published.payload == coverage_report
    assert published.area_code == "E06000022"
    assert published.area_name == "Bath and North East Somerset"
    assert published.warehouse_path == WAREHOUSE
    # The newest ingest of any unit in the report.
    assert published.ingested_at == datetime(2026, 11, 26, 8, 19, tzinfo=UTC)


def test_a_report_without_an_area_name_or_units_is_stored(db, coverage_report):
    coverage_report.update(area=None, units=[])
    published = publish(coverage_report)
    assert published.area_name == ""
    assert published.ingested_at is None


def test_an_ingest_time_without_an_offset_is_taken_as_utc(db, coverage_report):
    coverage_report["units"] = [dict(coverage_report["units"][0], ingested_at="2026-11-20T10:00:00")]
    assert publish(coverage_report).ingested_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda report: report.update(schema_version=2), "schema version 2"),
        (lambda report: report.pop("totals"), "has no totals"),
        (lambda report: report.update(area={"code": "E06000023", "name": "Bristol"}), "for area 'E06000023'"),
        (lambda report: report.update(generated_at={"not", "json"}), "cannot be stored as JSON"),
        (lambda report: report["units"][0].update(ingested_at="yesterday"), "not an ISO 8601"),
    ],
)
def test_a_report_the_portal_cannot_show_is_refused_and_nothing_stored(db, coverage_report, change, problem):
    change(coverage_report)
    with pytest.raises(CoverageReportError, match=problem):
        publish(coverage_report)
    assert not PublishedCoverage.objects.exists()


def test_the_command_refuses_a_missing_warehouse(db, tmp_path):
    with pytest.raises(CommandError, match="No warehouse at .*vru ingest"):
        call_command("publish_coverage", "--warehouse", str(tmp_path / "absent.duckdb"), "--area", "E06000022")
    assert not PublishedCoverage.objects.exists()


def test_the_command_publishes_what_the_toolkit_reports(db, tmp_path, capsys):
    from vru.warehouse import connect
    from vru.warehouse.coverage import coverage_report

    warehouse = tmp_path / "warehouse.duckdb"
    connection = connect(warehouse)  # creates the schema
    connection.execute(
        "INSERT INTO ref_lsoa21_area VALUES ('E01014370', 'Bath and North East Somerset 001A', "
        "'E05013084', 'Abbey', 'E06000022', 'Bath and North East Somerset')"
    )
    connection.execute(
        "INSERT INTO ref_lad_csp_pfa VALUES ('E06000022', 'Bath and North East Somerset', "
        "'E22000260', 'Bath and North East Somerset', 'E23000036', 'Avon and Somerset')"
    )
    for month in ("2024-01-01", "2024-03-01"):
        connection.execute(
            "INSERT INTO street_crime (force, month, lsoa_code, lsoa21_code, lsoa21_method, crime_type, "
            "longitude, latitude) VALUES ('avon-and-somerset', ?, 'E01014370', 'E01014370', 'as published', "
            "'Violence and sexual offences', -2.36, 51.38)",
            [month],
        )
        connection.execute(
            "INSERT INTO ingest_unit VALUES ('avon-and-somerset', ?, 'street', 'street.csv', 'abc', "
            "TIMESTAMPTZ '2026-11-26 09:00:00+00', 1, 0, 0)",
            [month],
        )
    connection.close()

    call_command("publish_coverage", "--warehouse", str(warehouse), "--area", "E06000022")

    published = PublishedCoverage.objects.get()
    connection = connect(warehouse, read_only=True)
    expected = coverage_report(connection, "E06000022")
    connection.close()
    # generated_at is the time the report was made, so differs between the two runs.
    assert {**published.payload, "generated_at": None} == {**expected, "generated_at": None}
    assert published.area_code == "E06000022"
    assert published.warehouse_path == str(warehouse.resolve())
    assert "Published coverage for" in capsys.readouterr().out


def test_the_command_refuses_an_area_the_warehouse_does_not_know(db, tmp_path):
    from vru.warehouse import connect

    warehouse = tmp_path / "warehouse.duckdb"
    connect(warehouse).close()  # the schema, and no reference data
    with pytest.raises(CommandError, match="Not published: E06000022"):
        call_command("publish_coverage", "--warehouse", str(warehouse), "--area", "E06000022")
    assert not PublishedCoverage.objects.exists()
