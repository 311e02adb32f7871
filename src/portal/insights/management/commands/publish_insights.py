"""`manage.py publish_insights`: publish an assessment bundle (and the SNA report) to the portal."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.insights.assessments import publish_assessment
from portal.insights.bundle import BundleError


class Command(BaseCommand):
    help = (
        "Publish an assessment bundle written by `vru assess` (summary.json, Parquet tables, boundaries) to "
        "the portal database, where the dashboard pages show it; with --report, also publish the SNA report "
        "(report.html with its files, and report.pdf). Pages never read the bundle folder afterwards."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--bundle",
            default=str(settings.VAR_DIR / "bundle" / settings.VRU_AREA_CODE),
            help="The bundle folder (default: %(default)s).",
        )
        parser.add_argument("--report", default=None, help="The report folder holding report.html and/or report.pdf.")
        parser.add_argument(
            "--area", default=None, help="Refuse the bundle unless it is for this ONS code (default: any area)."
        )

    def handle(self, *args, bundle: str, report: str | None, area: str | None, **options) -> None:
        try:
            published = publish_assessment(
                Path(bundle), report_dir=Path(report) if report else None, area_code=area or None
            )
        except BundleError as error:
            raise CommandError(f"Not published: {error}") from error

        summary = published.summary
        missing = summary.get("missing_months") or []
        report_text = ""
        if published.report_files:
            kinds = [name for name in ("report.html", "report.pdf") if name in published.report_files]
            report_text = f"; report: {', '.join(kinds)} ({len(published.report_files)} file(s))"
        self.stdout.write(
            self.style.SUCCESS(
                f"Published the assessment for {published.area_name} ({published.area_code}), "
                f"{published.period_from} to {published.period_to}: {len(summary.get('findings') or [])} findings, "
                f"{len(published.tables.get('lsoa') or [])} LSOAs, {len(missing)} month(s) missing, "
                f"comparison {'included' if published.tables.get('comparison') else 'not available'}{report_text}."
            )
        )
