"""Words and numbers for pages, in GOV.UK style and independent of the server's locale."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

# Months and lists of words as the report and the dashboard write them (the toolkit's presentation layer).
from portal.insights.presentation import MONTH_NAMES, join_words
from portal.insights.presentation import month_name as month_label

__all__ = ["MONTH_NAMES", "duration_words", "govuk_date", "govuk_datetime", "join_words", "month_label", "thousands"]


def thousands(value: int) -> str:
    """12345 -> "12,345"."""
    return f"{value:,}"


def govuk_datetime(value: datetime | None) -> str:
    """A moment in UK time, as the GOV.UK style guide writes it: "26 November 2026 at 8:19am".

    Noon and midnight are "midday" and "midnight", which are clearer than 12pm and 12am.
    """
    if value is None:
        return ""
    local = timezone.localtime(value)
    date = f"{local.day} {MONTH_NAMES[local.month - 1]} {local.year}"
    if (local.hour, local.minute) == (12, 0):
        return f"{date} at midday"
    if (local.hour, local.minute) == (0, 0):
        return f"{date} at midnight"
    hour = local.hour % 12 or 12
    return f"{date} at {hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


def govuk_date(value: date | None) -> str:
    """A date as the GOV.UK style guide writes it: "26 November 2026"."""
    if value is None:
        return ""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def duration_words(value: timedelta) -> str:
    """A length of time in words, to the minute: "30 minutes", "1 hour", "1 day 2 hours"."""
    minutes = max(0, round(value.total_seconds() / 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{number} {unit}{'' if number == 1 else 's'}"
        for number, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if number
    ]
    return " ".join(parts) or "less than a minute"
