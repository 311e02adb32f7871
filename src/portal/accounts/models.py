"""Staff accounts use Django's User and Group; this app adds the audit trail of content changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change made by staff to stored content (pages, resources, contacts, feedback status, ...)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150, help_text="Kept when the account is later deleted.")
    action = models.CharField(max_length=40, help_text="created, changed, retired, deleted, exported, ...")
    object_type = models.CharField(max_length=100, help_text="app_label.model")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What changed, in words (never personal data).")

    class Meta:
        ordering = ["-at", "-id"]
        permissions = [("view_staff_area", "Can use the staff area")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type} {self.object_repr}"
