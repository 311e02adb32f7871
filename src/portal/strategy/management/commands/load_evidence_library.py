"""`manage.py load_evidence_library`: add the toolkit's evidence library to the portal (new entries only)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.insights.evidence import LIBRARY_FILE, EvidenceLibraryError
from portal.strategy.loading import load_evidence_library


class Command(BaseCommand):
    help = (
        "Add the approaches of the evidence library shipped with the toolkit (YEF and College of Policing "
        "toolkits) that the portal does not have yet. Entries already in the portal are never overwritten: "
        "staff edits win."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", default=str(LIBRARY_FILE), help="The library CSV (default: the shipped one).")

    def handle(self, *args, file: str, **options) -> None:
        try:
            added, kept = load_evidence_library(file)
        except EvidenceLibraryError as error:
            raise CommandError(f"Not loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Evidence library: {added} approach(es) added, {kept} already here."))
