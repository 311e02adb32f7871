"""`manage.py purge_feedback`: delete feedback messages older than the retention period."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.common.formatting import govuk_datetime
from portal.feedback.retention import expired_messages, retention_cutoff


class Command(BaseCommand):
    help = (
        "Delete feedback messages received more than VRU_FEEDBACK_RETENTION_DAYS days ago "
        f"(now {settings.FEEDBACK_RETENTION_DAYS}). Run it daily, for example from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say how many would be deleted; delete nothing.")
        parser.add_argument(
            "--days", type=int, default=None, help="Use this retention period instead of the setting (days)."
        )

    def handle(self, *args, dry_run: bool, days: int | None, **options) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more")
        days = settings.FEEDBACK_RETENTION_DAYS if days is None else days
        now = timezone.now()
        cutoff = govuk_datetime(retention_cutoff(now, days))
        expired = expired_messages(now, days)
        if dry_run:
            count = expired.count()
            self.stdout.write(f"Would delete {count} feedback message(s) received before {cutoff} (dry run).")
            return
        count, _ = expired.delete()
        self.stdout.write(
            self.style.SUCCESS(f"Deleted {count} feedback message(s) received before {cutoff} ({days}-day retention).")
        )
