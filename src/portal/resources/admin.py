"""The Django admin for the resource library (administrators only). Changes made here are audited too."""

from django.contrib import admin

from portal.accounts.audit import record_change
from portal.resources.models import Audience, Resource, Stage, Topic


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "local_area", "last_checked", "retired"]
    list_filter = ["retired", "kind", "local_area", "topics", "audiences", "stages"]
    search_fields = ["title", "summary", "organisation"]
    filter_horizontal = ["audiences", "stages", "topics"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by", "retired_at"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            record_change(request, "changed", form.instance, "Changed in the admin: " + ", ".join(form.changed_data))
        else:
            record_change(request, "created", form.instance, "Added in the admin")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Resources are retired, never deleted, so the audit trail and old links still make sense.
        return False


@admin.register(Audience, Stage, Topic)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
