"""Every change of a staff role or permission goes to the audit trail (/staff/audit/), whoever makes it and
wherever: the Django admin, `manage.py create_staff_user`, a shell. Signals see every save; a middleware
tells them who is signed in, and outside a request the change is recorded as made on the command line."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_save

from portal.accounts.audit import record_event

# The signed-in user of the request being handled (None outside a request).
_actor: ContextVar = ContextVar("audit_actor", default=None)
COMMAND_LINE = "command line"
# True while `ensure_roles` brings the roles in step with roles.py after a migrate: that is the code's
# definition of the roles (reviewed in version control), not a change made by a person.
_in_step_with_code: ContextVar = ContextVar("roles_in_step_with_code", default=False)
# The flags on an account that grant power, and how the audit trail names them.
PRIVILEGE_FLAGS = {
    "is_superuser": "superuser",
    "is_staff": "Django admin access (staff)",
    "is_active": "active",
}


class AuditActorMiddleware:
    """Make the signed-in user known to the audit signals for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _actor.set(request)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


@contextmanager
def roles_from_code():
    """Within this block, changes to the roles' permissions are not audited (see _in_step_with_code)."""
    token = _in_step_with_code.set(True)
    try:
        yield
    finally:
        _in_step_with_code.reset(token)


def _record(action: str, obj, summary: str) -> None:
    if _in_step_with_code.get():
        return
    request = _actor.get()
    user = request.user if request is not None and request.user.is_authenticated else None
    record_event(user, action, obj, summary, username="" if request is not None else COMMAND_LINE)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _remember_flags(sender, instance, update_fields=None, **kwargs) -> None:
    # A sign-in saves last_login only: no need to read the account again for that.
    if update_fields is not None and not set(update_fields) & PRIVILEGE_FLAGS.keys():
        instance._flags_before = None
        return
    before = sender.objects.filter(pk=instance.pk).values(*PRIVILEGE_FLAGS).first() if instance.pk else None
    instance._flags_before = before


def _record_flags(sender, instance, created, **kwargs) -> None:
    before = getattr(instance, "_flags_before", None)
    if created:
        granted = [label for flag, label in PRIVILEGE_FLAGS.items() if flag != "is_active" and getattr(instance, flag)]
        summary = "Account created" + (": " + ", ".join(granted) if granted else "")
        _record("account created", instance, summary)
        return
    if before is None:
        return
    changes = [
        f"{label}: {_yes_no(before[flag])} → {_yes_no(getattr(instance, flag))}"
        for flag, label in PRIVILEGE_FLAGS.items()
        if before[flag] != getattr(instance, flag)
    ]
    if changes:
        _record("role changed", instance, "; ".join(changes))


def _names(model, pks) -> str:
    return ", ".join(sorted(str(obj) for obj in model.objects.filter(pk__in=pks))) or "none"


def _membership_handler(what: str, forward: str, backward: str):
    """A handler for one many-to-many relation (an account's roles or permissions, a role's permissions);
    `forward` and `backward` name the relation's accessor on each side."""

    def handler(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
        if action == "pre_clear":
            # Read what is about to go before the relation is emptied.
            accessor = backward if reverse else forward
            instance._cleared_pks = set(getattr(instance, accessor).values_list("pk", flat=True))
            return
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        pks = getattr(instance, "_cleared_pks", set()) if action == "post_clear" else pk_set
        if not pks:
            return
        verb = "added" if action == "post_add" else "removed"
        if not reverse:
            _record(f"{what} changed", instance, f"{what.capitalize()} {verb}: {_names(model, pks)}")
            return
        # Changed from the other side (group.user_set.add(user)): one event per account or role changed.
        for owner in model.objects.filter(pk__in=pks):
            _record(f"{what} changed", owner, f"{what.capitalize()} {verb}: {instance}")

    return handler


def connect_signals() -> None:
    User = get_user_model()
    pre_save.connect(_remember_flags, sender=User, dispatch_uid="role_audit.remember_flags")
    post_save.connect(_record_flags, sender=User, dispatch_uid="role_audit.record_flags")
    relations = (
        (User.groups.through, "roles", "groups", "user_set"),
        (User.user_permissions.through, "permissions", "user_permissions", "user_set"),
        (Group.permissions.through, "permissions", "permissions", "group_set"),
    )
    for through, what, forward, backward in relations:
        # weak=False: the handler is made here, and nothing else holds it.
        handler = _membership_handler(what, forward, backward)
        m2m_changed.connect(handler, sender=through, weak=False, dispatch_uid=f"role_audit.{through.__name__}")
