"""Ward and neighbourhood profiles for analysts, from the tables of the approved needs assessment.

Pure functions over the stored rows (the bundle's `ward`, `ward_category` and `lsoa` tables and its `findings`,
as documented in docs/bundle.md): they pick, order and format what the toolkit computed and never compute a
statistic again, except adding a ward's neighbourhoods' yearly counts (the ward is the best fit of its
neighbourhoods, so its count is their sum) and a ward's category counts over the years. Formatting and the
small-number rule are the presentation layer's (portal.insights.presentation), as in the report and the
dashboard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from portal.insights.presentation import SUPPRESSED, WITHHELD, interval, is_suppressed, number, suppress, withhold

WARD, NEIGHBOURHOOD = "ward", "neighbourhood"
YEAR_COLUMN = re.compile(r"^count_(\d{4})$")


@dataclass(frozen=True)
class Place:
    level: str
    code: str
    name: str
    ward_code: str = ""
    ward_name: str = ""


@dataclass
class Table:
    """A table as the page shows it, and the same figures (unformatted) for its CSV download."""

    name: str
    caption: str
    header: list[str]
    rows: list[list[str]]
    csv_header: list[str]
    csv_rows: list[list]
    links: list[str] = field(default_factory=list)  # the neighbourhood code each row's name links to

    @property
    def rows_with_links(self) -> list[tuple[list[str], str]]:
        return list(zip(self.rows, self.links or [""] * len(self.rows), strict=True))


@dataclass
class Profile:
    place: Place
    facts: list[tuple[str, str]]
    tables: list[Table]
    findings: list[str]


def places(tables: dict) -> dict[str, list[Place]]:
    """Every ward and neighbourhood of the assessment, by name, for the area picker."""
    wards = [Place(WARD, row["ward_code"], row["ward_name"]) for row in tables.get("ward") or []]
    neighbourhoods = [
        Place(
            NEIGHBOURHOOD,
            row["lsoa21_code"],
            row["lsoa21_name"],
            row.get("ward_code") or "",
            row.get("ward_name") or "",
        )
        for row in tables.get("lsoa") or []
    ]
    return {
        WARD: sorted(wards, key=lambda place: place.name),
        NEIGHBOURHOOD: sorted(neighbourhoods, key=lambda place: (place.ward_name, place.name)),
    }


def findings_mentioning(findings: list[dict], names: list[str]) -> list[str]:
    """The key findings whose text names one of `names` (as a whole word, case as written)."""
    patterns = [re.compile(rf"\b{re.escape(name)}\b") for name in names if name]
    return [
        finding["text"]
        for finding in findings
        if any(pattern.search(finding.get("text") or "") for pattern in patterns)
    ]


def _years(rows: list[dict], volume: list[dict]) -> list[tuple[str, int, str]]:
    """(year, the count over `rows`, a note when the year is incomplete) for each count_<year> column."""
    months = {str(entry.get("year")): entry.get("months") for entry in volume or []}
    years = sorted({match.group(1) for row in rows for key in row if (match := YEAR_COLUMN.match(key))})
    found = []
    for year in years:
        total = sum(int(row.get(f"count_{year}") or 0) for row in rows)
        note = f"{months[year]} months of data" if months.get(year) and months[year] < 12 else ""
        found.append((year, total, note))
    return found


def _rate_text(row: dict) -> tuple[str, str]:
    rate = withhold(row.get("count"), number(row.get("rate_per_1000")))
    ci = withhold(row.get("count"), interval(row.get("rate_lower"), row.get("rate_upper")))
    return rate, ci


def _year_table(place: Place, rows: list[dict], volume: list[dict]) -> Table:
    years = _years(rows, volume)
    return Table(
        name="years",
        caption=f"Crimes in the profile each year, {place.name}",
        header=["Year", "Crimes", "Note"],
        rows=[[year, suppress(count), note] for year, count, note in years],
        csv_header=["year", "count", "note"],
        csv_rows=[[year, SUPPRESSED if is_suppressed(count) else count, note] for year, count, note in years],
    )


def _category_table(place: Place, rows: list[dict], volume: list[dict]) -> Table | None:
    """The ward's crimes by police.uk category (rows) and year (columns), with each category's total: the
    bundle's `ward_category` rows as they are, the total their sum. None for a bundle without the table."""
    if not rows:
        return None
    years = sorted({str(row["year"]) for row in rows})
    categories = sorted({row["category"] for row in rows})
    counts = {(row["category"], str(row["year"])): int(row["count"]) for row in rows}
    months = {str(entry.get("year")): entry.get("months") for entry in volume or []}
    partial = [f"{year}: {months[year]} months of data" for year in years if months.get(year) and months[year] < 12]
    figures = [[counts.get((category, year), 0) for year in years] for category in categories]
    totals = [sum(row) for row in figures]
    return Table(
        name="categories",
        caption=f"Crimes in the profile by police.uk category and year, {place.name}"
        + (f" ({'; '.join(partial)})" if partial else ""),
        header=["Category", *years, "Total"],
        rows=[
            [category, *(suppress(count) for count in row), suppress(total)]
            for category, row, total in zip(categories, figures, totals, strict=True)
        ],
        csv_header=["category", *years, "total"],
        csv_rows=[
            [category, *(SUPPRESSED if is_suppressed(count) else count for count in [*row, total])]
            for category, row, total in zip(categories, figures, totals, strict=True)
        ],
    )


