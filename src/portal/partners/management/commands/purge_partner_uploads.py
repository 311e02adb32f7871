"""`manage.py purge_partner_uploads`: delete partner data uploads older than the retention period."""

from __future__ import annotations

from django.conf import settings

from portal.accounts.retention import PurgeCommand
from portal.partners.retention import PARTNER_UPLOAD_RETENTION


class Command(PurgeCommand):
    rule = PARTNER_UPLOAD_RETENTION
    help = (
        "Delete partner data uploads (their rows, or their list of problems) uploaded more than "
        f"VRU_PARTNER_UPLOAD_RETENTION_DAYS days ago (now {settings.PARTNER_UPLOAD_RETENTION_DAYS}). Run it daily."
    )
