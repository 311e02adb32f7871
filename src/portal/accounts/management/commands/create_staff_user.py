"""manage.py create_staff_user --username NAME --email ADDRESS --role {editor,partner,administrator}"""

from __future__ import annotations

import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.accounts.users import ROLES, StaffUserError, create_staff_user


class Command(BaseCommand):
    help = (
        "Create a staff account in one of the four roles. Asks for the password twice, or, for scripts, "
        "reads it from the VRU_NEW_USER_PASSWORD environment variable. The password is never printed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=sorted(ROLES))

    def handle(self, *args, username: str, email: str, role: str, **options) -> None:
        password = os.environ.get("VRU_NEW_USER_PASSWORD", "")
        if not password:
            password = self._ask_for_password()
        try:
            user = create_staff_user(username, email, role, password)
        except StaffUserError as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError("The password is not allowed: " + " ".join(error.messages)) from None
        where = "the staff area and the Django admin" if user.is_staff else "the staff area"
        self.stdout.write(self.style.SUCCESS(f"Created the {ROLES[role]} account “{user.username}”, for {where}."))

    def _ask_for_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError("Set VRU_NEW_USER_PASSWORD, or run the command in a terminal to be asked.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords are different.")
        if not password:
            raise CommandError("Enter a password.")
        return password
