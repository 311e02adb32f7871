"""Section 3, data sources, licences and caveats (templates/sections/sources.html.j2)."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation.formatting import (
    humanise,
    join_words,
    long_date,
    missing_months_text,
    month_name,
    plural,
    thousands,
)
from vru.presentation.suppression import METHOD_NOTE
from vru.report.model import Table
from vru.report.sections.common import Common, Registry, strip_doc_refs

SOURCE_TABLES = {
    "ref_boundary": "Boundaries of LSOAs, wards, local authorities and the force (ONS Open Geography)",
    "ref_imd": "English Indices of Deprivation 2019 and 2025 (MHCLG)",
    "ref_lad_csp_pfa": "Local authority to partnership and force lookup (ONS)",
    "ref_lsoa11_lsoa21": "LSOA 2011 to LSOA 2021 lookup (ONS)",
    "ref_lsoa21_area": "LSOA 2021 to ward and local authority lookup (ONS)",
    "ref_population_age": "Mid-2020 population by single year of age, apportioned to LSOA 2021 (ONS)",
}


class SourcesContext(TypedDict):
    """What templates/sections/sources.html.j2 prints as `sources`."""

    police_files: int
    police_first: str
    police_last: str
    reference_tables: Table
    caveats: list


def build(bundle: Bundle, registry: Registry, common: Common) -> SourcesContext:
    summary = bundle.summary
    police = summary["sources"].get("police_uk") or []
    months = sorted(row["month"] for row in police)
    loaded = sorted(row["ingested_at"] for row in police if row.get("ingested_at"))
    reference = summary["sources"].get("reference") or []
    tables = []
    for table_name in sorted({row["table_name"] for row in reference}):
        files = [row for row in reference if row["table_name"] == table_name]
        tables.append(
            [
                SOURCE_TABLES.get(table_name, humanise(table_name)),
                join_words(sorted({Path(row["source_file"]).name for row in files})),
            ]
        )
    area_level = summary["area"]["level"]
    if area_level == "pfa":
        no_location = (
            "Rows that police.uk publishes without a location are counted in the force's totals but cannot be "
            "placed in any neighbourhood, ward or map."
        )
    else:
        no_location = (
            "Rows that police.uk publishes without a location have no neighbourhood (LSOA), so they cannot be "
            f"placed in {summary['area']['name']} and are not counted here; the force's totals include them."
        )
    partial = [row["year"] for row in summary["volume"] if row["partial_year"]]
    caveats = [
        (
            "Approximate locations",
            "police.uk moves each crime to the nearest of a set of anonymous map points (the centre of a street, a "
            "public place or premises) so that no victim can be identified. Locations are approximate, crimes pile "
            "up on some points, and a crime near a boundary can be counted in the neighbouring area.",
        ),
        (
            "Month only",
            "police.uk gives the month of each crime, not the day or time: the report cannot show days of the week, "
            "times of day or the night-time economy's hours.",
        ),
        (
            "What police.uk cannot separate",
            f"The definition profile lists {plural(len(summary['profile'].get('cannot_separate') or []), 'thing')} "
            "police.uk cannot separate (section 2): injury, weapons, victims' ages and domestic abuse among them.",
        ),
        (
            "Missing months",
            (
                f"{missing_months_text(summary['missing_months'], summary.get('missing_months_checked'))}: "
                f"{plural(len(summary['missing_months']), 'month')} "
                f"of the {thousands(summary['period']['months_expected'])} in the period. "
                "They are left out, never filled "
                f"with estimates; the figures for {join_words(partial)} are for part-years."
            )
            if summary["missing_months"]
            else "police.uk holds data for every month of the period "
            f"({thousands(summary['period']['months_present'])}).",
        ),
        (
            "Outcomes as at download",
            strip_doc_refs(summary["outcomes"].get("caveat") or "")
            + (
                (
                    f" The files used were loaded on {long_date(loaded[0])}."
                    if long_date(loaded[0]) == long_date(loaded[-1])
                    else f" The files used were loaded between {long_date(loaded[0])} and {long_date(loaded[-1])}."
                )
                if loaded
                else ""
            ),
        ),
        ("Rows without a location", no_location),
        (
            "Deprivation on two LSOA editions",
            " ".join(
                strip_doc_refs(summary["deprivation"][edition].get("note") or "") + "."
                for edition in ("imd2019", "imd2025")
                if summary["deprivation"].get(edition)
            ),
        ),
        (
            "Population",
            f"Rates use the mid-{summary['population']['year']} population: "
            f"{strip_doc_refs(summary['population']['source'])}. "
            "Rates for later years assume the population has not changed since.",
        ),
        ("Places, not people", strip_doc_refs(summary["deprivation"].get("caveat") or "")),
        ("Small numbers", METHOD_NOTE),
    ]
    return {
        "police_files": len(police),
        "police_first": month_name(months[0]) if months else "not available",
        "police_last": month_name(months[-1]) if months else "not available",
        "reference_tables": Table(
            caption="Reference data used",
            columns=["Data", "Files"],
            rows=tables,
        ),
        "caveats": caveats,
    }
