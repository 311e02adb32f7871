"""manage.py import_oruk FEED.json: load an Open Referral UK feed into the directory (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.directory.importer import FeedError, import_feed


class Command(BaseCommand):
    help = "Import an Open Referral UK (HSDS 3.0 UK profile) JSON feed; a feed with any invalid record loads nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("feed", type=Path)

    def handle(self, *args, feed: Path, **options) -> None:
        if not feed.is_file():
            raise CommandError(f"{feed}: no such file")
        try:
            result = import_feed(feed)
        except FeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Imported {result.services} services, {result.organisations} organisations, "
            f"{result.locations} locations and {result.taxonomy_terms} taxonomy terms from {feed}."
        )
