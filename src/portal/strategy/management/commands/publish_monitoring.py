"""`manage.py publish_monitoring`: publish the monitoring table written by `vru monitor`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.strategy.monitoring import MonitoringError, publish_monitoring


class Command(BaseCommand):
    help = (
        "Publish the monitoring table written by `vru monitor` (success measures with their SPC charts and "
        "minimum detectable change), replacing the area's measures. Run it after every ingest."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", required=True, help="The monitoring table (JSON) from `vru monitor --out`.")
        parser.add_argument("--area", default=None, help="Refuse the table unless it is for this ONS code.")

    def handle(self, *args, file: str, area: str | None, **options) -> None:
        try:
            rows = publish_monitoring(Path(file), area_code=area or None)
        except MonitoringError as error:
            raise CommandError(f"Not published: {error}") from error
        charted = sum(1 for row in rows if row.available)
        self.stdout.write(
            self.style.SUCCESS(f"Published {len(rows)} measures ({charted} charted, {len(rows) - charted} not loaded).")
        )
