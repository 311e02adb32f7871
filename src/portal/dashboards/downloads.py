"""The CSV beside each table and chart of the public dashboard: the same figures as the page, unrounded, with
the same small-number rule (portal.insights.presentation: "fewer than 5" for a count of 1 to 4, "not shown" for
what is worked out from it), and the definition of each column, which the page shows beside the link.

Built once with the rest of the dashboard (RenderedDashboard.downloads, which only the CSV view loads) from the
stored assessment, like the page's own tables; the CSV view serves the stored rows through
portal.core.spreadsheets (formula-safe cells).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portal.insights.models import PublishedAssessment
from portal.insights.presentation import SUPPRESSED, WITHHELD, is_suppressed, month_range

COUNT = "crimes in the definition (the police.uk categories the profile counts), in this row"
RATE = "crimes a year per 1,000 residents (mid-2020 population), over the months with data"
INTERVAL = "the 95% confidence interval of the rate (exact Poisson)"
SMALL = "counts of 1 to 4 are written 'fewer than 5', and figures worked out from them 'not shown'"


@dataclass(frozen=True)
class Download:
    """One CSV: where it sits (page), its title, and its columns with their definitions."""

    name: str
    page: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (column, definition)
    staff: bool = False  # beside a table of the staff page: only for those who may see it

    @property
    def header(self) -> list[str]:
        return [column for column, _ in self.columns]


PARTNER_SMALL = (
    "a figure estimated from partner data (Home Office recorded crime) under 5 is 'fewer than 5', zero included"
)
STAFF_DOWNLOADS = (
    Download(
        "forecast",
        "staff",
        "Forecast crimes in the definition each month",
        (
            ("month", "calendar month, YYYY-MM"),
            ("mean", "the forecast count"),
            ("lower", "95% prediction interval, lower end"),
            ("upper", "95% prediction interval, upper end"),
        ),
        staff=True,
    ),
    Download(
        "backtest",
        "staff",
        "The forecast's test on the last 6 months of data",
        (
            ("month", "calendar month, YYYY-MM"),
            ("actual", f"crimes counted; {SMALL}"),
            ("predicted", "the model's forecast, fitted without these months"),
            ("lower", "95% prediction interval, lower end"),
            ("upper", "95% prediction interval, upper end"),
            ("inside", "whether the actual count fell inside the interval"),
        ),
        staff=True,
    ),
    Download(
        "deprivation",
        "staff",
        "Rate by deprivation decile (IMD 2025 and 2019)",
        (
            ("edition", "the Index of Multiple Deprivation used (2025 on LSOA 2021; 2019 carried to LSOA 2021)"),
            ("imd_decile", "1 = the most deprived tenth of neighbourhoods in England"),
            ("lsoas", "neighbourhoods of the area in the decile"),
            ("count", f"{COUNT}; {SMALL}"),
            ("population", "residents (mid-2020)"),
            ("rate_per_1000", RATE),
            ("rate_lower", INTERVAL + ", lower end"),
            ("rate_upper", INTERVAL + ", upper end"),
        ),
        staff=True,
    ),
    Download(
        "deprivation_domains",
        "staff",
        "Correlation of neighbourhood counts with the IMD 2025 domains",
        (
            ("domain", "the IMD 2025 domain score"),
            ("spearman_rho", "Spearman's rank correlation with the neighbourhoods' counts (-1 to 1)"),
            ("p_value", "its p-value"),
        ),
        staff=True,
    ),
    Download(
        "cost_split",
        "staff",
        "Crimes a year by offence group, estimated from the force's recorded crime mix",
        (
            ("component", "offence group"),
            ("central", f"estimated crimes a year, central; {PARTNER_SMALL}"),
            ("low", f"low end of the range; {PARTNER_SMALL}"),
            ("high", f"high end of the range; {PARTNER_SMALL}"),
        ),
        staff=True,
    ),
    Download(
        "unit_costs",
        "staff",
        "Unit costs used",
        (
            ("offence_group", "offence group"),
            ("unit_cost_gbp", "cost of one crime, pounds, in the price year"),
            ("price_year", "the prices' year"),
            ("status", "verified against its source, or not"),
            ("source", "where the unit cost comes from"),
        ),
        staff=True,
    ),
    Download(
        "recorded_crimes",
        "staff",
        "Recorded crimes used to check the published cost",
        (
            ("offence_group", "offence group"),
            ("central", f"recorded crimes, central; {PARTNER_SMALL}"),
            ("low", f"low end; {PARTNER_SMALL}"),
            ("high", f"high end; {PARTNER_SMALL}"),
        ),
        staff=True,
    ),
    Download(
        "police_files",
        "staff",
        "police.uk files used",
        (
            ("month", "the month the file holds, YYYY-MM"),
            ("file", "the file's name"),
            ("sha256", "the file's SHA-256 checksum"),
            ("loaded", "when it was loaded into the warehouse"),
        ),
        staff=True,
    ),
    Download(
        "reference_files",
        "staff",
        "Reference files used",
        (
            ("table", "the warehouse table it was loaded into"),
            ("file", "the file's name"),
            ("rows", f"rows loaded; {SMALL}"),
            ("sha256", "the file's SHA-256 checksum"),
        ),
        staff=True,
    ),
)

CATALOGUE: dict[str, Download] = {
    download.name: download
    for download in (
        Download(
            "monthly",
            "overview",
            "Crimes counted each month",
            (("month", "calendar month, YYYY-MM"), ("count", f"{COUNT}; empty for a month not in the loaded data")),
        ),
        Download(
            "yearly",
            "overview",
            "Crimes counted and rates by calendar year",
            (
                ("year", "calendar year"),
                ("months", "months of the year with police.uk data (fewer than 12: a part year)"),
                ("count", COUNT),
                ("rate_per_1000", RATE),
                ("rate_lower", INTERVAL + ", lower end"),
                ("rate_upper", INTERVAL + ", upper end"),
            ),
        ),
        Download(
            "outcomes",
            "overview",
            "Last outcome of each crime, by year and category (as at download)",
            (
                ("year", "calendar year the crime was recorded"),
                ("category", "police.uk category"),
                ("outcome_group", "the last outcome police.uk held at download, grouped"),
                ("count", f"crimes with this outcome; {SMALL}"),
                ("total", "crimes of the year and category"),
                ("share", "count divided by total (0 to 1)"),
            ),
        ),
        Download(
            "priority_places",
            "overview",
            "Places named as priorities: high on their own",
            (
                ("code", "LSOA 2021 code"),
                ("name", "neighbourhood"),
                ("ward", "ward"),
                ("count", f"{COUNT}; {SMALL}"),
                ("expected", "the count its residents would give at the whole area's rate"),
                ("excess_ratio", "count divided by expected"),
                ("excess_lower", "95% confidence interval of the ratio (negative binomial test inverted), lower end"),
                ("excess_upper", "95% confidence interval of the ratio, upper end"),
                ("p_fdr", "p-value of the excess, adjusted for testing every neighbourhood (false discovery rate)"),
                ("in_hot_spot", "whether it is also in a Getis-Ord Gi* hot spot"),
            ),
        ),
        *(
            Download(
                level,
                level,
                f"{label}: crimes, rates and ranks",
                (
                    ("code", "ONS code"),
                    ("name", "name"),
                    *((("ward", "the ward the neighbourhood is in"),) if level == "neighbourhoods" else ()),
                    ("count", f"{COUNT}; {SMALL}"),
                    ("rate_per_1000", RATE),
                    ("rate_lower", INTERVAL + ", lower end"),
                    ("rate_upper", INTERVAL + ", upper end"),
                    ("rank", rank),
                ),
            )
            for level, label, rank in (
                ("neighbourhoods", "Neighbourhoods (LSOA 2021)", "rank by number of crimes (1: the most)"),
                ("wards", "Wards (best fit of LSOAs)", "rank by rate (1: the highest)"),
            )
        ),
        Download(
            "hot_spots_list",
            "hot_spots",
            "Hot and cold spots (Getis-Ord Gi*)",
            (
                ("code", "LSOA 2021 code"),
                ("name", "neighbourhood"),
                ("ward", "ward"),
                ("class", "hot spot or cold spot (5% false discovery rate)"),
                ("confidence", "confidence of the class, per cent"),
                ("count", f"{COUNT}; {SMALL}"),
                ("rate_per_1000", RATE),
                ("persistence", "how the class held over the years"),
                ("years_hot", "the years it was a hot spot"),
            ),
        ),
        Download(
            "hot_spots_by_year",
            "hot_spots",
            "Hot spots each year",
            (("year", "calendar year"), ("months", "months with data"), ("hot_spots", "hot spots that year")),
        ),
        Download(
            "locations",
            "hot_spots",
            "police.uk locations with the most crimes (the 200 of the assessment; the page lists the first 10)",
            (
                ("location", "the police.uk snap point (an anonymised nearby place, not an address)"),
                ("lsoa", "neighbourhood"),
                ("ward", "ward"),
                ("count", f"{COUNT}; {SMALL}"),
                ("all_crime", f"every police.uk crime at the location; {SMALL}"),
            ),
        ),
        Download(
            "concentration",
            "hot_spots",
            "Share of crimes in the places with the most",
            (
                ("unit", "neighbourhoods (LSOAs) or police.uk locations"),
                ("share_of_units", "the top share of places, by crimes (0 to 1)"),
                ("units", "how many places that is"),
                ("share_of_crimes", "their share of the crimes (0 to 1)"),
            ),
        ),
        Download(
            "comparison",
            "comparison",
            "Rates of the partnerships of the force",
            (
                ("code", "ONS code"),
                ("name", "community safety partnership, or the force area as a whole"),
                ("level", "csp (partnership) or pfa (police force area)"),
                ("count", f"{COUNT}; {SMALL}"),
                ("months", "months with data"),
                ("rate_per_1000", RATE),
                ("rate_lower", INTERVAL + ", lower end"),
                ("rate_upper", INTERVAL + ", upper end"),
                ("rank", "rank by rate among the partnerships (1: the highest)"),
                ("ratio_to_area", "the assessed area's rate divided by this row's"),
                ("ratio_lower", "95% confidence interval of the ratio, lower end"),
                ("ratio_upper", "95% confidence interval of the ratio, upper end"),
            ),
        ),
        Download(
            "national",
            "comparison",
            "The area against England and Wales and its most similar partnerships (same months)",
            (
                ("area", "the assessed area, the rest of England and Wales, or the most similar partnerships together"),
                ("count", f"{COUNT}; {SMALL}"),
                ("rate_per_1000", RATE),
                ("rate_lower", INTERVAL + ", lower end"),
                ("rate_upper", INTERVAL + ", upper end"),
                ("ratio", "the assessed area's rate divided by this row's (empty for the area itself)"),
                ("ratio_lower", "95% confidence interval of the ratio, lower end"),
                ("ratio_upper", "95% confidence interval of the ratio, upper end"),
                ("significant", "whether the interval of the ratio excludes 1"),
            ),
        ),
        Download(
            "similar_partnerships",
            "comparison",
            "The most similar partnerships",
            (
                ("rank", "1: the most similar (deprivation, density and age structure)"),
                ("code", "ONS code of the partnership"),
                ("name", "community safety partnership"),
                ("force", "police force area"),
                ("count", f"{COUNT}; {SMALL}"),
                ("rate_per_1000", RATE),
            ),
        ),
        *STAFF_DOWNLOADS,
    )
}


def _count(value) -> int | str | None:
    return SUPPRESSED if is_suppressed(value) else value


def _derived(count, value):
    """A figure worked out from a count: withheld when the count is."""
    return WITHHELD if is_suppressed(count) else value


def _area_rows(rows: list[dict], key: str, with_ward: bool) -> list[list]:
    found = []
    for row in sorted(rows, key=lambda row: (row.get("rank") is None, row.get("rank") or 0)):
        count = row.get("count")
        found.append(
            [
                row[f"{key}_code"],
                row[f"{key}_name"],
                *([row.get("ward_name", "")] if with_ward else []),
                _count(count),
                _derived(count, row.get("rate_per_1000")),
                _derived(count, row.get("rate_lower")),
                _derived(count, row.get("rate_upper")),
                _derived(count, row.get("rank")),
            ]
        )
    return found


def build(assessment: PublishedAssessment) -> dict:
    """{name: {"rows": [...]}} for every CSV of CATALOGUE (the header and definitions are CATALOGUE's)."""
    summary, tables = assessment.summary, assessment.tables
    profile = f"profile:{summary['profile']['name']}"
    monthly: dict[str, int] = {}
    for row in tables.get("monthly") or []:
        if row.get("category") == profile:
            monthly[row["month"]] = monthly.get(row["month"], 0) + int(row["count"])
    missing = set(summary.get("missing_months") or [])
    period = summary["period"]
    rows: dict[str, list[list]] = {
        "monthly": [
            [month, None if month in missing else monthly.get(month, 0)]
            for month in month_range(period["from"], period["to"])
        ],
        "yearly": [
            [
                entry["year"],
                entry["months"],
                entry["count"],
                *((entry.get("rate_per_1000") or {}).get(key) for key in ("rate", "lower", "upper")),
            ]
            for entry in summary.get("volume") or []
        ],
        "outcomes": [
            [
                row["year"],
                row["category"],
                row["outcome_group"],
                _count(row.get("count")),
                row.get("total"),
                _derived(row.get("count"), row.get("share")),
            ]
            for row in sorted(
                tables.get("outcomes") or [], key=lambda row: (row["year"], row["category"], row["outcome_group"])
            )
        ],
        "neighbourhoods": _area_rows(tables.get("lsoa") or [], "lsoa21", with_ward=True),
        "wards": _area_rows(tables.get("ward") or [], "ward", with_ward=False),
    }
    lsoa = tables.get("lsoa") or []
    spots = sorted(
        (row for row in lsoa if row.get("hotspot") in ("hot spot", "cold spot")),
        key=lambda row: (row.get("hotspot") != "hot spot", row.get("rank") or 0),
    )
    rows["hot_spots_list"] = [
        [
            row["lsoa21_code"],
            row["lsoa21_name"],
            row.get("ward_name", ""),
            row["hotspot"],
            row.get("hotspot_confidence"),
            _count(row.get("count")),
            _derived(row.get("count"), row.get("rate_per_1000")),
            row.get("persistence") or "",
            row.get("years_hot") or "",
        ]
        for row in spots
    ]
    where = summary.get("where") or {}
    rows["hot_spots_by_year"] = [
        [year, values.get("months"), values.get("hot_spots")]
        for year, values in sorted((where.get("years") or {}).items())
    ]
    names = {row["lsoa21_code"]: row for row in lsoa}
    rows["locations"] = [
        [
            row.get("location", ""),
            names.get(row.get("lsoa21_code"), {}).get("lsoa21_name", row.get("lsoa21_code", "")),
            names.get(row.get("lsoa21_code"), {}).get("ward_name", ""),
            _count(row.get("count")),
            _count(row.get("all_crime")),
        ]
        for row in tables.get("locations") or []
    ]
    concentration = summary.get("concentration") or {}
    rows["concentration"] = [
        [label, group.get("share_of_units"), group.get("units"), group.get("share_of_incidents")]
        for key, label in (("lsoa", "neighbourhoods"), ("snap_points", "police.uk locations"))
        for group in (concentration.get(key) or {}).get("groups") or []
    ]
    rows["comparison"] = [
        [
            row.get("code"),
            row.get("name"),
            row.get("level"),
            _count(row.get("count")),
            row.get("months"),
            *(_derived(row.get("count"), row.get(key)) for key in ("rate", "lower", "upper")),
            row.get("rank"),
            *(row.get(key) for key in ("focus_ratio", "focus_ratio_lower", "focus_ratio_upper")),
        ]
        for row in sorted(
            assessment.tables.get("comparison") or [], key=lambda row: (row.get("level") != "csp", row.get("rank") or 0)
        )
    ]
    rows["priority_places"] = [
        [
            place["code"],
            place.get("lsoa21_name", ""),
            place.get("ward_name", ""),
            _count(place.get("count")),
            place.get("expected"),
            *(_derived(place.get("count"), place.get(key)) for key in ("excess_ratio", "excess_lower", "excess_upper")),
            place.get("p_fdr"),
            bool(place.get("in_hot_spot")),
        ]
        for place in (summary.get("priority_places") or {}).get("places") or []
    ]
    rows.update(_national_rows(summary.get("national") or {}))
    rows.update(_staff_rows(summary))
    return {name: {"rows": found} for name, found in rows.items()}


def _national_rows(national: dict) -> dict[str, list[list]]:
    if not national.get("available"):
        return {"national": [], "similar_partnerships": []}
    area, england, similar = national["area"], national["england_and_wales"], national["most_similar"]

    def row(name: str, rate: dict, ratio: dict | None) -> list:
        return [
            name,
            _count(rate.get("count")),
            *(_derived(rate.get("count"), rate.get(key)) for key in ("rate", "lower", "upper")),
            *((ratio.get(key) for key in ("ratio", "lower", "upper")) if ratio else (None, None, None)),
            bool(ratio.get("significant")) if ratio else None,
        ]

    peers = [peer for peer in similar["partnerships"] if peer["code"] != area["code"]]
    return {
        "national": [
            row(area["name"], area["rate"], None),
            row("Rest of England and Wales", england["rest_rate"], england["ratio_to_rest"]),
            row("The most similar partnerships", similar["group_rate"], similar["ratio_to_group"]),
        ],
        "similar_partnerships": [
            [
                peer["rank"],
                peer["code"],
                peer["csp_name"],
                peer["pfa_name"],
                _count(peer.get("count")),
                _derived(peer.get("count"), peer.get("rate_per_1000")),
            ]
            for peer in peers
        ],
    }


def _partner(value) -> int | float | str | None:
    """A figure estimated from partner data: under 5 (zero included) is never shown."""
    return SUPPRESSED if value is not None and is_suppressed(value, partner=True) else value


def _staff_rows(summary: dict) -> dict[str, list[list]]:
    forecast, backtest = summary.get("forecast") or {}, summary.get("backtest") or {}
    deprivation, cost, sources = (
        summary.get("deprivation") or {},
        summary.get("cost") or {},
        summary.get("sources") or {},
    )
    return {
        "forecast": [
            [row["month"], row.get("mean"), row.get("lower"), row.get("upper")] for row in forecast.get("months") or []
        ],
        "backtest": [
            [
                row["month"],
                _count(row.get("actual")),
                row.get("predicted"),
                row.get("lower"),
                row.get("upper"),
                bool(row.get("inside")),
            ]
            for row in backtest.get("rows") or []
        ],
        "deprivation": [
            [
                edition,
                row["imd_decile"],
                row.get("lsoas"),
                _count(row.get("count")),
                row.get("population"),
                *(_derived(row.get("count"), row.get(key)) for key in ("rate_per_1000", "lower", "upper")),
            ]
            for edition in ("imd2025", "imd2019")
            for row in (deprivation.get(edition) or {}).get("rate_by_decile") or []
        ],
        "deprivation_domains": [
            [row["domain"].removesuffix("_score"), row.get("spearman_rho"), row.get("p_value")]
            for row in deprivation.get("imd2025_domain_correlations") or []
        ],
        "cost_split": [
            [row["component"], *(_partner(row.get(key)) for key in ("central", "low", "high"))]
            for row in cost.get("split") or []
        ],
        "unit_costs": [
            [
                row.get("offence_group", ""),
                row.get("unit_cost_gbp"),
                row.get("price_year", ""),
                row.get("status", ""),
                row.get("source", ""),
            ]
            for row in cost.get("unit_costs") or []
        ],
        "recorded_crimes": [
            [row["offence_group"], *(_partner(row.get(key)) for key in ("central", "low", "high"))]
            for row in (cost.get("headline_check") or {}).get("counts") or []
        ],
        "police_files": [
            [
                row.get("month", ""),
                Path(row.get("source_file") or "").name,
                row.get("source_sha256", ""),
                row.get("ingested_at", ""),
            ]
            for row in sources.get("police_uk") or []
        ],
        "reference_files": [
            [
                row.get("table_name", ""),
                Path(row.get("source_file") or "").name,
                _count(row.get("rows_loaded")),
                row.get("source_sha256", ""),
            ]
            for row in sources.get("reference") or []
        ],
    }
