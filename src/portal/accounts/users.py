"""Creating staff accounts with one of the four roles (used by `manage.py create_staff_user`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from portal.accounts.roles import ADMINISTRATOR, APPROVER, EDITOR, PARTNER, ensure_roles

# The --role values, and the group each one joins.
ROLES = {"editor": EDITOR, "approver": APPROVER, "partner": PARTNER, "administrator": ADMINISTRATOR}


class StaffUserError(ValueError):
    """The account cannot be created as asked (the message says why, never with the password)."""


def create_staff_user(username: str, email: str, role: str, password: str):
    """Create an active account in the role's group. Only administrators may use the Django admin
    (is_staff); editors and partners use the staff area only. Raises StaffUserError, or Django's
    ValidationError when the password fails the password rules."""
    if role not in ROLES:
        raise StaffUserError(f"Role must be one of {', '.join(ROLES)}")
    username = username.strip()
    if not username:
        raise StaffUserError("Enter a username")
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise StaffUserError(f"An account with the username “{username}” already exists")
    user = User(username=username, email=email.strip())
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        assign_role(user, role)
    return user


def assign_role(user, role: str) -> None:
    """Put `user` in the role's group; only administrators may use the Django admin (is_staff)."""
    if role not in ROLES:
        raise StaffUserError(f"Role must be one of {', '.join(ROLES)}")
    group = Group.objects.filter(name=ROLES[role]).first()
    if group is None:  # migrate creates the groups; a database emptied since then may not have them
        ensure_roles()
        group = Group.objects.get(name=ROLES[role])
    user.groups.add(group)
    user.is_staff = role == "administrator"
    user.save(update_fields=["is_staff"])
