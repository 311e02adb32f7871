"""Deleting feedback messages once the retention period (settings.FEEDBACK_RETENTION_DAYS) has passed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from portal.feedback.models import FeedbackMessage


def retention_cutoff(now: datetime | None = None, days: int | None = None) -> datetime:
    """Messages received before this moment are past the retention period."""
    days = settings.FEEDBACK_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - timedelta(days=days)


def expired_messages(now: datetime | None = None, days: int | None = None):
    return FeedbackMessage.objects.filter(received_at__lt=retention_cutoff(now, days))
