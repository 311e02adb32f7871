"""`manage.py purge_feedback`: delete feedback messages older than the retention period."""

from __future__ import annotations

from django.conf import settings

from portal.accounts.retention import PurgeCommand
from portal.feedback.retention import FEEDBACK_RETENTION


class Command(PurgeCommand):
    rule = FEEDBACK_RETENTION
    help = (
        "Delete feedback messages received more than VRU_FEEDBACK_RETENTION_DAYS days ago "
        f"(now {settings.FEEDBACK_RETENTION_DAYS}). Run it daily, for example from cron."
    )
