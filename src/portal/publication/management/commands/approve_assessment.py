"""`manage.py approve_assessment`: approve the newest published assessment of an area from the server, for
whoever runs the portal without a staff account yet (`make demo`), and render its report as approved (HTML and
PDF, before it returns). Staff approve in the staff area."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.insights.models import PublishedAssessment
from portal.publication.models import Release
from portal.publication.releases import approve_from_command_line


class Command(BaseCommand):
    help = (
        "Approve the newest published assessment of the area for the public, recording NAME as the approver and "
        "'server command line' as the route. Use the staff area's approval (Assessment approver role) normally."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--by", required=True, help="The name of the person approving it.")
        parser.add_argument("--area", default=settings.VRU_AREA_CODE, help="ONS code (default: %(default)s).")

    def handle(self, *args, by: str, area: str, **options) -> None:
        by = by.strip()
        if not by:
            raise CommandError("--by must name the person approving the assessment")
        assessment = PublishedAssessment.objects.filter(area_code=area).order_by("-published_at", "-pk").first()
        if assessment is None:
            raise CommandError(f"No assessment has been published for {area}: run publish_insights first")
        release = approve_from_command_line(assessment, by)
        self.stdout.write(self.style.SUCCESS(f"Approved {release} for the public (approved by {by})."))
        if release.report_status == Release.Report.READY:
            self.stdout.write("Its report (HTML and PDF) was rendered as approved and is public.")
        elif release.report_status == Release.Report.FAILED:
            raise CommandError(f"Approved, but its report could not be prepared: {release.report_problem}")
