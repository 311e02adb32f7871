from django.contrib import admin

from portal.insights.models import PublishedCoverage


@admin.register(PublishedCoverage)
class PublishedCoverageAdmin(admin.ModelAdmin):
    """Read-only: coverage is only ever published from the warehouse, by `manage.py publish_coverage`."""

    list_display = ["area_code", "area_name", "published_at", "ingested_at"]
    list_filter = ["area_code"]
    ordering = ["-published_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
