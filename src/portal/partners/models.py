"""The files partner organisations (portal.accounts' Organisation and its members) upload
(docs/partner-data.md).

An upload is checked by the toolkit's validator (through portal.insights.partner_uploads) when it
arrives; a file with errors is kept only as its list of problems (no rows), so the partner can see why.
Accepted rows are pseudonymous partner records, never shown publicly. An upload is kept
PARTNER_UPLOAD_RETENTION_DAYS after it arrived (`manage.py purge_partner_uploads`), or until the partner
deletes it sooner, as the privacy notice says.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.accounts.models import Organisation


class PartnerUpload(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="partner_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=40, blank=True)  # empty when the header matched no template
    accepted = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(default=0)
    months = models.CharField(max_length=400, blank=True)  # YYYY-MM, comma-separated
    problems = models.JSONField(default=list, blank=True)  # [{"line", "column", "problem"}] when rejected
    records = models.JSONField(default=list, blank=True)  # the validated rows when accepted

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.organisation})"
