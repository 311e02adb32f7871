"""What the staff area's index page offers: one entry per staff page, shown to users with its permission.

Each app adds its own line to STAFF_LINKS: (permission "app_label.codename", URL name, link text, what the
page is for). The index shows an entry only when the user has the permission and the URL name exists, so
an entry can be added before its page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

STAFF_LINKS: list[tuple[str, str, str, str]] = [
    (
        "core.change_page",
        "core:staff_pages",
        "Pages",
        "Edit the unit’s pages: the introduction on the home page, why the unit was set up, what it does "
        "and how to contact the team.",
    ),
    ("accounts.view_auditevent", "accounts:audit_trail", "Audit trail", "Who changed what on the website, and when."),
    (
        "feedback.view_feedbackmessage",
        "feedback:staff_list",
        "Feedback inbox",
        "Messages sent through the feedback form: read them, record what was done, export or delete them.",
    ),
    (
        "dashboards.view_staff_dashboard",
        "dashboards:staff",
        "Needs assessment detail",
        "The published needs assessment in more detail than the public dashboard: forecast, deprivation, "
        "outcomes, cost and the source files.",
    ),
    (
        "publication.view_release",
        "publication:staff_list",
        "Publishing the needs assessment",
        "Publish a new draft of the needs assessment and its report, check it, and approve it for the public.",
    ),
    (
        "partners.add_partnerupload",
        "partners:uploads",
        "Partner data",
        "Upload your organisation's data files, see the problems found in each and the data-quality scorecard.",
    ),
    (
        "resources.view_resource",
        "resources:staff_list",
        "Resources",
        "The resource library: add resources, correct them, and retire those that are out of date.",
    ),
    (
        "accounts.view_partner_dashboard",
        "accounts:partner_dashboard",
        "Your organisation’s work",
        "What your organisation can do here: its services and data, resources to suggest, and the needs assessment.",
    ),
    (
        "accounts.view_accountrequest",
        "accounts:account_requests",
        "Requests for a partner account",
        "People from partner organisations asking for an account: approve or refuse them.",
    ),
    (
        "strategy.view_approach",
        "strategy:staff_approaches",
        "Evidence library",
        "What works to prevent violence (YEF and College of Policing toolkits): correct entries, fill in ratings "
        "read from the source, add approaches. The public good practice pages show it.",
    ),
    (
        "strategy.view_strategy",
        "strategy:staff_strategies",
        "Response strategy",
        "The draft strategy built from the needs assessment: each finding and gap with the approaches that could "
        "meet it, ranked and explained; the actions chosen, their owners, budgets and success measures.",
    ),
    (
        "signposting.view_localcontact",
        "signposting:staff_contacts",
        "Local contacts",
        "The local contacts shown by ‘Worried about someone?’: fill in and check numbers from published pages.",
    ),
    (
        "directory.view_service",
        "directory:staff_list",
        "Service directory",
        "Services in the Open Referral UK directory: add and check them, approve those partners mapped, import feeds.",
    ),
    (
        "directory.map_service",
        "directory:mapping_list",
        "Your organisation's services",
        "Provision mapping: describe what your organisation offers, for whom, where and when.",
    ),
    (
        "consultations.view_consultation",
        "consultations:staff_list",
        "Consultations",
        "Ask partners and the public about gaps in provision and practice; read, release, tag and export answers.",
    ),
    (
        "consultations.answer_consultation",
        "consultations:partner_list",
        "Consultations to answer",
        "The unit's questions about gaps in services and in practice, answered for your organisation.",
    ),
    (
        "gaps.view_gapentry",
        "gaps:register",
        "Gap register",
        "Gaps in provision from the data and in practice from consultations, by ward and theme: owner and status.",
    ),
]


@dataclass(frozen=True)
class StaffLink:
    text: str
    href: str
    description: str


def links_for(user, entries: list[tuple[str, str, str, str]]) -> list[StaffLink]:
    """The entries `user` has the permission for and whose URL name exists. A URL name may end in a query
    string ("feedback:form?topic=resources")."""
    links = []
    for permission, url_name, text, description in entries:
        if not user.has_perm(permission):
            continue
        name, _, query = url_name.partition("?")
        try:
            href = reverse(name) + (f"?{query}" if query else "")
        except NoReverseMatch:
            continue
        links.append(StaffLink(text=text, href=href, description=description))
    return links


def staff_links_for(user) -> list[StaffLink]:
    return links_for(user, STAFF_LINKS)
