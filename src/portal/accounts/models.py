"""Staff accounts use Django's User and Group; this app adds the audit trail of content changes, partner
organisations with their members, and requests for a partner account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class StaffEdited(models.Model):
    """Who created and who last changed a record staff keep, and when (the audited staff save fills them)."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One change made by staff to stored content (pages, resources, contacts, feedback status, ...)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150, help_text="Kept when the account is later deleted.")
    action = models.CharField(max_length=40, help_text="created, changed, retired, deleted, exported, ...")
    object_type = models.CharField(max_length=100, help_text="app_label.model")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What changed, in words (never personal data).")

    class Meta:
        ordering = ["-at", "-id"]
        permissions = [("view_staff_area", "Can use the staff area")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type} {self.object_repr}"


class Organisation(models.Model):
    """A partner organisation (a school, a charity, a council service...) and the accounts that work for it.

    Kept small on purpose: other apps attach what belongs to an organisation (its services, the data it
    uploads) with their own foreign key to this model."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=90, unique=True, help_text="Made from the name; used in addresses.")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="organisations", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [("view_partner_dashboard", "Can see their organisation's work (the partner dashboard)")]

    def __str__(self) -> str:
        return self.name


class AccountRequest(models.Model):
    """Someone from a partner organisation asking for a partner account, through the public form.

    Holds personal data (name, email): deleted ACCOUNT_REQUEST_RETENTION_DAYS after it is decided, or after
    it arrived if nobody decides (`manage.py purge_account_requests`), as the privacy notice says."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    organisation_name = models.CharField(max_length=200, help_text="As the person typed it.")
    job_title = models.CharField(max_length=200)
    reason = models.TextField(help_text="What they will use the account for.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="account_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account made when the request was approved.",
    )

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        # Shown in the audit trail: never the person's name or email.
        return f"Account request {self.pk}" if self.pk else "Account requests"
