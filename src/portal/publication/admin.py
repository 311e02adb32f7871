from django.contrib import admin

from portal.publication.models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Read-only: approving and withdrawing happen in the staff area (/staff/publication/), which audits them."""

    list_display = ["__str__", "status", "version", "approved_at", "approved_by_name", "approved_as"]
    list_filter = ["status", "area_code"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
