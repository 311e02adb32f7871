from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs) -> None:
    from portal.accounts.role_audit import roles_from_code
    from portal.accounts.roles import ensure_roles

    with roles_from_code():
        ensure_roles()


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.accounts"
    verbose_name = "Staff accounts and audit trail"

    def ready(self) -> None:
        # After each app's post_migrate (including the test database's): an app's permissions are created in
        # its own post_migrate, so running after every one leaves the groups matching roles.py at the end.
        post_migrate.connect(_ensure_roles, dispatch_uid="portal.accounts.ensure_roles")
        from portal.accounts.role_audit import connect_signals

        connect_signals()
