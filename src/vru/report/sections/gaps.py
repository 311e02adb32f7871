"""Section 10, gaps in provision and practice (templates/sections/gaps.html.j2).

With the portal's public gap register in the bundle folder (gaps.json, `manage.py export_gap_register`), the
section shows it: provision gaps by ward and theme with the components behind each score, and how many
consultation answers describe a practice gap (counts under 5 already "fewer than 5"). What is still not
assessed is listed either way."""

from __future__ import annotations

from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation.formatting import number
from vru.report.model import Table
from vru.report.sections.common import Common, Registry

REGISTER_ROWS = 20  # the PDF prints the largest gaps; the HTML table has every row of the register
COMPONENT_NAMES = {
    "excess": "rate above the area's",
    "clusters": "hot spots",
    "deprivation": "deprivation",
    "young_people": "young people",
}


class GapsContext(TypedDict):
    register: Table | None
    register_facts: dict | None
    not_assessed: Table


def _score(value) -> str:
    return "not scored" if value is None else f"{value:.2f}"


def _register(register: dict, registry: Registry) -> tuple[Table, dict]:
    rows = []
    for row in register["rows"]:
        components = row.get("components") or {}
        drivers = [label for name, label in COMPONENT_NAMES.items() if components.get(name)] + [
            # A partner risk factor that stands out (vru.analysis.factor_need), named as the register names it.
            name.removeprefix("indicator:")
            for name, value in components.items()
            if name.startswith("indicator:") and value
        ]
        rows.append(
            [
                row["area_name"],
                row["theme_name"],
                _score(row["gap"]),
                _score(row["need"]),
                _score(row["provision"]),
                "" if row.get("service_count") is None else number(row["service_count"], 0),
                ", ".join(drivers) or "none",
                str(row["practice_answers"]),
                row["status"],
            ]
        )
    table = registry.table(
        Table(
            caption="The gap register: provision gaps by ward and theme, and practice gaps from consultations",
            columns=["Ward", "Theme", "Gap", "Need", "Provision", "Services", "Need from", "Practice answers",
                     "Status"],
            rows=rows,
            numeric=[False, False, True, True, True, True, False, True, False],
            notes=[
                "Gap = need × (1 − provision), each from 0 to 1 (docs/methods-gaps.md). Need: the ward's rate "
                "above the area's (lower 95% bound), residents in hot spots or high-high clusters, in the most "
                "deprived fifth of England, young people aged 10 to 24, and a partner risk factor that stands out "
                "for the area (section on risk and protective factors), for the themes that address it. "
                "Provision: services in the directory for the theme that serve the ward and ages 10 to 24, "
                "distance, capacity and funding.",
                f"A row is listed when its gap is at least {register['threshold']} or a consultation answer about "
                "it was tagged with the theme. Practice answers under 5 are shown as \"fewer than 5\".",
            ],
            print_rows=REGISTER_ROWS,
            compact=True,
        ),
        "table-gap-register",
    )  # fmt: skip
    directory = register.get("directory") or {}
    consultations = register.get("consultations") or {}
    facts = {
        "rows": len(register["rows"]),
        "services": directory.get("published_services", 0),
        "themes_without_services": [name for name, count in (directory.get("by_theme") or {}).items() if not count],
        "consultations": consultations.get("count", 0),
        "partner_responses": consultations.get("partner_responses", 0),
        "public_responses": consultations.get("public_responses", 0),
        "built_at": register.get("built_at", "")[:10],
    }
    return table, facts


def build(bundle: Bundle, registry: Registry, common: Common) -> GapsContext:
    register, facts = (None, None)
    if bundle.gap_register:
        register, facts = _register(bundle.gap_register, registry)
    return {"register": register, "register_facts": facts, "not_assessed": _not_assessed(bundle, registry)}


def _not_assessed(bundle: Bundle, registry: Registry) -> Table:
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
    if bundle.gap_register:
        done = {"Service mapping (current provision)", "Partner consultation"}
        gaps = [gap for gap in gaps if gap["title"] not in done]
    return registry.table(
        Table(
            caption="What has not yet been assessed, and how it will be",
            columns=["Not yet assessed", "What is missing", "How it will be assessed"],
            rows=[[gap["title"], gap["missing"], gap["how"]] for gap in gaps],
        ),
        "table-gaps",
    )
