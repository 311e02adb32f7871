"""The Django admin for the directory (administrators): mainly to link partner accounts to organisations."""

from django.contrib import admin

from portal.accounts.audit import record_change
from portal.directory.models import Organisation, Service, TaxonomyTerm


class AuditedAdmin(admin.ModelAdmin):
    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        summary = "Changed in the admin: " + ", ".join(form.changed_data) if change else "Added in the admin"
        record_change(request, "changed" if change else "created", form.instance, summary)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "website", "partner"]
    search_fields = ["name"]


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    list_display = ["name", "organisation", "status", "published", "assured_date"]
    list_filter = ["published", "status"]
    search_fields = ["name", "description"]
    readonly_fields = ["updated_at", "updated_by", "proposed_by", "approved_at"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(AuditedAdmin):
    list_display = ["name", "taxonomy", "term"]
