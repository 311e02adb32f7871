"""Check every link the public pages use and keep the results for the staff page (resources/staff/links/)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.resources.checking import TIMEOUT_SECONDS, run_link_check


class Command(BaseCommand):
    help = (
        "Ask every page the public site links to (resources, contacts, the sources of the signs and steps) "
        "whether it still answers, and keep the results for the staff link check page. Needs network access."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--timeout", type=float, default=TIMEOUT_SECONDS, help="seconds to wait for each page")

    def handle(self, *args, timeout: float, **options) -> None:
        rows = run_link_check(timeout=timeout)
        broken = [row for row in rows if not row.ok]
        for row in broken:
            self.stdout.write(f"BROKEN {row.url}: {row.detail} (used by: {row.used_by.replace(chr(10), '; ')})")
        self.stdout.write(f"Checked {len(rows)} links: {len(rows) - len(broken)} answer, {len(broken)} broken.")
