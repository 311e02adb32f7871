"""Appendices A to D: methods, references, the LSOA table and the source files
(templates/sections/appendices.html.j2)."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation import tables as columns
from vru.presentation.formatting import (
    humanise,
    interval,
    join_words,
    long_date,
    month_name,
    number,
    percent,
    thousands,
)
from vru.presentation.suppression import METHOD_NOTE
from vru.report.model import Table
from vru.report.sections.common import Common, Registry

REFERENCES = [
    "Anselin, L. (1995). Local indicators of spatial association \u2014 LISA. Geographical "
    "Analysis 27(2), 93\u2013115.",
    "Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful approach "
    "to multiple testing. Journal of the Royal Statistical Society B 57(1), 289\u2013300.",
    "Garwood, F. (1936). Fiducial limits for the Poisson distribution. Biometrika 28(3/4), 437\u2013442.",
    "Getis, A. and Ord, J. K. (1992). The analysis of spatial association by use of distance statistics. "
    "Geographical Analysis 24(3), 189\u2013206.",
    "Heeks, M., Reed, S., Tafsiri, M. and Prince, S. (2018). The economic and social costs of crime, second "
    "edition. Home Office Research Report 99.",
    "Home Office and Public Health England (May 2021). Serious Violence Duty: strategic needs assessment guidance "
    "(preparing a strategic needs assessment for serious violence).",
    "Home Office (December 2022, updated June 2023). Serious Violence Duty: statutory guidance.",
    "NHS Digital. ISB1594: Information Sharing to Tackle Violence minimum data set.",
    "Ord, J. K. and Getis, A. (1995). Local spatial autocorrelation statistics: distributional issues and an "
    "application. Geographical Analysis 27(4), 286\u2013306.",
    "police.uk. About the data: anonymisation of crime locations (snap points) and outcomes, data.police.uk/about.",
    "Ulm, K. (1990). A simple method to calculate the confidence interval of a standardized mortality ratio. "
    "American Journal of Epidemiology 131(2), 373\u2013375.",
]


PDF_LSOA_ROWS = 150


class MethodsContext(TypedDict):
    """What templates/sections/appendices.html.j2 prints as `methods`."""

    rates: str
    trend: str
    latest: str
    forecast: str
    hotspots: str
    persistence: str
    concentration: str
    deprivation: str
    cost: str
    suppression: str


def methods(bundle: Bundle, registry: Registry, common: Common) -> MethodsContext:
    summary = bundle.summary
    trend = summary["trend"]
    where = summary["where"]
    method = where.get("method") or {}
    quintile = (summary["deprivation"].get("imd2025") or {}).get("quintile_ratio") or {}
    cost = summary.get("cost") or {}
    return {
        "rates": f"Rates are crimes per {common.per_text} residents a year, annualised over the months with data, "
        f"with exact Poisson {common.ci}s (Garwood 1936).",
        "trend": f"A generalised linear model of the monthly counts ({humanise(trend.get('family'))}, "
        f"{trend.get('seasonal_method') or 'no seasonal terms'}; offset: {trend.get('offset') or 'none'}), fitted to "
        f"the {thousands(trend.get('months_used'))} months with data. {trend.get('overdispersion_rule') or ''}. "
        "The trend is called rising or falling only when its confidence interval excludes no change.",
        "latest": (summary["latest_12_months"].get("method") or "") + "; means per month with data.",
        "forecast": "The same model projected "
        f"{thousands((summary.get('forecast') or {}).get('horizon'))} months ahead with "
        f"{thousands((summary.get('forecast') or {}).get('n_simulations'))} simulations "
        "(parameter and count uncertainty); "
        "back-tested by refitting without the last months and checking how many actual months fell inside the "
        "prediction range.",
        "hotspots": f"{method.get('statistic', '')} ({method.get('weights', '')}); {method.get('p_values', '')}; "
        f"{thousands(method.get('permutations'))} permutations, seed {method.get('seed')}. Getis & Ord (1992), Ord & "
        "Getis (1995), Anselin (1995), Benjamini & Hochberg (1995). Hot spots use counts, not rates: neighbourhoods "
        "hold similar populations, and rates of the few with very small populations would swamp the statistic.",
        "persistence": "Each calendar year was tested on its own; a neighbourhood is persistent when hot in every "
        "year, emerging when hot in the latest year but not the first, diminishing when hot in the first but not "
        "the latest, intermittent otherwise. Part-years are included and flagged.",
        "concentration": "Shares of crimes held by the "
        + join_words(f"top {percent(g['share_of_units'])}" for g in summary["concentration"]["lsoa"]["groups"])
        + " of neighbourhoods and of police.uk map points, and the Gini coefficient of the Lorenz curve.",
        "deprivation": "Rates pooled by national IMD decile; most against least deprived fifth: "
        + (quintile.get("method") or "")
        + ".",
        "cost": (cost.get("area_estimate") or {}).get("method", "") if cost.get("available") else "No cost estimate.",
        "suppression": METHOD_NOTE,
    }


def lsoa_table(bundle: Bundle, registry: Registry, common: Common) -> Table:
    lsoa = common.lsoa.sort_values(["rank", "lsoa21_code"])
    return registry.table(
        Table.of(
            f"Every neighbourhood (LSOA 2021), by rate per {common.per_text} residents a year",
            [
                columns.text("Neighbourhood (ward)", lambda row: f"{row['label']}"),
                columns.text("LSOA code", lambda row: row["lsoa21_code"]),
                columns.text("Population", lambda row: thousands(row["population_total"]), numeric=True),
                columns.count("Crimes"),
                columns.derived(f"Rate per {common.per_text}", lambda row: number(row["rate_per_1000"])),
                columns.derived(common.ci, lambda row: interval(row["rate_lower"], row["rate_upper"])),
                columns.text("Rank", lambda row: thousands(row["rank"]), numeric=True),
                columns.text("IMD 2025 decile", lambda row: thousands(row.get("imd2025_decile")), numeric=True),
                columns.text(
                    "Gi* class",
                    lambda row: humanise(row["hotspot"]) if row["hotspot"] != "not significant" else "\u2013",
                ),
                columns.text("Persistence", lambda row: humanise(row["persistence"])),
            ],
            lsoa.to_dict("records"),
            notes=["Gi* class \u201c\u2013\u201d: not a significant hot or cold spot."],
            print_rows=PDF_LSOA_ROWS,
            compact=True,
        ),
        "table-lsoa",
    )


class FilesContext(TypedDict):
    """What templates/sections/appendices.html.j2 prints as `files`."""

    police: Table
    reference: Table


def files(bundle: Bundle, registry: Registry, common: Common) -> FilesContext:
    summary = bundle.summary
    police = summary["sources"].get("police_uk") or []
    reference = summary["sources"].get("reference") or []
    return {
        "police": registry.table(
            Table(
                caption="police.uk files used (SHA-256: first 16 characters; the full digests are in summary.json)",
                columns=["Month", "File", "SHA-256", "Loaded"],
                rows=[
                    [
                        month_name(row["month"]),
                        Path(row["source_file"]).name,
                        (row.get("source_sha256") or "")[:16],
                        long_date(row.get("ingested_at")),
                    ]
                    for row in police
                ],
                compact=True,
            ),
            "table-police-files",
        ),
        "reference": registry.table(
            Table(
                caption="Reference files used",
                columns=["Warehouse table", "File", "Rows loaded", "SHA-256"],
                rows=[
                    [
                        row["table_name"],
                        Path(row["source_file"]).name,
                        thousands(row.get("rows_loaded")),
                        (row.get("source_sha256") or "")[:16],
                    ]
                    for row in reference
                ],
                numeric=[False, False, True, False],
                compact=True,
            ),
            "table-reference-files",
        ),
    }
