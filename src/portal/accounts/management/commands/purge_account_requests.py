"""`manage.py purge_account_requests`: delete requests for a partner account past the retention period."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.accounts.partners import expired_requests


class Command(BaseCommand):
    help = (
        "Delete requests for a partner account decided more than VRU_ACCOUNT_REQUEST_RETENTION_DAYS days ago, "
        f"or waiting for longer than that (now {settings.ACCOUNT_REQUEST_RETENTION_DAYS}). Run it daily. "
        "Accounts made from approved requests are kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say how many would be deleted; delete nothing.")
        parser.add_argument(
            "--days", type=int, default=None, help="Use this retention period instead of the setting (days)."
        )

    def handle(self, *args, dry_run: bool, days: int | None, **options) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more")
        days = settings.ACCOUNT_REQUEST_RETENTION_DAYS if days is None else days
        expired = expired_requests(days=days)
        if dry_run:
            self.stdout.write(f"Would delete {expired.count()} account request(s) older than {days} days (dry run).")
            return
        count, _ = expired.delete()
        self.stdout.write(self.style.SUCCESS(f"Deleted {count} account request(s) older than {days} days."))
