from django.contrib import admin

from portal.feedback.models import FeedbackMessage


@admin.register(FeedbackMessage)
class FeedbackMessageAdmin(admin.ModelAdmin):
    """Staff normally use the inbox at /feedback/staff/, which records changes in the audit trail."""

    list_display = ["__str__", "received_at", "topic", "status"]
    list_filter = ["status", "topic"]
    readonly_fields = ["received_at", "name", "email", "may_contact", "topic", "message", "updated_by", "updated_at"]
    ordering = ["-received_at"]

    def has_add_permission(self, request) -> bool:
        return False
