"""Record staff changes in the audit trail. Every staff view that changes stored content calls this."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpRequest

from portal.accounts.models import AuditEvent


def record_change(request: HttpRequest, action: str, obj: models.Model, summary: str = "") -> AuditEvent:
    """Add an audit event for `obj`, made by the signed-in user. `summary` must not hold personal data."""
    return record_event(request.user if request.user.is_authenticated else None, action, obj, summary)


def record_event(user, action: str, obj: models.Model, summary: str = "", username: str = "") -> AuditEvent:
    """Add an audit event for `obj` made by `user` (None outside a request: then `username` says who, such
    as "command line")."""
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user else username,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        summary=summary,
    )


def changed_field_labels(form: forms.Form) -> list[str]:
    """The labels of the fields that changed, for the audit trail (never their values)."""
    return [str(form.fields[name].label or name).lower() for name in form.changed_data]


def save_staff_edit(request: HttpRequest, form: forms.ModelForm, label: str) -> models.Model:
    """Save a valid staff edit form: who and which fields go to the audit trail, a message to the user.
    Nothing is saved or recorded when nothing changed."""
    if not form.has_changed():
        messages.info(request, f"You did not change anything in “{label}”.")
        return form.instance
    changed = changed_field_labels(form)
    obj = form.save(commit=False)
    obj.updated_by = request.user
    obj.save()
    form.save_m2m()
    record_change(request, "changed", obj, "Changed: " + ", ".join(changed))
    messages.success(request, f"Your changes to “{label}” have been saved.")
    return obj
