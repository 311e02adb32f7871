"""The publication workflow of the needs assessment: draft, approved (by a named role), then public.

A Release wraps one published assessment (portal.insights.PublishedAssessment) without reading what is in
it: the bundle's contents are insights' and dashboards' business. The public sees only the newest approved
release of its area; staff see drafts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReleaseQuerySet(models.QuerySet):
    def approved(self) -> ReleaseQuerySet:
        return self.filter(status=Release.Status.APPROVED)

    def public_for(self, area_code: str) -> Release | None:
        """The release the public sees for an area: the most recently approved one, if any."""
        return self.approved().filter(area_code=area_code).order_by("-approved_at", "-pk").first()


class Release(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        WITHDRAWN = "withdrawn", "Withdrawn"

    assessment = models.OneToOneField("insights.PublishedAssessment", on_delete=models.CASCADE, related_name="release")
    # Copied from the assessment when the draft is made, so releases are listed and found without a join.
    area_code = models.CharField(max_length=16, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text="1, 2, 3... per area, given when a release is approved."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField(max_length=150, blank=True, help_text="Kept when the account is deleted.")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_name = models.CharField(max_length=150, blank=True, help_text="Kept when the account is deleted.")
    approved_as = models.CharField(
        max_length=150, blank=True, help_text="The role that allowed the approval, for example Assessment approver."
    )

    class Report(models.TextChoices):
        NONE = "", "No report"
        PREPARING = "preparing", "Being prepared"
        READY = "ready", "Published"
        FAILED = "failed", "Could not be prepared"

    # The approved report (`vru report --status approved`), rendered after approval: the draft's is never public.
    report_status = models.CharField(max_length=20, choices=Report.choices, default=Report.NONE, blank=True)
    report_problem = models.CharField(max_length=500, blank=True, help_text="Why the approved report failed.")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by_name = models.CharField(max_length=150, blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("approve_release", "Can approve a draft of the needs assessment for the public"),
            ("publish_release", "Can publish a new draft of the needs assessment from the staff area"),
        ]

    def __str__(self) -> str:
        if self.version:
            return f"Needs assessment {self.area_code}, version {self.version}"
        return f"Needs assessment {self.area_code}, draft {self.pk}"
