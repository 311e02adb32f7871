from django.contrib import admin

from portal.partners.models import PartnerUpload


@admin.register(PartnerUpload)
class PartnerUploadAdmin(admin.ModelAdmin):
    """For administrators: which files arrived and whether they were accepted (not their rows)."""

    list_display = ["file_name", "organisation", "kind", "accepted", "rows", "uploaded_at"]
    list_filter = ["accepted", "kind"]
    exclude = ["records"]
    readonly_fields = ["organisation", "uploaded_by", "file_name", "sha256", "kind", "accepted", "rows", "months",
                       "problems"]  # fmt: skip
