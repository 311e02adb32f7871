"""manage.py check_oruk_api BASE_URL: run the ORUK compliance rules (portal.directory.compliance) against a
running API, for example http://127.0.0.1:8000/api. Exits non-zero when a rule fails."""

from __future__ import annotations

import httpx
from django.core.management.base import BaseCommand, CommandError

from portal.directory.compliance import check


class Command(BaseCommand):
    help = "Check an Open Referral UK API against the ORUK validator's rules (level 1 and 2, CORS)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("base_url")

    def handle(self, *args, base_url: str, **options) -> None:
        base = base_url.rstrip("/")
        with httpx.Client(timeout=30) as client:

            def get(path: str):
                response = client.get(base + path)
                try:
                    body = response.json()
                except ValueError:
                    body = None
                return response.status_code, response.headers, body

            result = check(get)
        for rule in result.failed:
            self.stdout.write(f"FAIL {rule}")
        self.stdout.write(f"{len(result.passed)} checks passed, {len(result.failed)} failed")
        if not result.ok:
            raise CommandError("The API does not pass the Open Referral UK checks")
