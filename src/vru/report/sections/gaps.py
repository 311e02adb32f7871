"""Section 10, gaps in provision and practice (templates/sections/gaps.html.j2)."""

from __future__ import annotations

from vru.bundle import Bundle
from vru.report.model import Table
from vru.report.sections.common import Common, Registry


def build(bundle: Bundle, registry: Registry, common: Common) -> Table:
    summary = bundle.summary
    pfa = summary["area"].get("pfa_name") or "the force"
    gaps = [
        {
            "title": "Service mapping (current provision)",
            "missing": "No map yet of the services that work with people at risk of violence, where they work and "
            "who they reach.",
            "how": "Partners list their services in the portal's service directory (Open Referral UK format); the "
            "directory is then set against the places and groups this assessment identifies.",
        },
        {
            "title": "Partner consultation",
            "missing": "The specified authorities (police, fire and rescue, health, local authority, youth justice, "
            "probation) and education have not yet been asked what they see and what they provide.",
            "how": "A structured consultation through the portal, with each authority's answer recorded and "
            "summarised in the next version of this assessment.",
        },
        {
            "title": "Community and young people's voice",
            "missing": "No survey, focus group or youth forum has yet fed into this assessment.",
            "how": "Surveys and facilitated sessions with young people and communities in the priority "
            "neighbourhoods, with youth services and schools, and the portal's feedback page.",
        },
        {
            "title": "Hospital data (ISB1594)",
            "missing": "Emergency department assault data are not loaded: most assault injuries treated in "
            "emergency departments are never reported to the police, and police.uk cannot show injury or weapon.",
            "how": "A data-sharing agreement with the local emergency departments for the Information Sharing to "
            "Tackle Violence minimum data set (ISB1594), shared monthly, anonymised and aggregated.",
        },
        {
            "title": "Knife-crime data",
            "missing": "police.uk does not publish knife or gun involvement, so knife crime cannot be counted here.",
            "how": f"Home Office recorded crime knife tables for {pfa} and force-recorded knife-enabled offences "
            "for the partnership, loaded with `vru partner` and shown with the suppression rule.",
        },
    ]
    return registry.table(
        Table(
            caption="What has not yet been assessed, and how it will be",
            columns=["Not yet assessed", "What is missing", "How it will be assessed"],
            rows=[[gap["title"], gap["missing"], gap["how"]] for gap in gaps],
        ),
        "table-gaps",
    )
