"""Record staff changes in the audit trail. Every staff view that changes stored content calls this."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from portal.accounts.models import AuditEvent


def record_change(request: HttpRequest, action: str, obj: models.Model, summary: str = "") -> AuditEvent:
    """Add an audit event for `obj`, made by the signed-in user. `summary` must not hold personal data."""
    user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        summary=summary,
    )
