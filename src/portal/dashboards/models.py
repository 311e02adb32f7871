"""What the dashboard pages show, built once from a published assessment (portal.insights)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from portal.insights.models import PublishedAssessment


class RenderedDashboard(models.Model):
    """The dashboard pages' figures, tables and SVG charts and maps for one PublishedAssessment.

    Built by portal.dashboards.rendering when the assessment is published, so that a page request is one
    read of one row: no toolkit, no bundle, no computing. Built again on the first request after a portal
    upgrade changes RENDERER_VERSION.
    """

    assessment = models.OneToOneField(PublishedAssessment, on_delete=models.CASCADE, related_name="rendered")
    # Copied from the assessment so the newest for an area is found without a join.
    area_code = models.CharField(max_length=16)
    published_at = models.DateTimeField()
    renderer_version = models.PositiveIntegerField()
    rendered_at = models.DateTimeField(default=timezone.now)
    overview = models.JSONField()
    areas = models.JSONField()
    hot_spots = models.JSONField()
    comparison = models.JSONField()
    staff = models.JSONField()
    report = models.JSONField(default=dict)
    # One entry per part in rendering.PARTS (added by other areas: statistics, partner data, gaps, strategy):
    # {part name: what its template prints, SVG included}. A new part needs no migration.
    parts = models.JSONField(default=dict)
    # The rows of each CSV download (portal.dashboards.downloads): {name: {"rows": [...]}}, read only by the CSV view.
    downloads = models.JSONField(default=dict)
    trend_svg = models.TextField(blank=True)
    lsoa_map_svg = models.TextField(blank=True)
    lsoa_close_up_svg = models.TextField(blank=True)
    ward_map_svg = models.TextField(blank=True)
    ward_close_up_svg = models.TextField(blank=True)
    hot_spot_map_svg = models.TextField(blank=True)
    hot_spot_close_up_svg = models.TextField(blank=True)
    comparison_svg = models.TextField(blank=True)

    class Meta:
        verbose_name = "rendered dashboard"
        indexes = [models.Index(fields=["area_code", "-published_at"], name="dashboard_area_newest")]
        permissions = [("view_staff_dashboard", "Can see the staff detail of the needs assessment")]

    def __str__(self) -> str:
        return f"Dashboard for {self.area_code}, published {self.published_at:%Y-%m-%d %H:%M}"
