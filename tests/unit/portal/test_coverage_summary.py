"""portal.insights.coverage: what the home page makes of a published coverage report."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.insights.coverage import force_name, kind_label, summarise
from portal.insights.models import PublishedCoverage
from portal.insights.presentation import month_range

PUBLISHED_AT = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)


def published(report: dict) -> PublishedCoverage:
    # Not saved: summarise() only reads the fields, so no database is needed.
    return PublishedCoverage(
        area_code="E06000022",
        area_name="Bath and North East Somerset",
        published_at=PUBLISHED_AT,
        payload=report,
        warehouse_path="/srv/vru/var/warehouse.duckdb",
        ingested_at=datetime(2026, 11, 26, 8, 19, tzinfo=UTC),
    )


def test_months_are_labelled_and_gaps_named(coverage_report):
    summary = summarise(published(coverage_report))
    assert summary.schema_supported
    assert (summary.first_month, summary.last_month) == ("January 2023", "December 2024")
    assert (summary.months_in_range, summary.months_present) == (24, 22)
    assert summary.missing_months == ["July 2024", "August 2024"]
    assert summary.missing_sentence == "No data for July 2024 and August 2024."


def test_the_table_has_every_month_in_the_range_with_gaps_marked(coverage_report):
    summary = summarise(published(coverage_report))
    assert [column.label for column in summary.kinds] == ["Street crime", "Outcomes"]
    assert [row.month for row in summary.month_rows][:2] == ["2023-01", "2023-02"]
    assert len(summary.month_rows) == 24
    by_month = {row.month: row for row in summary.month_rows}
    assert by_month["2024-07"].missing and by_month["2024-08"].missing
    january = by_month["2023-01"]
    assert not january.missing
    assert january.rows_by_kind == [950, 610]
    assert january.total == 1560
    assert summary.data_column_count == 3


def test_totals_sources_and_times_come_from_the_report(coverage_report):
    summary = summarise(published(coverage_report))
    assert (summary.total_rows, summary.rows_without_location, summary.rows_quarantined) == (36800, 1234, 1)
    assert summary.forces == ["Avon and Somerset"]
    assert summary.source_files == 44
    assert summary.generated_at == datetime(2026, 11, 26, 13, 40, tzinfo=UTC)
    assert summary.area_label == "Bath and North East Somerset"


def test_a_month_without_rows_counts_as_missing_even_if_the_report_does_not_list_it(coverage_report):
    coverage_report["months"]["present"].remove("2023-05")
    coverage_report["rows_per_month"] = [
        entry for entry in coverage_report["rows_per_month"] if entry["month"] != "2023-05"
    ]
    summary = summarise(published(coverage_report))
    assert summary.missing_months == ["May 2023", "July 2024", "August 2024"]
    assert summary.missing_sentence == "No data for May 2023, July 2024 and August 2024."


def test_a_report_with_no_months_has_no_table(coverage_report):
    coverage_report.update(
        months={"first": None, "last": None, "present": [], "missing": []},
        rows_per_month=[],
        rows=[],
        totals={"rows": 0, "rows_without_location": 0, "rows_quarantined": 0},
        units=[],
    )
    summary = summarise(published(coverage_report))
    assert not summary.has_months
    assert summary.month_rows == []
    assert summary.missing_sentence == ""


def test_a_report_in_another_schema_version_is_flagged_not_read(coverage_report):
    coverage_report["schema_version"] = 2
    del coverage_report["months"]
    summary = summarise(published(coverage_report))
    assert not summary.schema_supported
    assert summary.month_rows == []


def test_a_single_kind_has_no_total_column(coverage_report):
    coverage_report["rows_per_month"] = [
        entry for entry in coverage_report["rows_per_month"] if entry["kind"] == "street"
    ]
    summary = summarise(published(coverage_report))
    assert [column.kind for column in summary.kinds] == ["street"]
    assert not summary.shows_total_column
    assert summary.data_column_count == 1


def test_month_range_crosses_year_ends():
    assert month_range("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert month_range("2024-03", "2024-03") == ["2024-03"]


def test_labels():
    assert force_name("avon-and-somerset") == "Avon and Somerset"
    assert force_name("city-of-london") == "City of London"
    assert kind_label("stop-and-search") == "Stop and search"
    assert kind_label("something_new") == "Something new"
