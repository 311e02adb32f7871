"""Consultations on gaps in provision and practice: staff ask, partners answer for their organisation (a
draft kept as they go), community groups and young people answer anonymously (no personal data asked; free
text held back until staff have read it), staff tag answers with themes.

Personal data: a partner's response records the account and organisation that gave it, kept while the
consultation's results are in use; a public response records nothing about who gave it (no name, email,
address or account, and the server keeps no client address with it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.accounts.models import Organisation
from portal.directory.themes import THEME_CHOICES


class Consultation(models.Model):
    title = models.CharField(max_length=200)
    introduction = models.TextField(help_text="What the consultation is for and how answers will be used.")
    closes_on = models.DateField("Closes on", help_text="The last day answers are accepted.")
    public = models.BooleanField(
        "Open to the public", default=False, help_text="Also ask community groups and young people, anonymously."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-closes_on", "title"]
        permissions = [
            ("answer_consultation", "Can answer consultations for their organisation"),
            ("moderate_answer", "Can read and release public answers"),
            ("export_consultation", "Can export consultation answers"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return timezone.localdate() <= self.closes_on


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Free text"
        RATING = "rating", "A rating from 1 (poor) to 5 (good)"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Partners and the public"
        PARTNERS = "partners", "Partners only"
        PUBLIC = "public", "The public only"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    gap_kind = models.CharField(
        "About gaps in",
        max_length=10,
        choices=[("provision", "Provision (services)"), ("practice", "Practice (how we work)")],
        default="practice",
    )
    theme = models.CharField(max_length=40, choices=THEME_CHOICES, blank=True)
    area_code = models.CharField("Area (ONS code)", max_length=9, blank=True, help_text="A ward or the whole area.")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)

    class Meta:
        ordering = ["consultation", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    def asked_of(self, channel: str) -> bool:
        return self.audience == self.Audience.EVERYONE or self.audience == channel


class Response(models.Model):
    class Channel(models.TextChoices):
        PARTNERS = "partners", "Partner"
        PUBLIC = "public", "Public"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="consultation_responses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="Empty while it is a draft.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="consultations_one_response_per_organisation",
            )
        ]

    def __str__(self) -> str:
        who = self.organisation.name if self.organisation_id else "public"
        return f"{self.consultation} ({who})"


class Answer(models.Model):
    class Moderation(models.TextChoices):
        NOT_NEEDED = "not-needed", "Not needed"
        WAITING = "waiting", "Waiting to be read"
        RELEASED = "released", "Released"
        WITHHELD = "withheld", "Withheld"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    moderation = models.CharField(max_length=12, choices=Moderation.choices, default=Moderation.NOT_NEEDED)
    themes = models.JSONField(default=list, blank=True, help_text="Theme slugs staff tagged the answer with.")
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="consultations_one_answer")]

    def __str__(self) -> str:
        return f"{self.question} ({self.response_id})"

    @property
    def visible_to_others(self) -> bool:
        """Public free text is seen by no one but moderators until it is released."""
        return self.moderation in (self.Moderation.NOT_NEEDED, self.Moderation.RELEASED)
