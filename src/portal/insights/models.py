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
