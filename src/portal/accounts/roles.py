"""The four staff roles, as Django groups with permissions. Kept in step by `ensure_roles` after every
migrate (a post_migrate handler in apps.py), so a new permission reaches its role without a manual step."""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group, Permission

logger = logging.getLogger(__name__)

EDITOR = "VRU editor"
PARTNER = "Partner"
APPROVER = "Assessment approver"
ADMINISTRATOR = "Administrator"

# "app_label.codename" per role. Administrators also get is_staff (the Django admin) per user, not here.
STAFF_AREA = ["accounts.view_staff_area"]
EDITOR_PERMISSIONS = [
    *STAFF_AREA,
    "accounts.view_auditevent",
    "core.view_page",
    "core.add_page",
    "core.change_page",
    "resources.view_resource",
    "resources.add_resource",
    "resources.change_resource",
    "signposting.view_localcontact",
    "signposting.add_localcontact",
    "signposting.change_localcontact",
    "feedback.view_feedbackmessage",
    "feedback.change_feedbackmessage",
    "feedback.delete_feedbackmessage",
    "feedback.export_feedbackmessage",
    "dashboards.view_staff_dashboard",
    "publication.view_release",
    "publication.publish_release",
    "directory.view_service",
    "directory.add_service",
    "directory.change_service",
    "directory.approve_service",
    "consultations.view_consultation",
    "consultations.add_consultation",
    "consultations.change_consultation",
    "consultations.change_answer",
    "consultations.moderate_answer",
    "consultations.export_consultation",
    "gaps.view_gapentry",
    "gaps.change_gapentry",
    "strategy.view_approach",
    "strategy.add_approach",
    "strategy.change_approach",
    "strategy.view_strategy",
    "strategy.change_strategy",
    "strategy.add_action",
    "strategy.change_action",
]
# Whoever signs the needs assessment off for the public (for the unit, the partnership board's nominee):
# approval is recorded with this role's name.
APPROVER_PERMISSIONS = [
    *STAFF_AREA,
    "dashboards.view_staff_dashboard",
    "publication.view_release",
    "publication.approve_release",
]
PARTNER_PERMISSIONS = [
    *STAFF_AREA,
    "dashboards.view_staff_dashboard",
    "accounts.view_partner_dashboard",
    "partners.view_partnerupload",
    "partners.add_partnerupload",
    "directory.map_service",
    "consultations.answer_consultation",
    "gaps.view_gapentry",
    "strategy.view_strategy",
]
# What only administrators do: manage staff accounts in the Django admin, unlock an account that
# django-axes locked after too many failed sign-ins (by deleting its access attempts), and approve or refuse
# requests for a partner account in the staff area.
ACCOUNT_MANAGEMENT_PERMISSIONS = [
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.view_group",
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accesslog",
    "accounts.view_accountrequest",
    "accounts.change_accountrequest",
    "accounts.view_organisation",
]
# In this order approval names the role it was given by (portal.publication.releases.approving_role).
ROLE_PERMISSIONS = {
    APPROVER: APPROVER_PERMISSIONS,
    EDITOR: EDITOR_PERMISSIONS,
    PARTNER: PARTNER_PERMISSIONS,
    ADMINISTRATOR: sorted(
        set(EDITOR_PERMISSIONS + APPROVER_PERMISSIONS + PARTNER_PERMISSIONS + ACCOUNT_MANAGEMENT_PERMISSIONS)
    ),
}


def missing_permissions() -> list[str]:
    """Permissions named above that no installed model defines (a typo or an app not yet migrated)."""
    missing = []
    for names in ROLE_PERMISSIONS.values():
        for name in names:
            app_label, codename = name.split(".", 1)
            if not Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists():
                missing.append(name)
    return sorted(set(missing))


def ensure_roles() -> None:
    """Create the groups and set exactly their permissions (idempotent)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".", 1)
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is None:
                # Normal mid-migrate (a later app has not made its permissions yet); tests check the end state.
                logger.debug("Role %s: permission %s does not exist yet", role, name)
                continue
            permissions.append(found)
        group.permissions.set(permissions)
