"""How long feedback messages are kept (settings.FEEDBACK_RETENTION_DAYS): `manage.py purge_feedback`."""

from __future__ import annotations

from datetime import datetime

from portal.accounts.retention import RetentionRule
from portal.feedback.models import FeedbackMessage


def expired_messages(cutoff: datetime):
    """Messages received before the cutoff (their replies go with them)."""
    return FeedbackMessage.objects.filter(received_at__lt=cutoff)


FEEDBACK_RETENTION = RetentionRule("feedback message(s)", "FEEDBACK_RETENTION_DAYS", expired_messages)
