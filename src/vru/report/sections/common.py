"""What every report section shares: the list of sections, the registry that writes figures, the context common
to several sections (`Common`) and small text helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vru.bundle import Bundle
from vru.months import month_range
from vru.presentation import svg
from vru.presentation.formatting import confidence_label, month_name, thousands
from vru.report.model import Figure, Section, Table
from vru.report.recommendations import area_label

BOUNDARY_ATTRIBUTION = (
    "Boundaries: Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data \u00a9 Crown copyright and database right 2024."
)


POLICE_UK_ATTRIBUTION = "police.uk street-level crime data: Home Office, data.police.uk, Open Government Licence v3.0."


# Charts are drawn this many SVG units wide: wider than the dashboard's 640, so that their text prints at about
# the size of the report's own small print across the text width of an A4 page.
REPORT_CHART_WIDTH = 800.0


PDF_TABLE_ROWS = 40  # longer tables print their first rows in the PDF; the HTML report holds every row


SECTIONS = [
    Section("summary", "1", "Executive summary: key findings"),
    Section("scope", "2", "Scope and definition"),
    Section("sources", "3", "Data sources, licences and caveats"),
    Section("population", "4", "Population profile"),
    Section("nature", "5", "Nature and extent"),
    Section("where", "6", "Where violence happens"),
    Section("risk-factors", "7", "Risk and protective factors"),
    Section("who-is-affected", "8", "Who is affected"),
    Section("outcomes", "9", "Outcomes"),
    Section("cost", "10", "Cost of violence"),
    Section("forecast", "11", "Forecast"),
    Section("gaps", "12", "Gaps in provision and practice"),
    Section("recommendations", "13", "Recommendations"),
    Section("methods", "A", "Methods", appendix=True),
    Section("references", "B", "References", appendix=True),
    Section("lsoa-table", "C", "Neighbourhood (LSOA) table", appendix=True),
    Section("files", "D", "Source files", appendix=True),
]


LEVELS = {"lad": "local authority", "csp": "community safety partnership", "pfa": "police force area", "ward": "ward"}


class Registry:
    """Numbers figures and tables in the order they are made (which is the order of the report)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.figures: list[Figure] = []

    def table(self, table: Table, id_: str) -> Table:
        table.id = id_
        return table

    def figure(self, figure: Figure, drawing: str) -> Figure:
        """Write the figure's SVG (from vru.presentation.svg) beside the report; its viewBox gives the image's
        size in CSS pixels (one SVG unit each)."""
        self.table(figure.table, f"table-{figure.id}")
        (self.out_dir / figure.filename).write_text(drawing, encoding="utf-8")
        size = re.search(r'<svg[^>]*\bviewBox="0 0 ([\d.]+) ([\d.]+)"', drawing)
        if size:
            figure.width_px, figure.height_px = round(float(size.group(1))), round(float(size.group(2)))
        self.figures.append(figure)
        return figure


def strip_doc_refs(text: str) -> str:
    """Drop references to the toolkit's own files ("(docs/data-sources.md)", "(shared/reference/x.md)"): a board
    reader has the report, not the repository."""
    return re.sub(r"\s*\((?:see )?[\w.-]+(?:/[\w.-]+)*\.md\)", "", text or "").strip()


def appendix_letter(section_id: str) -> str:
    """The letter of an appendix ("C" for "lsoa-table"), for cross-references."""
    return next(section.number for section in SECTIONS if section.id == section_id)


@dataclass(frozen=True)
class Common:
    """What several sections need, worked out once from the bundle."""

    area: dict
    area_name: str
    per: float  # the rate denominator (1,000 residents)
    per_text: str
    ci: str  # "95% CI"
    confidence: float | None
    full_names: bool  # a force-wide report names neighbourhoods in full
    lsoa: pd.DataFrame  # the bundle's LSOA table with a `label` column
    expected: list[str]  # every month of the period
    profile_months: dict[str, int]  # the profile's count by month (months with data)

    @classmethod
    def from_bundle(cls, bundle: Bundle) -> Common:
        summary = bundle.summary
        area = summary["area"]
        first_volume = summary["volume"][0]["rate_per_1000"] if summary["volume"] else {}
        per = first_volume.get("per") or 1000
        confidence = summary["trend"].get("confidence") or first_volume.get("confidence")
        full_names = area["level"] == "pfa"
        monthly = bundle.monthly
        lsoa = bundle.lsoa.copy()
        lsoa["label"] = [area_label(row, full_names) for row in lsoa.to_dict("records")]
        return cls(
            area=area,
            area_name=area["name"],
            per=per,
            per_text=thousands(per),
            ci=confidence_label(confidence),
            confidence=confidence,
            full_names=full_names,
            lsoa=lsoa,
            expected=month_range(summary["period"]["from"], summary["period"]["to"]),
            profile_months=monthly[monthly["category"] == bundle.profile_category]
            .set_index("month")["count"]
            .to_dict(),
        )


def profile_month_chart(
    common: Common, *, id_prefix: str, title: str, alt: str, forecast: svg.ForecastRange | None = None
) -> str:
    """The profile's monthly count as a line with gaps for months with no data, optionally followed by the
    forecast range."""
    return svg.month_line_chart(
        month_points(common),
        id_prefix=id_prefix,
        title=title,
        desc=alt,
        value_label="crimes",
        y_label="Crimes per month",
        width=REPORT_CHART_WIDTH,
        forecast=forecast,
        height=300.0 if forecast else None,
    )


def month_points(common: Common) -> list[svg.MonthPoint]:
    """The profile's count in every month of the period, None for a month with no data (a gap, not a zero)."""
    return [svg.MonthPoint(month, month_name(month), common.profile_months.get(month)) for month in common.expected]
