"""The gap register: one row per ward (or the whole area) and theme, with the provision gap worked out from
the data and the practice gaps partners and the public described, side by side, and what staff decided.

Rebuilding (portal.gaps.register) refreshes the worked-out columns and keeps what staff set (owner, status,
note), so a row's history is never lost when the data change."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.directory.themes import THEME_CHOICES


class GapEntry(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in-progress", "Being worked on"
        ADDRESSED = "addressed", "Addressed"
        NOT_A_GAP = "not-a-gap", "Not a gap"

    area_code = models.CharField(max_length=9, help_text="A ward, or the whole local authority.")
    area_name = models.CharField(max_length=200)
    theme = models.CharField(max_length=40, choices=THEME_CHOICES)
    # Worked out from the data (vru.analysis.gaps through portal.insights.gaps); empty for the whole area.
    need = models.FloatField(null=True, blank=True)
    provision = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    components = models.JSONField(default=dict, blank=True, help_text="Every component and figure behind the score.")
    reasons = models.JSONField(default=list, blank=True)
    # From consultations: answers staff tagged with this theme, for this area.
    practice_answers = models.PositiveIntegerField(default=0)
    practice_evidence = models.JSONField(default=list, blank=True, help_text="The answers: id, excerpt, from whom.")
    in_register = models.BooleanField(default=False, help_text="Above the threshold, or described in a consultation.")
    # What staff decide.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_gaps"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(blank=True, help_text="What is being done, or why it is not a gap.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["rank", "area_name", "theme"]
        verbose_name_plural = "gap entries"
        constraints = [models.UniqueConstraint(fields=["area_code", "theme"], name="gaps_one_row_per_area_theme")]

    def __str__(self) -> str:
        return f"{self.area_name}: {self.get_theme_display()}"


class RegisterBuild(models.Model):
    """When the register was last worked out, and from what (to know when it is out of date)."""

    built_at = models.DateTimeField(auto_now_add=True)
    fingerprint = models.CharField(max_length=200)
    assessment_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-built_at", "-id"]

    def __str__(self) -> str:
        return f"{self.built_at:%Y-%m-%d %H:%M}"
