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

from portal.insights.presentation import interval, number, tables

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


def places(stored: dict) -> dict[str, list[Place]]:
    """Every ward and neighbourhood of the assessment, by name, for the area picker."""
    wards = [Place(WARD, row["ward_code"], row["ward_name"]) for row in stored.get("ward") or []]
    neighbourhoods = [
        Place(
            NEIGHBOURHOOD,
            row["lsoa21_code"],
            row["lsoa21_name"],
            row.get("ward_code") or "",
            row.get("ward_name") or "",
        )
        for row in stored.get("lsoa") or []
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


def _table(
    name: str, caption: str, records: list[dict], shown: list[tables.Column], csv: list[tables.Column], **options
) -> Table:
    """The page's cells and the CSV's (the same figures unformatted), the small-number rule applied alike."""
    page, download = tables.table_cells(records, shown), tables.table_cells(records, csv, raw=True)
    return Table(
        name=name,
        caption=caption,
        header=page.headers,
        rows=page.rows,
        csv_header=download.headers,
        csv_rows=download.rows,
        **options,
    )


RATE = tables.derived("Rate a year per 1,000", lambda row: number(row.get("rate_per_1000")))
RATE_INTERVAL = tables.derived("95% interval", lambda row: interval(row.get("rate_lower"), row.get("rate_upper")))


def _year_table(place: Place, rows: list[dict], volume: list[dict]) -> Table:
    return _table(
        "years",
        f"Crimes in the profile each year, {place.name}",
        [{"year": year, "count": count, "note": note} for year, count, note in _years(rows, volume)],
        [tables.text("Year", "year"), tables.count("Crimes"), tables.text("Note", "note")],
        [tables.text("year", "year"), tables.count("count"), tables.text("note", "note")],
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
    records = [
        {"category": category, "counts": {year: counts.get((category, year), 0) for year in years}}
        for category in categories
    ]
    for record in records:
        record["total"] = sum(record["counts"].values())

    def columns(category_header: str, total_header: str) -> list[tables.Column]:
        return [
            tables.text(category_header, "category"),
            *tables.counts(years, lambda row, year: row["counts"][year]),
            tables.count(total_header, "total"),
        ]

    return _table(
        "categories",
        f"Crimes in the profile by police.uk category and year, {place.name}"
        + (f" ({'; '.join(partial)})" if partial else ""),
        records,
        columns("Category", "Total"),
        columns("category", "total"),
    )


def _facts(row: dict, rank_of: int, unit: str, period: str, rank_basis: str) -> list[tuple[str, str]]:
    ((count, rate, ci),) = tables.table_cells([row], [tables.count("Crimes"), RATE, RATE_INTERVAL]).rows
    return [
        ("Crimes in the profile", f"{count} ({period})"),
        ("Rate a year per 1,000 residents", f"{rate} (95% interval {ci})" if ci and ci != rate else rate),
        (f"Rank among {rank_of} {unit}", f"{row.get('rank')} ({rank_basis}; 1 is the highest)"),
        ("Residents", number(row.get("population_total"), 0)),
    ]


def ward_profile(stored: dict, summary: dict, code: str, period: str) -> Profile | None:
    wards = stored.get("ward") or []
    row = next((ward for ward in wards if ward["ward_code"] == code), None)
    if row is None:
        return None
    place = Place(WARD, code, row["ward_name"])
    lsoas = sorted(
        (lsoa for lsoa in stored.get("lsoa") or [] if lsoa.get("ward_code") == code), key=lambda lsoa: lsoa["rank"]
    )
    facts = _facts(row, len(wards), "wards", period, "by rate")
    facts.append(("Neighbourhoods (LSOAs)", str(len(lsoas))))
    neighbourhoods = _table(
        "neighbourhoods",
        f"Neighbourhoods (LSOAs) in {place.name}",
        lsoas,
        [
            tables.text("Neighbourhood", "lsoa21_name"),
            tables.count("Crimes"),
            RATE,
            RATE_INTERVAL,
            tables.text(f"Rank of {len(stored.get('lsoa') or [])}", lambda lsoa: str(lsoa.get("rank"))),
        ],
        [
            *(tables.text(key, key) for key in ("lsoa21_code", "lsoa21_name")),
            tables.count("count"),
            *(tables.derived(key, key) for key in ("rate_per_1000", "rate_lower", "rate_upper")),
            tables.text("rank", "rank"),
        ],
        links=[lsoa["lsoa21_code"] for lsoa in lsoas],
    )
    names = [place.name, *(lsoa["lsoa21_name"] for lsoa in lsoas)]
    volume = summary.get("volume") or []
    categories = _category_table(
        place, [entry for entry in stored.get("ward_category") or [] if entry["ward_code"] == code], volume
    )
    return Profile(
        place=place,
        facts=facts,
        tables=[_year_table(place, lsoas, volume), *([categories] if categories else []), neighbourhoods],
        findings=findings_mentioning(summary.get("findings") or [], names),
    )


def neighbourhood_profile(stored: dict, summary: dict, code: str, period: str) -> Profile | None:
    lsoas = stored.get("lsoa") or []
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
