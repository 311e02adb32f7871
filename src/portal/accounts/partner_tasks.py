"""What a partner can do, listed on their dashboard ("Your organisation's work", /staff/partner/).

Each app adds its own line, as in STAFF_LINKS: (permission "app_label.codename", URL name, link text, what
it is for). The dashboard shows a task only when the user has the permission and the URL name exists, so an
app can add its line before its page. Pages that work on one organisation's things (its services, its data
uploads) find the organisation from `request.user.organisations` (portal.accounts.models.Organisation).
"""

from __future__ import annotations

PARTNER_TASKS: list[tuple[str, str, str, str]] = [
    (
        "accounts.view_partner_dashboard",
        "feedback:form?topic=resources",
        "Suggest a resource, service or contact",
        "Tell the unit about a resource, a service or a local contact the website should list, or one that is "
        "wrong. Staff check it against a published source before it appears.",
    ),
    (
        "dashboards.view_staff_dashboard",
        "dashboards:staff",
        "Read the needs assessment in detail",
        "The forecast, deprivation, outcomes, cost and the source files behind the public dashboard.",
    ),
    (
        "accounts.view_partner_dashboard",
        "accounts:account_request",
        "Ask for an account for a colleague",
        "The form a colleague fills in; a website administrator approves it.",
    ),
]