def _facts(row: dict, rank_of: int, unit: str, period: str, rank_basis: str) -> list[tuple[str, str]]:
    rate, ci = _rate_text(row)
    return [
        ("Crimes in the profile", f"{suppress(row.get('count'))} ({period})"),
        ("Rate a year per 1,000 residents", f"{rate} (95% interval {ci})" if ci and ci != rate else rate),
        (f"Rank among {rank_of} {unit}", f"{row.get('rank')} ({rank_basis}; 1 is the highest)"),
        ("Residents", number(row.get("population_total"), 0)),
    ]


def ward_profile(tables: dict, summary: dict, code: str, period: str) -> Profile | None:
    wards = tables.get("ward") or []
    row = next((ward for ward in wards if ward["ward_code"] == code), None)
    if row is None:
        return None
    place = Place(WARD, code, row["ward_name"])
    lsoas = sorted(
        (lsoa for lsoa in tables.get("lsoa") or [] if lsoa.get("ward_code") == code), key=lambda lsoa: lsoa["rank"]
    )
    facts = _facts(row, len(wards), "wards", period, "by rate")
    facts.append(("Neighbourhoods (LSOAs)", str(len(lsoas))))
    neighbourhoods = Table(
        name="neighbourhoods",
        caption=f"Neighbourhoods (LSOAs) in {place.name}",
        header=[
            "Neighbourhood",
            "Crimes",
            "Rate a year per 1,000",
            "95% interval",
            f"Rank of {len(tables.get('lsoa') or [])}",
        ],
        rows=[
            [lsoa["lsoa21_name"], suppress(lsoa.get("count")), *_rate_text(lsoa), str(lsoa.get("rank"))]
            for lsoa in lsoas
        ],
        csv_header=["lsoa21_code", "lsoa21_name", "count", "rate_per_1000", "rate_lower", "rate_upper", "rank"],
        csv_rows=[_csv_area_row(lsoa, "lsoa21") for lsoa in lsoas],
        links=[lsoa["lsoa21_code"] for lsoa in lsoas],
    )
    names = [place.name, *(lsoa["lsoa21_name"] for lsoa in lsoas)]
    volume = summary.get("volume") or []
    categories = _category_table(
        place, [entry for entry in tables.get("ward_category") or [] if entry["ward_code"] == code], volume
    )
    return Profile(
        place=place,
        facts=facts,
        tables=[_year_table(place, lsoas, volume), *([categories] if categories else []), neighbourhoods],
        findings=findings_mentioning(summary.get("findings") or [], names),
    )


def neighbourhood_profile(tables: dict, summary: dict, code: str, period: str) -> Profile | None:
    lsoas = tables.get("lsoa") or []
    row = next((lsoa for lsoa in lsoas if lsoa["lsoa21_code"] == code), None)
    if row is None:
        return None
    place = Place(NEIGHBOURHOOD, code, row["lsoa21_name"], row.get("ward_code") or "", row.get("ward_name") or "")
    return Profile(
        place=place,
        facts=_facts(row, len(lsoas), "neighbourhoods", period, "by number of crimes"),
        tables=[_year_table(place, [row], summary.get("volume") or [])],
        findings=findings_mentioning(summary.get("findings") or [], [place.name]),
    )


def _csv_area_row(row: dict, prefix: str) -> list:
    if is_suppressed(row.get("count")):
        figures = [SUPPRESSED, WITHHELD, WITHHELD, WITHHELD]
    else:
        figures = [row.get("count"), row.get("rate_per_1000"), row.get("rate_lower"), row.get("rate_upper")]
    return [row[f"{prefix}_code"], row[f"{prefix}_name"], *figures, row.get("rank")]
