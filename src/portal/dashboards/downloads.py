"""The CSV beside each table and chart of the public dashboard: the same figures as the page, unrounded, with
the same small-number rule ("fewer than 5" for a count of 1 to 4, "not shown" for what is worked out from it,
partner figures under 5 never shown), and the definition of each column, which the page shows beside the link.

Each CSV's rows are the toolkit's table cells (`tables.table_cells(..., raw=True)`, through
portal.insights.presentation), as the page's tables and the ward profiles' CSVs are, so the rule is applied in one
place; a CSV's columns are listed in the order of its CATALOGUE header, and `_rows` refuses columns whose headers
are not that header. Built once with the rest of the dashboard (RenderedDashboard.downloads, which only the CSV
view loads) from the stored assessment; the CSV view serves the stored rows through portal.core.spreadsheets
(formula-safe cells).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portal.insights.models import PublishedAssessment
from portal.insights.presentation import month_range, tables

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
                ("total", f"crimes of the year and category; {SMALL}"),
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
                ("ratio_to_area", "the assessed area's rate divided by this row's; 'not shown' where the rate is"),
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


def _rows(name: str, records, columns: list[tables.Column], **options) -> list[list]:
    """The CSV's rows: each record's cells under the small-number rule, unformatted (`table_cells`' options:
    `row_count`, the count a row's derived values come from; `partner`, partner data's rule)."""
    cells = tables.table_cells(records, columns, raw=True, **options)
    if cells.headers != CATALOGUE[name].header:
        raise ValueError(f"the columns of the {name} CSV are not its header: {cells.headers}")
    return cells.rows


def _area_rows(name: str, rows: list[dict], key: str, with_ward: bool) -> list[list]:
    return _rows(
        name,
        sorted(rows, key=lambda row: (row.get("rank") is None, row.get("rank") or 0)),
        [
            tables.text("code", f"{key}_code"),
            tables.text("name", f"{key}_name"),
            *([tables.text("ward", lambda row: row.get("ward_name", ""))] if with_ward else []),
            tables.count("count"),
            *(tables.derived(header, header) for header in ("rate_per_1000", "rate_lower", "rate_upper")),
            tables.derived("rank", "rank"),
        ],
    )


def build(assessment: PublishedAssessment) -> dict:
    """{name: {"rows": [...]}} for every CSV of CATALOGUE (the header and definitions are CATALOGUE's)."""
    summary, stored = assessment.summary, assessment.tables
    profile = f"profile:{summary['profile']['name']}"
    monthly: dict[str, int] = {}
    for row in stored.get("monthly") or []:
        if row.get("category") == profile:
            monthly[row["month"]] = monthly.get(row["month"], 0) + int(row["count"])
    missing = set(summary.get("missing_months") or [])
    period = summary["period"]
    lsoa = stored.get("lsoa") or []
    names = {row["lsoa21_code"]: row for row in lsoa}
    concentration = summary.get("concentration") or {}
    rows: dict[str, list[list]] = {
        # The public monthly chart's data: every month's count as it is, empty for a month not in the data.
        "monthly": _rows(
            "monthly",
            [
                {"month": month, "count": None if month in missing else monthly.get(month, 0)}
                for month in month_range(period["from"], period["to"])
            ],
            [tables.text("month", "month"), tables.text("count", "count")],
        ),
        # The whole area's yearly counts: never a breakdown, so not under the rule.
        "yearly": _rows(
            "yearly",
            summary.get("volume") or [],
            [
                tables.text("year", "year"),
                tables.text("months", "months"),
                tables.text("count", "count"),
                *(
                    tables.text(header, lambda entry, key=key: (entry.get("rate_per_1000") or {}).get(key))
                    for header, key in (("rate_per_1000", "rate"), ("rate_lower", "lower"), ("rate_upper", "upper"))
                ),
            ],
        ),
        "outcomes": _rows(
            "outcomes",
            sorted(stored.get("outcomes") or [], key=lambda row: (row["year"], row["category"], row["outcome_group"])),
            [
                *(tables.text(header, header) for header in ("year", "category", "outcome_group")),
                tables.count("count"),
                tables.count("total", "total"),  # the year and category's crimes: a count, as on the page
                tables.derived("share", "share"),
            ],
        ),
        "neighbourhoods": _area_rows("neighbourhoods", lsoa, "lsoa21", with_ward=True),
        "wards": _area_rows("wards", stored.get("ward") or [], "ward", with_ward=False),
        "hot_spots_list": _rows(
            "hot_spots_list",
            sorted(
                (row for row in lsoa if row.get("hotspot") in ("hot spot", "cold spot")),
                key=lambda row: (row.get("hotspot") != "hot spot", row.get("rank") or 0),
            ),
            [
                tables.text("code", "lsoa21_code"),
                tables.text("name", "lsoa21_name"),
                tables.text("ward", lambda row: row.get("ward_name", "")),
                tables.text("class", "hotspot"),
                tables.text("confidence", "hotspot_confidence"),
                tables.count("count"),
                tables.derived("rate_per_1000", "rate_per_1000"),
                *(tables.text(key, lambda row, key=key: row.get(key) or "") for key in ("persistence", "years_hot")),
            ],
        ),
        "hot_spots_by_year": _rows(
            "hot_spots_by_year",
            [
                {**values, "year": year}
                for year, values in sorted(((summary.get("where") or {}).get("years") or {}).items())
            ],
            [tables.text(header, header) for header in ("year", "months", "hot_spots")],
        ),
        "locations": _rows(
            "locations",
            stored.get("locations") or [],
            [
                tables.text("location", lambda row: row.get("location", "")),
                tables.text(
                    "lsoa",
                    lambda row: names.get(row.get("lsoa21_code"), {}).get("lsoa21_name", row.get("lsoa21_code", "")),
                ),
                tables.text("ward", lambda row: names.get(row.get("lsoa21_code"), {}).get("ward_name", "")),
                tables.count("count"),
                tables.count("all_crime", "all_crime"),
            ],
        ),
        "concentration": _rows(
            "concentration",
            [
                {**group, "unit": label}
                for key, label in (("lsoa", "neighbourhoods"), ("snap_points", "police.uk locations"))
                for group in (concentration.get(key) or {}).get("groups") or []
            ],
            [
                *(tables.text(header, header) for header in ("unit", "share_of_units", "units")),
                tables.text("share_of_crimes", "share_of_incidents"),
            ],
        ),
        "comparison": _rows(
            "comparison",
            sorted(stored.get("comparison") or [], key=lambda row: (row.get("level") != "csp", row.get("rank") or 0)),
            [
                *(tables.text(header, header) for header in ("code", "name", "level")),
                tables.count("count"),
                tables.text("months", "months"),
                *(
                    tables.derived(header, key)
                    for header, key in (("rate_per_1000", "rate"), ("rate_lower", "lower"), ("rate_upper", "upper"))
                ),
                tables.text("rank", "rank"),
                # The area's rate is public, so a ratio to a hidden rate would give it away: hidden as on the page.
                *(
                    tables.derived(header, key)
                    for header, key in (
                        ("ratio_to_area", "focus_ratio"),
                        ("ratio_lower", "focus_ratio_lower"),
                        ("ratio_upper", "focus_ratio_upper"),
                    )
                ),
            ],
        ),
        "priority_places": _rows(
            "priority_places",
            (summary.get("priority_places") or {}).get("places") or [],
            [
                tables.text("code", "code"),
                tables.text("name", lambda place: place.get("lsoa21_name", "")),
                tables.text("ward", lambda place: place.get("ward_name", "")),
                tables.count("count"),
                tables.text("expected", "expected"),
                *(tables.derived(header, header) for header in ("excess_ratio", "excess_lower", "excess_upper")),
                tables.text("p_fdr", "p_fdr"),
                tables.text("in_hot_spot", lambda place: bool(place.get("in_hot_spot"))),
            ],
        ),
    }
    rows.update(_national_rows(summary.get("national") or {}))
    rows.update(_staff_rows(summary))
    return {name: {"rows": found} for name, found in rows.items()}


def _national_rows(national: dict) -> dict[str, list[list]]:
    if not national.get("available"):
        records, peers = [], []
    else:
        area, england, similar = national["area"], national["england_and_wales"], national["most_similar"]
        # One row an area: its rate (with the count it is worked out from) and, but for the area itself, the
        # ratio of the area's rate to it.
        records = [
            {"area": area["name"], "rate": area["rate"], "ratio": None},
            {"area": "Rest of England and Wales", "rate": england["rest_rate"], "ratio": england["ratio_to_rest"]},
            {
                "area": "The most similar partnerships",
                "rate": similar["group_rate"],
                "ratio": similar["ratio_to_group"],
            },
        ]
        peers = [peer for peer in similar["partnerships"] if peer["code"] != area["code"]]

    def rate_count(row: dict):
        return row["rate"].get("count")

    return {
        "national": _rows(
            "national",
            records,
            [
                tables.text("area", "area"),
                tables.count("count", rate_count),
                *(
                    tables.derived(header, lambda row, key=key: row["rate"].get(key))
                    for header, key in (("rate_per_1000", "rate"), ("rate_lower", "lower"), ("rate_upper", "upper"))
                ),
                *(
                    tables.text(header, lambda row, key=key: (row["ratio"] or {}).get(key))
                    for header, key in (("ratio", "ratio"), ("ratio_lower", "lower"), ("ratio_upper", "upper"))
                ),
                tables.text("significant", lambda row: bool(row["ratio"].get("significant")) if row["ratio"] else None),
            ],
            row_count=rate_count,
        ),
        "similar_partnerships": _rows(
            "similar_partnerships",
            peers,
            [
                tables.text("rank", "rank"),
                tables.text("code", "code"),
                tables.text("name", "csp_name"),
                tables.text("force", "pfa_name"),
                tables.count("count"),
                tables.derived("rate_per_1000", "rate_per_1000"),
            ],
        ),
    }


def _staff_rows(summary: dict) -> dict[str, list[list]]:
    forecast, backtest = summary.get("forecast") or {}, summary.get("backtest") or {}
    deprivation, cost, sources = (
        summary.get("deprivation") or {},
        summary.get("cost") or {},
        summary.get("sources") or {},
    )
    interval = [tables.text(header, header) for header in ("lower", "upper")]
    # Estimated from partner data (Home Office recorded crime): under 5, zero included, is never shown.
    partner_range = [tables.count(header, header) for header in ("central", "low", "high")]
    return {
        "forecast": _rows(
            "forecast",
            forecast.get("months") or [],
            [tables.text("month", "month"), tables.text("mean", "mean"), *interval],
        ),
        "backtest": _rows(
            "backtest",
            backtest.get("rows") or [],
            [
                tables.text("month", "month"),
                tables.count("actual", "actual"),
                tables.text("predicted", "predicted"),
                *interval,
                tables.text("inside", lambda row: bool(row.get("inside"))),
            ],
        ),
        "deprivation": _rows(
            "deprivation",
            [
                {**row, "edition": edition}
                for edition in ("imd2025", "imd2019")
                for row in (deprivation.get(edition) or {}).get("rate_by_decile") or []
            ],
            [
                *(tables.text(header, header) for header in ("edition", "imd_decile", "lsoas")),
                tables.count("count"),
                tables.text("population", "population"),
                *(
                    tables.derived(header, key)
                    for header, key in (
                        ("rate_per_1000", "rate_per_1000"),
                        ("rate_lower", "lower"),
                        ("rate_upper", "upper"),
                    )
                ),
            ],
        ),
        "deprivation_domains": _rows(
            "deprivation_domains",
            deprivation.get("imd2025_domain_correlations") or [],
            [
                tables.text("domain", lambda row: row["domain"].removesuffix("_score")),
                *(tables.text(header, header) for header in ("spearman_rho", "p_value")),
            ],
        ),
        "cost_split": _rows(
            "cost_split", cost.get("split") or [], [tables.text("component", "component"), *partner_range], partner=True
        ),
        "unit_costs": _rows(
            "unit_costs",
            cost.get("unit_costs") or [],
            [
                tables.text("offence_group", lambda row: row.get("offence_group", "")),
                tables.text("unit_cost_gbp", "unit_cost_gbp"),
                *(
                    tables.text(key, lambda row, key=key: row.get(key, ""))
                    for key in ("price_year", "status", "source")
                ),
            ],
        ),
        "recorded_crimes": _rows(
            "recorded_crimes",
            (cost.get("headline_check") or {}).get("counts") or [],
            [tables.text("offence_group", "offence_group"), *partner_range],
            partner=True,
        ),
        "police_files": _rows(
            "police_files",
            sources.get("police_uk") or [],
            [
                tables.text("month", lambda row: row.get("month", "")),
                tables.text("file", _file_name),
                tables.text("sha256", lambda row: row.get("source_sha256", "")),
                tables.text("loaded", lambda row: row.get("ingested_at", "")),
            ],
        ),
        "reference_files": _rows(
            "reference_files",
            sources.get("reference") or [],
            [
                tables.text("table", lambda row: row.get("table_name", "")),
                tables.text("file", _file_name),
                tables.count("rows", "rows_loaded"),
                tables.text("sha256", lambda row: row.get("source_sha256", "")),
            ],
        ),
    }


def _file_name(row: dict) -> str:
    """A source file's name, without the path it was loaded from (never public)."""
    return Path(row.get("source_file") or "").name
