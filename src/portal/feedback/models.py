"""Feedback and suggestions sent through the public form, and how staff deal with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class FeedbackMessage(models.Model):
    """One message from the public feedback form. Saved before the sender sees the thank-you page."""

    class Topic(models.TextChoices):
        WEBSITE = "website", "This website"
        FIGURES = "figures", "The figures and the needs assessment"
        RESOURCES = "resources", "Resources, services or contacts"
        UNIT = "unit", "The work of the Violence Reduction Unit"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    may_contact = models.BooleanField(
        default=False,
        help_text="The sender asked for a reply by email (giving an address on the form asks for one).",
    )
    topic = models.CharField(max_length=20, choices=Topic.choices)
    message = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    staff_notes = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_feedback",
        help_text="The member of staff dealing with the message.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        permissions = [("export_feedbackmessage", "Can export feedback messages as CSV")]
        verbose_name = "feedback message"

    def __str__(self) -> str:
        # Shown in the audit trail: never the sender's name, email or words.
        return f"Feedback message {self.pk}" if self.pk else "Feedback messages"

    @property
    def can_email_reply(self) -> bool:
        """Only someone who gave an address and asked for a reply is ever emailed."""
        return bool(self.email and self.may_contact)


class FeedbackReply(models.Model):
    """A reply from staff to a message: always recorded here, emailed only when the sender asked for one.

    Deleted with its message, so it is kept no longer than the message (FEEDBACK_RETENTION_DAYS)."""

    message = models.ForeignKey(FeedbackMessage, on_delete=models.CASCADE, related_name="replies")
    written_at = models.DateTimeField(default=timezone.now)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_by_name = models.CharField(max_length=150, help_text="Kept when the account is later deleted.")
    text = models.TextField()
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the reply was emailed; empty when it was only recorded."
    )

    class Meta:
        ordering = ["written_at", "id"]
        verbose_name = "feedback reply"
        verbose_name_plural = "feedback replies"

    def __str__(self) -> str:
        # Shown in the audit trail: never the reply's words.
        return f"Reply to feedback message {self.message_id}"
