"""Partner accounts: approving or refusing a request (making the account, its organisation and its role),
the email that lets the new partner set a password, and how long requests are kept."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.accounts.audit import record_change
from portal.accounts.models import AccountRequest, Organisation
from portal.accounts.retention import RetentionRule
from portal.accounts.users import assign_role
from portal.common.formatting import duration_words
from portal.common.slugs import unique_slug

logger = logging.getLogger(__name__)


def approve_request(
    request: HttpRequest,
    account_request: AccountRequest,
    *,
    username: str,
    organisation: Organisation | None,
    new_organisation_name: str = "",
):
    """Make the partner account (no password yet: the person sets one from the emailed link), add it to its
    organisation (made here when new) and record the decision. Everything in one transaction."""
    with transaction.atomic():
        if organisation is None:
            organisation = Organisation.objects.create(
                name=new_organisation_name,
                slug=unique_slug(Organisation.objects.all(), new_organisation_name, fallback="organisation"),
            )
            record_change(request, "created", organisation, "Added the organisation when approving an account")
        user = get_user_model()(username=username, email=account_request.email, first_name=account_request.name[:150])
        user.set_unusable_password()
        user.save()
        assign_role(user, "partner")
        organisation.members.add(user)
        account_request.status = AccountRequest.Status.APPROVED
        account_request.decided_at, account_request.decided_by = timezone.now(), request.user
        account_request.organisation, account_request.user = organisation, user
        account_request.save()
        record_change(
            request,
            "approved",
            account_request,
            f"Approved: partner account “{username}” in {organisation.name}",
        )
    return user


def refuse_request(request: HttpRequest, account_request: AccountRequest) -> None:
    with transaction.atomic():
        account_request.status = AccountRequest.Status.REFUSED
        account_request.decided_at, account_request.decided_by = timezone.now(), request.user
        account_request.save(update_fields=["status", "decided_at", "decided_by"])
        record_change(request, "refused", account_request, "Refused the request for a partner account")


def set_password_link(request: HttpRequest, user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("accounts:set_password", args=[uid, token]))


def email_set_password_link(request: HttpRequest, user, organisation: Organisation) -> bool:
    """Tell the new partner their account is ready, with the link to set a password (valid for
    PASSWORD_RESET_TIMEOUT). Returns whether the email was sent; a failing mail server is logged."""
    valid_for = duration_words(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT))
    body = (
        f"Your partner account on the {settings.VRU_SITE_NAME} website is ready, for {organisation.name}.\n\n"
        f"Your username: {user.get_username()}\n\n"
        f"Choose your password here (the link works once, for {valid_for}):\n{set_password_link(request, user)}\n\n"
        f"If the link has expired, reply to this email and we will send a new one.\n"
    )
    email = EmailMessage(
        f"Your partner account on the {settings.VRU_SITE_NAME} website",
        body,
        to=[user.email],
        reply_to=[settings.VRU_CONTACT_EMAIL],
    )
    try:
        email.send()
    except Exception:
        logger.exception("Could not email the set-password link to account %s", user.pk)
        return False
    return True


def expired_requests(cutoff: datetime) -> models.QuerySet:
    """Requests past the retention period: decided before the cutoff, or waiting since before it."""
    decided_long_ago = models.Q(decided_at__lt=cutoff)
    waiting_too_long = models.Q(decided_at__isnull=True, received_at__lt=cutoff)
    return AccountRequest.objects.filter(decided_long_ago | waiting_too_long)


ACCOUNT_REQUEST_RETENTION = RetentionRule("account request(s)", "ACCOUNT_REQUEST_RETENTION_DAYS", expired_requests)
