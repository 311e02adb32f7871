"""The email notice to the team when a feedback message arrives (settings.VRU_FEEDBACK_NOTIFY_EMAIL).

The notice says that a message arrived, its topic and where to read it: never the message, the sender's
name or their email address. Email crosses systems the unit does not control and lingers in mailboxes;
the message itself stays in the portal database, behind a login, and is deleted after the retention period.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.http import HttpRequest
from django.urls import reverse

from portal.feedback.models import FeedbackMessage

logger = logging.getLogger(__name__)


def notice_text(message: FeedbackMessage, staff_link: str) -> tuple[str, str]:
    subject = f"New feedback on the {settings.VRU_SITE_NAME} website"
    body = (
        f"A new message arrived through the feedback form on the {settings.VRU_SITE_NAME} website.\n\n"
        f"Topic: {message.get_topic_display()}\n\n"
        f"Sign in to read it:\n{staff_link}\n\n"
        "This email does not include the message or who sent it: they are kept in the website's staff inbox.\n"
    )
    return subject, body


def notify_team(request: HttpRequest, message: FeedbackMessage) -> bool:
    """Send the notice if an address is set. The message is already saved, so a failure is logged, not
    shown to the sender. Returns whether a notice was sent."""
    recipient = settings.VRU_FEEDBACK_NOTIFY_EMAIL
    if not recipient:
        return False
    link = request.build_absolute_uri(reverse("feedback:staff_detail", args=[message.pk]))
    subject, body = notice_text(message, link)
    try:
        send_mail(subject, body, None, [recipient])
    except Exception:
        # SMTP refused, DNS failed, ...: the message is safe in the database and in the inbox.
        logger.exception("Could not send the feedback notice for message %s", message.pk)
        return False
    return True


def reply_text(message: FeedbackMessage, reply_words: str) -> tuple[str, str]:
    subject = f"Reply to your message to the {settings.VRU_SITE_NAME}"
    body = (
        f"{reply_words}\n\n"
        f"—\nYou sent a message through the feedback form on the {settings.VRU_SITE_NAME} website on "
        f"{message.received_at:%d %B %Y} and asked for a reply. To answer, reply to this email.\n"
    )
    return subject, body


def email_reply(message: FeedbackMessage, reply_words: str) -> bool:
    """Email a staff reply to the sender, only when they gave an address and asked for a reply. Answers to
    the unit's contact address. Returns whether it was sent; a failing mail server is logged."""
    if not message.can_email_reply:
        return False
    subject, body = reply_text(message, reply_words)
    email = EmailMessage(subject, body, to=[message.email], reply_to=[settings.VRU_CONTACT_EMAIL])
    try:
        email.send()
    except Exception:
        logger.exception("Could not email the reply to feedback message %s", message.pk)
        return False
    return True
