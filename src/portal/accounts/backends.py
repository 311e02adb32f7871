"""Signing in with a username and password, and the permissions of a signed-in user."""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


@cache
def _permissions_sql() -> str:
    """One query for a user's permissions, their own and their groups' ("app_label", "codename" rows; the
    user's id twice as its parameters). Written as SQL from the models' table and column names, once per
    process: it is the same for every user, and building it through the ORM cost more than running it."""
    quote = connection.ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    def column(model, field: str) -> str:
        return quote(model._meta.get_field(field).column)

    own = get_user_model().user_permissions.through
    membership = get_user_model().groups.through
    granted = Group.permissions.through
    return (
        f"SELECT ct.{column(ContentType, 'app_label')}, p.{column(Permission, 'codename')} "
        f"FROM {table(Permission)} p JOIN {table(ContentType)} ct "
        f"ON ct.{column(ContentType, 'id')} = p.{column(Permission, 'content_type')} "
        f"WHERE p.{column(Permission, 'id')} IN ("
        f"SELECT {column(own, 'permission')} FROM {table(own)} WHERE {column(own, 'user')} = %s "
        f"UNION SELECT g.{column(granted, 'permission')} FROM {table(granted)} g "
        f"JOIN {table(membership)} m ON m.{column(membership, 'group')} = g.{column(granted, 'group')} "
        f"WHERE m.{column(membership, 'user')} = %s)"
    )


class PermissionsInOneQueryBackend(ModelBackend):
    """Django's ModelBackend, except that a user's permissions (their own and their groups') are read in one
    query rather than two. Every staff page asks for them, so this is one database round trip and two query
    compilations fewer per staff page. Still read afresh on every request (cached only on the request's user
    object, as ModelBackend does): a permission taken away stops working at once."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list("content_type__app_label", "codename").order_by()
            else:
                with connection.cursor() as cursor:
                    cursor.execute(_permissions_sql(), [user_obj.pk, user_obj.pk])
                    rows = cursor.fetchall()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
