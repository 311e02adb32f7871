"""`manage.py render_approved_report ID`: render the approved report (HTML and PDF, `vru report --status approved`)
of an approved assessment and serve it. The staff area's approval starts it in a process of its own; run it by
hand to try again after a failure (the staff page says why it failed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.insights.models import PublishedAssessment
from portal.publication.models import Release
from portal.publication.releases import render_public_report


class Command(BaseCommand):
    help = "Render the approved report (HTML and PDF) of an approved assessment, by its id, and serve it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("assessment", type=int, help="The assessment's id (as in /staff/publication/<id>/).")

    def handle(self, *args, assessment: int, **options) -> None:
        found = PublishedAssessment.objects.filter(pk=assessment).first()
        if found is None:
            raise CommandError(f"No published assessment has the id {assessment}")
        if not Release.objects.filter(assessment=found, status=Release.Status.APPROVED).exists():
            raise CommandError(f"Assessment {assessment} is not approved: only approved reports are rendered")
        release = render_public_report(found)
        if release.report_status != Release.Report.READY:
            raise CommandError(f"The approved report of {release} could not be prepared: {release.report_problem}")
        self.stdout.write(self.style.SUCCESS(f"The approved report of {release} is published."))
