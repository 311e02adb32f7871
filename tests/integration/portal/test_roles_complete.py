"""Every permission the roles name exists once all apps are migrated (a typo would silently drop it)."""

import pytest

from portal.accounts import roles


@pytest.mark.django_db
def test_every_role_permission_exists_after_migrate():
    assert roles.missing_permissions() == []
