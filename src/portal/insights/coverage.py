"""Turns a published coverage report (see PublishedCoverage.payload) into what the home page shows.

Pure functions over the stored payload: nothing here reads the warehouse or imports the toolkit, so pages
can use it on any request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime

from portal.insights.models import PublishedCoverage
from portal.insights.presentation import join_words, month_name, month_range

# The coverage report schema this portal understands (payload["schema_version"]).
SUPPORTED_SCHEMA_VERSION = 1

# police.uk file kinds, as the warehouse names them (ingest_unit.kind), in the order the table shows them.
KIND_LABELS = {
    "street": "Street crime",
    "outcomes": "Outcomes",
    "stop-and-search": "Stop and search",
}


@dataclass(frozen=True)
class KindColumn:
    kind: str
    label: str


@dataclass(frozen=True)
class MonthRow:
    month: str  # YYYY-MM
    label: str  # July 2024
    missing: bool
    rows_by_kind: list[int]
    total: int


@dataclass
class CoverageSummary:
    area_code: str
    area_name: str
    published_at: datetime
    ingested_at: datetime | None
    generated_at: datetime | None
    warehouse_path: str
    schema_supported: bool
    first_month: str = ""
    last_month: str = ""
    months_in_range: int = 0
    months_present: int = 0
    missing_months: list[str] = field(default_factory=list)
    kinds: list[KindColumn] = field(default_factory=list)
    month_rows: list[MonthRow] = field(default_factory=list)
    total_rows: int = 0
    rows_without_location: int = 0
    rows_quarantined: int = 0
    # The toolkit counts rows without a location, and quarantined rows, for the whole force: such rows
    # cannot be placed in an area.
    totals_force_wide: bool = False
    forces: list[str] = field(default_factory=list)
    source_files: int = 0

    @property
    def area_label(self) -> str:
        return self.area_name or self.area_code

    @property
    def has_months(self) -> bool:
        return bool(self.first_month)

    @property
    def missing_months_text(self) -> str:
        """For example "July 2024 and August 2024"."""
        return join_words(self.missing_months)

    @property
    def missing_sentence(self) -> str:
        """For example "No data for July 2024 and August 2024." ("" when no month is missing)."""
        if not self.missing_months:
            return ""
        return f"No data for {join_words(self.missing_months)}."

    @property
    def shows_total_column(self) -> bool:
        return len(self.kinds) > 1

    @property
    def data_column_count(self) -> int:
        """Columns after the month: one per kind, and the total when there is one."""
        return len(self.kinds) + (1 if self.shows_total_column else 0)


def force_name(slug: str) -> str:
    """police.uk force slug to words: "avon-and-somerset" -> "Avon and Somerset"."""
    small = {"and", "of", "the"}
    words = slug.split("-")
    return " ".join(word if word in small and index else word.capitalize() for index, word in enumerate(words))


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("-", " ").replace("_", " ").capitalize())


def summarise(published: PublishedCoverage) -> CoverageSummary:
    payload = published.payload
    summary = CoverageSummary(
        area_code=published.area_code,
        area_name=published.area_name,
        published_at=published.published_at,
        ingested_at=published.ingested_at,
        generated_at=parse_datetime(payload.get("generated_at") or ""),
        warehouse_path=published.warehouse_path,
        schema_supported=payload.get("schema_version") == SUPPORTED_SCHEMA_VERSION,
    )
    if not summary.schema_supported:
        return summary

    months = payload["months"]
    totals = payload["totals"]
    summary.total_rows = totals["rows"]
    summary.rows_without_location = totals["rows_without_location"]
    summary.rows_quarantined = totals["rows_quarantined"]
    summary.totals_force_wide = totals.get("totals_scope") == "force-wide"
    units = payload.get("units") or []
    summary.forces = [force_name(force) for force in sorted({unit["force"] for unit in units})]
    summary.source_files = len({unit["source_file"] for unit in units})
    if not months.get("first"):
        return summary

    rows_per_month = payload["rows_per_month"]
    kinds_present = {entry["kind"] for entry in rows_per_month}
    ordered_kinds = [kind for kind in KIND_LABELS if kind in kinds_present]
    ordered_kinds += sorted(kinds_present - set(KIND_LABELS))
    summary.kinds = [KindColumn(kind=kind, label=kind_label(kind)) for kind in ordered_kinds]

    counts: dict[tuple[str, str], int] = {}
    for entry in rows_per_month:
        key = (entry["month"], entry["kind"])
        counts[key] = counts.get(key, 0) + entry["rows"]
    present = set(months["present"])
    # A month is missing when the report says so, or when it has no rows at all: never show a gap as 0.
    missing = set(months["missing"])
    for month in month_range(months["first"], months["last"]):
        rows_by_kind = [counts.get((month, kind), 0) for kind in ordered_kinds]
        is_missing = month in missing or month not in present
        summary.month_rows.append(
            MonthRow(
                month=month,
                label=month_name(month),
                missing=is_missing,
                rows_by_kind=rows_by_kind,
                total=sum(rows_by_kind),
            )
        )
    summary.first_month = month_name(months["first"])
    summary.last_month = month_name(months["last"])
    summary.months_in_range = len(summary.month_rows)
    summary.months_present = sum(1 for row in summary.month_rows if not row.missing)
    summary.missing_months = [row.label for row in summary.month_rows if row.missing]
    return summary


def latest_coverage_summary(area_code: str) -> CoverageSummary | None:
    """The newest published coverage for the area, or None when nothing has been published for it."""
    published = PublishedCoverage.objects.filter(area_code=area_code).order_by("-published_at", "-pk").first()
    return summarise(published) if published else None
