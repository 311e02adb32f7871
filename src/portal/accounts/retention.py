"""Deleting what the privacy notice says is kept only for a while: one rule per kind of record, one purge.

Each kind of record the notice gives a retention period for (feedback messages, requests for a partner
account, partner data uploads) declares a `RetentionRule`: its setting and how to find the records past
the period. `purge_expired` deletes them, one audit event per record deleted, and `PurgeCommand` is the
`manage.py purge_*` command every app subclasses with its rule. In portal.accounts because every app may
import it (the apps' layers, and the audit trail, are here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from portal.accounts.models import AuditEvent
from portal.common.formatting import govuk_datetime

# Who the audit trail says deleted a record past its retention period (there is no signed-in user).
PURGE_ACTOR = "retention period"


@dataclass(frozen=True)
class RetentionRule:
    things: str  # what the records are, plural as the command's message says it: "feedback message(s)"
    setting: str  # the Django setting holding the period in days, e.g. "FEEDBACK_RETENTION_DAYS"
    expired: Callable[[datetime], models.QuerySet]  # the records past a cutoff moment

    @property
    def days(self) -> int:
        return getattr(settings, self.setting)


@dataclass(frozen=True)
class PurgeResult:
    count: int
    days: int
    cutoff: datetime
    dry_run: bool


def retention_cutoff(days: int, now: datetime | None = None) -> datetime:
    """Records older than this moment (by the rule's own date) are past a `days`-day retention period."""
    return (now or timezone.now()) - timedelta(days=days)


def purge_expired(
    rule: RetentionRule, *, days: int | None = None, dry_run: bool = False, now: datetime | None = None
) -> PurgeResult:
    """Delete the records past the rule's retention period (or `days`), each with an audit event saying so;
    with `dry_run`, count them and change nothing."""
    days = rule.days if days is None else days
    if days < 1:
        raise ValueError("a retention period is 1 day or more")
    cutoff = retention_cutoff(days, now)
    expired = rule.expired(cutoff)
    if dry_run:
        return PurgeResult(expired.count(), days, cutoff, dry_run=True)
    summary = f"Past the {days}-day retention period"
    with transaction.atomic():
        records = list(expired.select_for_update())
        # The audit events first, while the records still have their keys; str() of these models never
        # holds personal data (the audit trail shows it).
        AuditEvent.objects.bulk_create(
            AuditEvent(
                username=PURGE_ACTOR,
                action="deleted",
                object_type=record._meta.label_lower,
                object_id=str(record.pk),
                object_repr=str(record)[:200],
                summary=summary,
            )
            for record in records
        )
        # Counted from the records, not from delete()'s total, which adds what cascades (feedback replies).
        expired.model.objects.filter(pk__in=[record.pk for record in records]).delete()
    count = len(records)
    return PurgeResult(count, days, cutoff, dry_run=False)


class PurgeCommand(BaseCommand):
    """`manage.py purge_<things>`: a subclass sets `rule` (and `help`)."""

    rule: RetentionRule

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say how many would be deleted; delete nothing.")
        parser.add_argument(
            "--days", type=int, default=None, help="Use this retention period instead of the setting (days)."
        )

    def handle(self, *args, dry_run: bool, days: int | None, **options) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more")
        result = purge_expired(self.rule, days=days, dry_run=dry_run)
        when = f"older than {result.days} days (before {govuk_datetime(result.cutoff)})"
        if result.dry_run:
            self.stdout.write(f"Would delete {result.count} {self.rule.things} {when} (dry run).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Deleted {result.count} {self.rule.things} {when}."))
