"""`manage.py publish_coverage`: copy an area's police.uk coverage from the warehouse to the portal."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.insights.publishing import CoverageReportError, publish_coverage_report


class Command(BaseCommand):
    help = (
        "Read the police.uk coverage for an area (months loaded, gaps, rows per month) from the DuckDB "
        "warehouse and publish it to the portal database, where the home page shows it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--warehouse",
            default=str(settings.VAR_DIR / "warehouse.duckdb"),
            help="The warehouse file written by `vru ingest` (default: %(default)s).",
        )
        parser.add_argument(
            "--area",
            default=settings.VRU_AREA_CODE,
            help="ONS code of the local authority district (default: %(default)s, from VRU_AREA_CODE).",
        )

    def handle(self, *args, warehouse: str, area: str, **options) -> None:
        warehouse_path = Path(warehouse).resolve()
        if not warehouse_path.is_file():
            raise CommandError(f"No warehouse at {warehouse_path}: load the police.uk files with `vru ingest` first.")

        # Imported here, not at the top, so that other management commands (and the web process, which
        # never needs the warehouse) do not load DuckDB.
        from vru.warehouse import connect

        try:
            from vru.warehouse.coverage import coverage_report
        except ImportError as error:
            raise CommandError(f"This version of the toolkit cannot report coverage: {error}") from error

        connection = connect(warehouse_path, read_only=True)
        try:
            report = coverage_report(connection, area)
        except ValueError as error:
            # For example an area code that is not in the loaded reference data.
            raise CommandError(f"Not published: {error}") from error
        finally:
            connection.close()

        try:
            published = publish_coverage_report(report, area_code=area, warehouse_path=str(warehouse_path))
        except CoverageReportError as error:
            raise CommandError(f"Not published: {error}") from error

        months = published.payload["months"]
        totals = published.payload["totals"]
        if months.get("first"):
            span = f"{months['first']} to {months['last']}, {len(months['missing'])} month(s) missing"
        else:
            span = "no months with data"
        self.stdout.write(
            self.style.SUCCESS(
                f"Published coverage for {published.area_name or area} ({area}): {span}, "
                f"{totals['rows']:,} rows, {totals['rows_quarantined']:,} quarantined."
            )
        )
