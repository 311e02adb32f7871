"""What the toolkit publishes into the portal database."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PublishedCoverage(models.Model):
    """One publication of the police.uk coverage report for an area.

    Copied from the warehouse by `manage.py publish_coverage`; each run adds a row, and pages show the
    newest for their area, so earlier publications stay as a record of what was shown when.
    """

    area_code = models.CharField(max_length=16, help_text="ONS code, for example E06000022.")
    area_name = models.CharField(
        max_length=200, blank=True, help_text="Blank when the warehouse had no name for the area."
    )
    published_at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField(help_text="The report as vru.warehouse.coverage.coverage_report returned it.")
    warehouse_path = models.CharField(max_length=1024, help_text="The DuckDB file the report was read from.")
    ingested_at = models.DateTimeField(
        null=True, blank=True, help_text="When the newest police.uk file in the report was loaded."
    )

    class Meta:
        verbose_name = "published coverage report"
        indexes = [models.Index(fields=["area_code", "-published_at"], name="coverage_area_newest")]

    def __str__(self) -> str:
        return f"{self.area_name or self.area_code}, published {self.published_at:%Y-%m-%d %H:%M}"


class PublishedAssessment(models.Model):
    """One publication of an assessment bundle (`vru assess`) for an area, copied into the portal database.

    Made by `manage.py publish_insights`; each run adds a row and pages show the newest for their area. The
    pages read only this row (and what portal.dashboards built from it): never the bundle folder, which may
    be moved or deleted after publishing.
    """

    area_code = models.CharField(max_length=16, help_text="ONS code, for example E06000022.")
    area_name = models.CharField(max_length=200)
    published_at = models.DateTimeField(default=timezone.now)
    generated_at = models.DateTimeField(help_text="When `vru assess` wrote the bundle (summary.json generated_at).")
    schema_version = models.PositiveIntegerField()
    toolkit_version = models.CharField(max_length=40, blank=True)
    bundle_path = models.CharField(max_length=1024, help_text="The bundle folder it was read from.")
    period_from = models.CharField(max_length=7, help_text="YYYY-MM")
    period_to = models.CharField(max_length=7, help_text="YYYY-MM")
    summary = models.JSONField(help_text="summary.json as written by the toolkit.")
    tables = models.JSONField(
        help_text="The bundle's tables as lists of rows: lsoa, ward, locations, comparison, outcomes."
    )
    boundaries = models.JSONField(help_text="GeoJSON outlines (WGS84): lsoa21, ward, lad.")
    report_dir = models.CharField(
        max_length=1024,
        blank=True,
        help_text="Folder under VRU_VAR_DIR/published holding the published SNA report.",
    )
    report_files = models.JSONField(default=list, blank=True, help_text="Relative paths of the report's files.")
    report_style_hashes = models.JSONField(
        default=list, blank=True, help_text="CSP hashes of the report's inline styles, for its own policy."
    )

    class Meta:
        verbose_name = "published assessment"
        indexes = [models.Index(fields=["area_code", "-published_at"], name="assessment_area_newest")]

    def __str__(self) -> str:
        period = f"{self.period_from} to {self.period_to}"
        return f"{self.area_name} ({self.area_code}) {period}, published {self.published_at:%Y-%m-%d %H:%M}"

    @property
    def has_report_html(self) -> bool:
        return "report.html" in (self.report_files or [])

    @property
    def has_report_pdf(self) -> bool:
        return "report.pdf" in (self.report_files or [])
