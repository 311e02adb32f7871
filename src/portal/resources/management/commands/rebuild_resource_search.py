"""Rebuild the SQLite full-text index of the resource library from the database (PostgreSQL needs none)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.resources import search_index
from portal.resources.models import Resource


class Command(BaseCommand):
    help = (
        "Rebuild the resource library's full-text search index (SQLite only; saves keep it up to date, so this "
        "is only needed after changing the database by hand)."
    )

    def handle(self, *args, **options) -> None:
        if not search_index.enabled():
            self.stdout.write("This database is PostgreSQL: its full-text search needs no index table.")
            return
        count = search_index.rebuild(Resource.objects.prefetch_related("topics", "audiences"))
        self.stdout.write(f"Indexed {count} resources for search.")
