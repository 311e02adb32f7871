"""The Django admin for local contacts (administrators only). Changes made here are audited too."""

from django.contrib import admin

from portal.accounts.audit import record_change
from portal.signposting.models import LocalContact


@admin.register(LocalContact)
class LocalContactAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "area", "published", "last_checked"]
    list_filter = ["published", "area"]
    search_fields = ["name", "organisation", "purpose"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if change:
            record_change(request, "changed", obj, "Changed in the admin: " + ", ".join(form.changed_data))
        else:
            record_change(request, "created", obj, "Added in the admin")

    def delete_model(self, request, obj) -> None:
        record_change(request, "deleted", obj, "Deleted in the admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for contact in queryset:
            record_change(request, "deleted", contact, "Deleted in the admin")
        super().delete_queryset(request, queryset)
