"""Builds the dashboard pages' content from a published assessment, once, when it is published.

Everything a page shows is worked out here and stored in a RenderedDashboard row: numbers formatted as the
pages print them (with small-number suppression applied), tables as lists of rows, and the charts and maps
as SVG. A page request then reads one row and fills a template. Nothing here recomputes what the bundle
holds: rates, intervals, ranks, hot spots and findings are the toolkit's, only formatted.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from portal.common.formatting import govuk_datetime
from portal.dashboards import downloads
from portal.dashboards.models import RenderedDashboard
from portal.insights.coverage import force_name
from portal.insights.models import PublishedAssessment
from portal.insights.presentation import (
    METHOD_NOTE,
    NOT_AVAILABLE,
    WITHHELD,
    classify,
    interval,
    is_suppressed,
    join_words,
    missing_months_text,
    money,
    month_list,
    month_name,
    month_range,
    number,
    percent,
    quantile_breaks,
    sequential_colours,
    svg,
    tables,
)
from portal.insights.storage import published_root

# Bump when what is built here changes: stored dashboards are then built again on their next request.
# 7: a partner count range with both ends under 5 is one "fewer than 5", as in the report; 8: the CSV
# downloads beside every table; 9: the CSVs hide a small partnership's ratios and a small outcome total.
RENDERER_VERSION = 9
TOP_LOCATIONS = 10


# --- Table cells under the small-number rule (portal.insights.presentation.tables, as the report's tables) ---

# A neighbourhood's or ward's row: its rate, interval and rank are left blank when its count is suppressed.
AREA_CELLS = {
    "count": tables.count("Crimes"),
    "rate": tables.derived("Rate", lambda row: number(row.get("rate_per_1000"))),
    "rate_ci": tables.derived("95% CI", lambda row: interval(row.get("rate_lower"), row.get("rate_upper")), hidden=""),
    "rank": tables.derived("Rank", lambda row: "" if row.get("rank") is None else f"{int(row['rank'])}", hidden=""),
}
RATE_CELLS = {"count": AREA_CELLS["count"], "rate": AREA_CELLS["rate"]}  # a hot spot, a similar partnership
LOCATION_CELLS = {"count": tables.count("Crimes"), "all_crime": tables.count("All crime", "all_crime")}
COMPARISON_CELLS = {
    "count": tables.count("Crimes"),
    "rate": tables.derived("Rate", lambda row: number(row.get("rate"))),
    "rate_ci": tables.derived("95% CI", lambda row: interval(row.get("lower"), row.get("upper")), hidden=""),
    "ratio": tables.derived(
        "Ratio", lambda row: "" if row.get("focus_ratio") is None else f"{row['focus_ratio']:.2f}", hidden=""
    ),
    "ratio_ci": tables.derived(
        "Ratio CI", lambda row: interval(row.get("focus_ratio_lower"), row.get("focus_ratio_upper"), 2), hidden=""
    ),
}
DECILE_CELLS = {
    "count": tables.count("Crimes"),
    "population": tables.count("Residents", "population"),
    "rate": tables.derived("Rate", lambda row: number(row.get("rate_per_1000"))),
    "rate_ci": tables.derived("95% CI", lambda row: interval(row.get("lower"), row.get("upper")), hidden=""),
}
# Partner data (estimated from the force's recorded crime mix): every count under 5 withheld, 0 included.
COST_CELLS = {
    "central": tables.count("Central", "central"),
    "range": tables.count_range("Range", lambda row: row.get("low"), lambda row: row.get("high")),
}


def _table_rows(
    records: list[dict], cells: dict[str, tables.Column], fields: Callable[[dict], dict], *, partner: bool = False
) -> list[dict]:
    """Each record's `fields` (names, flags) and its `cells`, the small-number rule applied once per row."""
    counted, _ = tables.named_cells(records, cells, partner=partner)
    return [{**fields(row), **row_cells} for row, row_cells in zip(records, counted, strict=True)]


# --- Formatting -----------------------------------------------------------------------------------------


def moment(value: str | None) -> str:
    parsed = parse_datetime(value or "")
    if parsed is None:
        return NOT_AVAILABLE
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_fixed_timezone(0))
    return govuk_datetime(parsed)


def file_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def words(identifier: str) -> str:
    """ "violence_with_injury" -> "Violence with injury"."""
    return identifier.replace("_", " ").replace("-", " ").strip().capitalize()


# --- The pages ------------------------------------------------------------------------------------------


def _profile_counts(assessment: PublishedAssessment) -> dict[str, int]:
    label = f"profile:{assessment.summary['profile']['name']}"
    counts: dict[str, int] = {}
    for row in assessment.tables.get("monthly") or []:
        if row.get("category") == label:
            counts[row["month"]] = counts.get(row["month"], 0) + int(row["count"])
    return counts


def _period(summary: dict) -> dict:
    period = summary["period"]
    return {
        "from": month_name(period["from"]),
        "to": month_name(period["to"]),
        "text": f"{month_name(period['from'])} to {month_name(period['to'])}",
        "months_expected": period.get("months_expected"),
        "months_present": period.get("months_present"),
    }


def _trend_points(assessment: PublishedAssessment) -> list[svg.MonthPoint]:
    summary = assessment.summary
    period = summary["period"]
    missing = set(summary.get("missing_months") or [])
    counts = _profile_counts(assessment)
    points = []
    for month in month_range(period["from"], period["to"]):
        value = None if month in missing else counts.get(month, 0)
        points.append(svg.MonthPoint(month=month, label=month_name(month), value=value))
    return points


def profile_label(summary: dict) -> str:
    """What is counted, by its police.uk categories ("violence and sexual offences, robbery and possession of
    weapons"): police.uk cannot single out serious violence, so the pages never call the count that alone."""
    categories = (summary.get("profile") or {}).get("police_uk_categories") or []
    return join_words([category.lower() for category in categories]) or "crimes in the profile"


def _headlines(summary: dict, period: dict) -> list[dict]:
    headlines = []
    total = sum(int(row.get("count") or 0) for row in summary.get("volume") or [])
    headlines.append(
        {
            "label": "Crimes counted",
            "value": f"{total:,}",
            "detail": (
                f"{profile_label(summary).capitalize()}, {period['text']}; {period['months_present']} of "
                f"{period['months_expected']} months have data."
            ),
        }
    )
    latest = summary.get("latest_12_months") or {}
    if latest.get("latest"):
        span = f"{month_name(latest['latest']['first_month'])} to {month_name(latest['latest']['last_month'])}"
        detail = f"{span}, {latest['latest']['months_present']} months with data."
        ratio, lower, upper = latest.get("ratio"), latest.get("ratio_lower"), latest.get("ratio_upper")
        if latest.get("comparable") and ratio is not None and lower is not None and upper is not None:
            change = (ratio - 1) * 100
            ci = interval((lower - 1) * 100, (upper - 1) * 100, 0, "%")
            if lower <= 1 <= upper:
                detail += (
                    f" No significant change from the 12 months before (monthly average {change:+.0f}%, 95% CI {ci})."
                )
            else:
                detail += (
                    f" The monthly average is {abs(change):.0f}% {'higher' if change > 0 else 'lower'} than in the "
                    f"12 months before (95% CI {ci})."
                )
        headlines.append(
            {"label": "In the latest 12 months", "value": f"{latest['latest']['count']:,}", "detail": detail}
        )
    trend = summary.get("trend") or {}
    if trend.get("annual_change_percent") is not None:
        direction = trend.get("direction") or "no significant change"
        headlines.append(
            {
                "label": "Trend",
                "value": direction[:1].upper() + direction[1:],
                "detail": (
                    f"About {abs(trend['annual_change_percent']):.1f}% "
                    f"{'more' if trend['annual_change_percent'] >= 0 else 'less'} a year (95% CI "
                    f"{interval(trend.get('annual_change_lower'), trend.get('annual_change_upper'), 1, '%')}), "
                    "after allowing for the season."
                ),
            }
        )
    where = summary.get("where") or {}
    if where.get("hot_spots") is not None:
        headlines.append(
            {
                "label": "Hot spots",
                "value": f"{where['hot_spots']:,}",
                "detail": "Neighbourhoods (LSOAs) with significantly more crime than their surroundings.",
            }
        )
    return headlines


def _volume_rows(summary: dict) -> list[dict]:
    rows = []
    for row in summary.get("volume") or []:
        rate = row.get("rate_per_1000") or {}
        rows.append(
            {
                "year": row["year"],
                "months": f"{row['months']}{' (part year)' if row.get('partial_year') else ''}",
                "count": f"{int(row['count']):,}",
                "rate": number(rate.get("rate")),
                "rate_ci": interval(rate.get("lower"), rate.get("upper")),
            }
        )
    return rows


def _findings(summary: dict) -> list[dict]:
    sections: dict[str, list[str]] = {}
    for finding in summary.get("findings") or []:
        sections.setdefault(finding.get("section") or "other", []).append(finding["text"])
    return [{"section": words(section), "texts": texts} for section, texts in sections.items()]


def _outcomes(summary: dict, table: list[dict]) -> dict:
    """Every outcome group of the bundle's outcomes table (the summary's headline holds only three)."""
    outcomes = summary.get("outcomes") or {}
    groups: list[str] = []
    cells: dict[tuple[str, str], dict] = {}
    totals: dict[tuple[str, str], int] = {}
    for row in table or outcomes.get("headline") or []:
        key = (row["year"], row["category"])
        if row["outcome_group"] not in groups:
            groups.append(row["outcome_group"])
        cells[(*key, row["outcome_group"])] = row
        totals[key] = row.get("total") or 0
    keys = sorted(totals, key=lambda key: (key[0], key[1]))
    grid = tables.table_cells(
        [{"key": key, "total": totals[key]} for key in keys],
        [
            tables.count("Crimes", "total"),
            *[
                tables.derived(
                    group,
                    lambda row, group=group: (
                        percent(cells[(*row["key"], group)].get("share"), 1)
                        if (*row["key"], group) in cells
                        else NOT_AVAILABLE
                    ),
                    count=lambda row, group=group: (cells.get((*row["key"], group)) or {}).get("count"),
                )
                for group in groups
            ],
        ],
    )
    rows = [
        {"year": year, "category": category, "total": total, "shares": shares}
        for (year, category), (total, *shares) in zip(keys, grid.rows, strict=True)
    ]
    return {
        "caveat": outcomes.get("caveat", ""),
        "groups": [group[:1].upper() + group[1:] for group in groups],
        "rows": rows,
    }


def _cost_public(summary: dict) -> dict:
    cost = summary.get("cost") or {}
    if not cost.get("available"):
        return {"available": False, "reason": cost.get("reason") or cost.get("note") or ""}
    estimate = cost.get("area_estimate") or {}
    unverified = [words(name) for name, status in (cost.get("unit_cost_status") or {}).items() if status != "verified"]
    return {
        "available": True,
        "range": f"{money(estimate.get('low'))} to {money(estimate.get('high'))}",
        "central": money(estimate.get("central")),
        "price_year": cost.get("price_year", ""),
        "period": cost.get("period", ""),
        "unverified": join_words(unverified),
        "not_costed": [words(name) for name in (cost.get("not_costed") or {})],
    }


def _data_dates(assessment: PublishedAssessment) -> dict:
    summary = assessment.summary
    sources = summary.get("sources") or {}
    loaded = [row.get("ingested_at") for row in sources.get("police_uk") or [] if row.get("ingested_at")]
    return {
        "police_uk_loaded": moment(max(loaded)) if loaded else NOT_AVAILABLE,
        "police_uk_files": len(sources.get("police_uk") or []),
        "generated": govuk_datetime(assessment.generated_at),
        "published": govuk_datetime(assessment.published_at),
        "licence": sources.get("licence", ""),
    }


def _population(summary: dict) -> dict:
    population = dict(summary.get("population") or {})
    # The toolkit cites its own documentation in brackets: not for the public page.
    population["source"] = re.sub(r"\s*\((?:see )?docs/[^)]*\)", "", population.get("source") or "")
    return population


def _overview(assessment: PublishedAssessment) -> tuple[dict, str]:
    summary = assessment.summary
    period = _period(summary)
    profile = summary.get("profile") or {}
    missing = [month_name(month) for month in summary.get("missing_months") or []]
    points = _trend_points(assessment)
    area = summary.get("area") or {}
    force = area.get("pfa_name") or force_name(area.get("force") or "")
    context = {
        "area_name": assessment.area_name,
        "area_code": assessment.area_code,
        "force": force,
        "period": period,
        "missing_months": missing,
        "missing_text": join_words(missing),
        "missing_status": missing_months_text(
            summary.get("missing_months") or [], summary.get("missing_months_checked")
        ),
        "profile": {
            "title": profile.get("title", ""),
            "name": profile.get("name", ""),
            "version": profile.get("version", ""),
            "source": profile.get("source", ""),
            "categories": profile.get("police_uk_categories") or [],
            "label": profile_label(summary),
            "cannot_separate": profile.get("cannot_separate") or [],
        },
        "headlines": _headlines(summary, period),
        "volume": _volume_rows(summary),
        "population": _population(summary),
        "findings": _findings(summary),
        "trend_rows": [
            {"month": point.label, "count": None if point.value is None else f"{int(point.value):,}"}
            for point in points
        ],
        "outcomes": _outcomes(summary, assessment.tables.get("outcomes") or []),
        "cost": _cost_public(summary),
        "dates": _data_dates(assessment),
        "comparison_available": bool(assessment.tables.get("comparison")),
    }
    gap_text = f" There is no data for {join_words(missing)}: those months are gaps, not zeros." if missing else ""
    chart = _both(
        svg.month_line_chart,
        points,
        id_prefix="trend",
        title=f"Crimes in the definition each month, {period['text']}",
        desc=(
            f"Line chart of the monthly count of crimes in {assessment.area_name} in the serious-violence "
            f"definition, from {period['text']}.{gap_text} The table below the chart gives every month's count."
        ),
        value_label="crimes",
    )
    return context, chart


# Figures are drawn twice, wide and narrow (for phones, where a wide drawing would shrink its text too far).
NARROW_WIDTH = 360.0


def _both(draw, *args, id_prefix: str, **kwargs) -> str:
    wide = draw(*args, id_prefix=id_prefix, **kwargs)
    narrow = draw(*args, id_prefix=f"{id_prefix}-narrow", width=NARROW_WIDTH, **kwargs)
    return svg.responsive(wide, narrow)


def _both_maps(spec: svg.MapSpec, narrow_view: svg.BBox | None = None) -> str:
    """A map drawn wide and narrow; a close-up may have a squarer, tighter view when narrow."""
    narrow = dataclasses.replace(
        spec, id_prefix=f"{spec.id_prefix}-narrow", width=NARROW_WIDTH, view=narrow_view or spec.view
    )
    return svg.responsive(svg.area_map(spec), svg.area_map(narrow))


SEQUENTIAL = sequential_colours(5)  # the five classes of the maps, light to dark

# How many areas with the most crimes the close-up map of neighbourhoods or wards is centred on.
CLOSE_UP_AREAS = 5
CLOSE_UP_WARDS = 2


def _feature_index(features: list[dict]) -> dict[str, dict]:
    return {(feature.get("properties") or {}).get("code"): feature for feature in features}


def _close_up(features: list[dict], codes: list[str], margin: float = 0.5, aspect: float = 4 / 3) -> svg.BBox | None:
    """The view of the close-up map: around the given areas."""
    index = _feature_index(features)
    focus = svg.bbox_of(index[code] for code in codes if code in index)
    whole = svg.bbox_of(features)
    if not focus or not whole:
        return None
    view = svg.close_up_view(focus, margin=margin, aspect=aspect)
    # Not worth a second map when the close-up would show most of the district anyway.
    if view[2] - view[0] > 0.6 * (whole[2] - whole[0]) or view[3] - view[1] > 0.6 * (whole[3] - whole[1]):
        return None
    return view


def _choropleth(
    rows: list[dict],
    key: str,
    features: list[dict],
    outlines: list[dict],
    *,
    unit_name: str,
    id_prefix: str,
    title: str,
    area_name: str,
    rank_basis: str,
    close_up_codes: list[str],
    overlay: list[dict] = (),
    number_close_up: bool = True,
    close_up_margin: float = 0.5,
) -> tuple[list[dict], list[dict], str, str]:
    """The table rows, the legend, the map SVG and the close-up map SVG of rate per 1,000 a year by area."""
    shown = [row for row in rows if row.get("rate_per_1000") is not None and not is_suppressed(row.get("count"))]
    edges = quantile_breaks([float(row["rate_per_1000"]) for row in shown])
    counts = [0] * max(1, len(edges) - 1)
    for row in shown:
        counts[classify(float(row["rate_per_1000"]), edges)] += 1
    legend = [
        {
            "colour": SEQUENTIAL[index],
            "label": f"{edges[index]:,.1f} to {edges[min(index + 1, len(edges) - 1)]:,.1f}",
            "count": count,
        }
        for index, count in enumerate(counts)
        if edges
    ]
    total = len(rows)
    areas: dict[str, svg.MapArea] = {}
    ordered = sorted(rows, key=lambda row: (row.get("rank") is None, row.get("rank") or 0))
    table, withheld = tables.named_cells(ordered, AREA_CELLS)
    for row, cells in zip(ordered, table, strict=True):
        code, name = row[f"{key}_code"], row[f"{key}_name"]
        cells.update(code=code, name=name, ward=row.get("ward_name", ""))
        rate = row.get("rate_per_1000")
        rank = row.get("rank")
        if is_suppressed(row.get("count")):
            areas[code] = svg.MapArea(
                code=code, fill=svg.NO_DATA_FILL, title=f"{name}: rate not shown (fewer than 5 crimes)"
            )
        elif rate is not None:
            colour = SEQUENTIAL[classify(float(rate), edges)]
            ward = f", {row['ward_name']} ward" if row.get("ward_name") else ""
            rank_text = f", rank {int(rank)} of {total} {rank_basis}" if rank is not None else ""
            areas[code] = svg.MapArea(
                code=code, fill=colour, title=f"{name}{ward}: {number(rate)} a year per 1,000 residents{rank_text}"
            )
    if withheld:
        legend.append(
            {
                "colour": svg.NO_DATA_FILL,
                "label": "Not shown: fewer than 5 crimes",
                "count": sum(1 for row in table if row["rate"] == "not shown"),
            }
        )
    view = _close_up(features, close_up_codes, margin=close_up_margin)
    shading = (
        "shaded by crimes counted as serious violence a year per 1,000 residents, in five groups of about equal "
        "size from lightest (lowest) to darkest (highest). The table below the maps gives each area's rate and rank."
    )
    whole = svg.area_map(
        svg.MapSpec(
            id_prefix=id_prefix,
            title=title,
            desc=f"Map of the {total} {unit_name} of {area_name}, {shading}"
            + (" A dashed box marks the close-up." if view else ""),
            features=features,
            areas=areas,
            outlines=outlines,
            frame=view,
            frame_label="Close-up" if view else "",
        )
    )
    close_up = ""
    if view:
        close_up = _both_maps(
            svg.MapSpec(
                id_prefix=f"{id_prefix}-close-up",
                title=f"Close-up: {title.lower()}",
                desc=(
                    f"Close-up map of the {unit_name} around the {len(close_up_codes)} with the "
                    + ("most crimes" if number_close_up else "highest rates")
                    + (", which are numbered by their rank in the table" if number_close_up else "")
                    + f", {shading}"
                ),
                features=features,
                areas={
                    code: svg.MapArea(area.code, area.fill, area.title, stroke="#ffffff", stroke_width=1.2)
                    for code, area in areas.items()
                },
                outlines=outlines,
                overlay=overlay,
                labels=[
                    svg.MapLabel(code=row["code"], text=row["rank"])
                    for row in table
                    if number_close_up and row["code"] in close_up_codes
                ],
                view=view,
            ),
            narrow_view=_close_up(features, close_up_codes, margin=close_up_margin, aspect=1.0),
        )
    return table, legend, whole, close_up


def _top_codes(rows: list[dict], key: str, how_many: int, by: str = "count") -> list[str]:
    """The codes of the `how_many` areas with the highest `by` (count or rate_per_1000)."""
    ranked = sorted(
        (row for row in rows if not is_suppressed(row.get("count")) and row.get(by) is not None),
        key=lambda row: -float(row[by]),
    )
    return [row[f"{key}_code"] for row in ranked[:how_many]]


def _areas(assessment: PublishedAssessment) -> tuple[dict, dict[str, str]]:
    stored, boundaries = assessment.tables, assessment.boundaries
    period = _period(assessment.summary)["text"]
    outlines = boundaries.get("lad", {}).get("features") or []
    lsoa_rows, ward_rows = stored.get("lsoa") or [], stored.get("ward") or []
    lsoa_table, lsoa_legend, lsoa_svg, lsoa_close_up = _choropleth(
        lsoa_rows,
        "lsoa21",
        boundaries.get("lsoa21", {}).get("features") or [],
        outlines,
        unit_name="neighbourhoods (LSOAs)",
        id_prefix="lsoa-map",
        title=f"Serious violence a year per 1,000 residents by neighbourhood, {period}",
        area_name=assessment.area_name,
        rank_basis="by number of crimes",
        close_up_codes=_top_codes(lsoa_rows, "lsoa21", CLOSE_UP_AREAS),
        overlay=boundaries.get("ward", {}).get("features") or [],
    )
    ward_table, ward_legend, ward_svg, ward_close_up = _choropleth(
        ward_rows,
        "ward",
        boundaries.get("ward", {}).get("features") or [],
        outlines,
        unit_name="wards",
        id_prefix="ward-map",
        title=f"Serious violence a year per 1,000 residents by ward, {period}",
        area_name=assessment.area_name,
        rank_basis="by rate",
        close_up_codes=_top_codes(ward_rows, "ward", CLOSE_UP_WARDS, by="rate_per_1000"),
        overlay=boundaries.get("ward", {}).get("features") or [],
        number_close_up=False,
        close_up_margin=1.5,
    )
    any_suppressed = any(row["rate"] == WITHHELD for row in lsoa_table + ward_table)
    context = {
        "area_name": assessment.area_name,
        "period": period,
        "lsoa": {"rows": lsoa_table, "legend": lsoa_legend, "count": len(lsoa_table), "rank_basis": "crimes"},
        "ward": {"rows": ward_table, "legend": ward_legend, "count": len(ward_table), "rank_basis": "rate"},
        "close_up_areas": CLOSE_UP_AREAS,
        "close_up_wards": CLOSE_UP_WARDS,
        "suppression_note": METHOD_NOTE if any_suppressed else "",
    }
    maps = {
        "lsoa_map_svg": lsoa_svg,
        "lsoa_close_up_svg": lsoa_close_up,
        "ward_map_svg": ward_svg,
        "ward_close_up_svg": ward_close_up,
    }
    return context, maps


def _letter(index: int) -> str:
    """1 -> "A", 26 -> "Z", 27 -> "AA"."""
    text = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        text = chr(ord("A") + remainder) + text
    return text


def _hot_spots(assessment: PublishedAssessment) -> tuple[dict, dict[str, str]]:
    summary, stored, boundaries = assessment.summary, assessment.tables, assessment.boundaries
    where = summary.get("where") or {}
    lsoa_rows = stored.get("lsoa") or []
    names = {row["lsoa21_code"]: row for row in lsoa_rows}

    def spots(rows: list[dict]) -> list[dict]:
        found = _table_rows(
            rows,
            RATE_CELLS,
            lambda row: {
                "code": row["lsoa21_code"],
                "name": row["lsoa21_name"],
                "ward": row.get("ward_name", ""),
                "confidence": f"{row['hotspot_confidence']}%" if row.get("hotspot_confidence") is not None else "",
                "persistence": row.get("persistence") or "",
                "years_hot": (row.get("years_hot") or "").replace(",", ", "),
            },
        )
        for index, row in enumerate(found, start=1):
            row["letter"] = _letter(index)
        return found

    def by_rank(rows) -> list[dict]:
        return sorted(rows, key=lambda row: row.get("rank") or 0)

    hot = by_rank(row for row in lsoa_rows if row.get("hotspot") == "hot spot")
    cold = by_rank(row for row in lsoa_rows if row.get("hotspot") == "cold spot")
    hot_rows, cold_rows = spots(hot), spots(cold)

    top = (stored.get("locations") or [])[:TOP_LOCATIONS]
    counted, _ = tables.named_cells(top, LOCATION_CELLS)
    locations, markers = [], []
    for index, (row, cells) in enumerate(zip(top, counted, strict=True), start=1):
        lsoa = names.get(row.get("lsoa21_code"), {})
        locations.append(
            {
                "number": index,
                "location": row.get("location", ""),
                "lsoa": lsoa.get("lsoa21_name", row.get("lsoa21_code", "")),
                "ward": lsoa.get("ward_name", ""),
                **cells,
            }
        )
        if row.get("longitude") is not None and row.get("latitude") is not None:
            markers.append(
                svg.MapMarker(
                    lon=row["longitude"],
                    lat=row["latitude"],
                    title=f"Location {index}: {row.get('location', '')}, {cells['count']} crimes",
                    label=str(index),
                )
            )

    areas = {}
    for row in lsoa_rows:
        code, name, ward = row["lsoa21_code"], row["lsoa21_name"], row.get("ward_name", "")
        if row.get("hotspot") == "hot spot":
            areas[code] = svg.MapArea(code, svg.HOT, f"{name} ({ward}): hot spot", stroke=svg.TEXT, stroke_width=1.5)
        elif row.get("hotspot") == "cold spot":
            areas[code] = svg.MapArea(code, svg.COLD, f"{name} ({ward}): cold spot", stroke=svg.TEXT, stroke_width=1.5)
        else:
            areas[code] = svg.MapArea(code, svg.NEUTRAL_AREA, f"{name} ({ward}): neither", stroke="#ffffff")
    period = _period(summary)["text"]
    features = boundaries.get("lsoa21", {}).get("features") or []
    outlines = boundaries.get("lad", {}).get("features") or []
    focus = [row["code"] for row in hot_rows] or _top_codes(lsoa_rows, "lsoa21", CLOSE_UP_AREAS)
    view = _close_up(features, focus, margin=2.0)
    hot_labels = [svg.MapLabel(code=row["code"], text=row["letter"]) for row in hot_rows]
    key_text = (
        f"{len(hot_rows)} hot spot(s) are shaded orange and lettered as in the list of hot spots; {len(cold_rows)} "
        f"cold spot(s) are shaded blue; black dots mark the {len(markers)} locations with the most crimes"
    )
    whole = svg.area_map(
        svg.MapSpec(
            id_prefix="hot-spot-map",
            title=f"Hot spots of serious violence, {period}",
            desc=f"Map of the neighbourhoods (LSOAs) of {assessment.area_name}. {key_text}."
            + (" A dashed box marks the close-up." if view else ""),
            features=features,
            areas=areas,
            outlines=outlines,
            markers=[svg.MapMarker(marker.lon, marker.lat, marker.title, radius=3) for marker in markers],
            frame=view,
            frame_label="Close-up" if view else "",
        )
    )
    close_up = ""
    if view:
        close_up = _both_maps(
            svg.MapSpec(
                id_prefix="hot-spot-close-up",
                title=f"Close-up of the hot spots, {period}",
                desc=f"Close-up map around the hot spots. {key_text}, numbered as in the table of locations.",
                features=features,
                areas=areas,
                outlines=outlines,
                markers=markers,
                labels=hot_labels,
                overlay=boundaries.get("ward", {}).get("features") or [],
                view=view,
            ),
            narrow_view=_close_up(features, focus, margin=1.0, aspect=1.0),
        )

    moran = where.get("global_moran") or {}
    if moran.get("I") is not None and moran.get("p_sim") is not None:
        statistic = f"(global Moran’s I {moran['I']:.2f}, p = {moran['p_sim']:.4f})."
        moran_text = {
            "clustered": f"Neighbourhoods with many crimes tend to be next to each other {statistic}",
            "dispersed": f"Neighbourhoods with many crimes tend to sit apart, more than chance would give {statistic}",
        }.get(moran.get("pattern"), f"There is no significant clustering across the district {statistic}")
    else:
        moran_text = ""
    concentration = summary.get("concentration") or {}
    concentration_rows = []
    for key, label in (("lsoa", "Neighbourhoods (LSOAs)"), ("snap_points", "police.uk locations")):
        for group in (concentration.get(key) or {}).get("groups") or []:
            concentration_rows.append(
                {
                    "label": label,
                    "top": f"Top {group['share_of_units'] * 100:.0f}% ({group['units']:,})",
                    "share": percent(group.get("share_of_incidents")),
                }
            )
    method = where.get("method") or {}
    years = [
        {"year": year, "months": values.get("months"), "hot_spots": values.get("hot_spots")}
        for year, values in sorted((where.get("years") or {}).items())
    ]
    context = {
        "area_name": assessment.area_name,
        "period": period,
        "hot": hot_rows,
        "cold": cold_rows,
        "locations": locations,
        "moran_text": moran_text,
        "method": {
            "statistic": method.get("statistic", ""),
            "weights": method.get("weights", ""),
            "p_values": method.get("p_values", ""),
            "permutations": f"{method['permutations']:,}" if method.get("permutations") else "",
        },
        "years": years,
        "concentration": concentration_rows,
        "gini": number(concentration.get("lsoa_gini"), 2) if concentration.get("lsoa_gini") is not None else "",
        "legend": [
            {"colour": svg.HOT, "label": "Hot spot"},
            {"colour": svg.COLD, "label": "Cold spot"},
            {"colour": svg.NEUTRAL_AREA, "label": "Neither"},
        ],
    }
    return context, {"hot_spot_map_svg": whole, "hot_spot_close_up_svg": close_up}


def _comparison(assessment: PublishedAssessment) -> tuple[dict, str]:
    comparison = assessment.summary.get("comparison") or {}
    table = assessment.tables.get("comparison") or []
    chart_rows, reference = [], None
    focus = next((row for row in table if row.get("is_focus")), None)
    ordered = sorted(table, key=lambda row: (row.get("level") != "csp", row.get("rank") or 0))
    rows = _table_rows(
        ordered,
        COMPARISON_CELLS,
        lambda row: {
            "name": row["name"],
            "level": "Police force area" if row.get("level") == "pfa" else "Community safety partnership",
            "is_focus": bool(row.get("is_focus")),
            "months": row.get("months"),
            "rank": f"{int(row['rank'])}" if row.get("rank") is not None else "",
        },
    )
    for row in ordered:
        if row.get("level") == "pfa":
            if row.get("rate") is not None:
                reference = (f"{row['name']} as a whole: {number(row['rate'])}", float(row["rate"]))
        elif row.get("rate") is not None and not is_suppressed(row.get("count")):
            chart_rows.append(
                svg.IntervalRow(
                    label=row["name"],
                    value=float(row["rate"]),
                    lower=row.get("lower"),
                    upper=row.get("upper"),
                    highlight=bool(row.get("is_focus")),
                    value_text=number(row["rate"]),
                )
            )
    chart = ""
    if chart_rows:
        chart = _both(
            svg.interval_chart,
            chart_rows,
            id_prefix="comparison-chart",
            title="Crimes in the definition a year per 1,000 residents, by community safety partnership",
            desc=(
                f"Bar chart of the rate in each partnership of the force, highest first, with 95% confidence "
                f"intervals; {assessment.area_name} is highlighted"
                + (f", and a dashed line marks {reference[0]}" if reference else "")
                + ". The table below the chart gives the same figures."
            ),
            reference=reference,
            unit="a year per 1,000 residents",
        )
    context = {
        "available": bool(table),
        "complete": bool(comparison.get("complete")),
        "note": comparison.get("note", ""),
        "partnerships_in_force": comparison.get("partnerships_in_force"),
        "partnerships_with_data": comparison.get("partnerships_with_data"),
        "rows": rows,
        "area_name": assessment.area_name,
        "focus_rate": number(focus.get("rate")) if focus else "",
        "period": _period(assessment.summary)["text"],
    }
    return context, chart


def _staff(assessment: PublishedAssessment) -> dict:
    summary = assessment.summary
    forecast = summary.get("forecast") or {}
    backtest = summary.get("backtest") or {}
    deprivation = summary.get("deprivation") or {}
    cost = summary.get("cost") or {}
    sources = summary.get("sources") or {}
    where = summary.get("where") or {}
    profile = summary.get("profile") or {}

    def deciles(key: str) -> list[dict]:
        return _table_rows(
            (deprivation.get(key) or {}).get("rate_by_decile") or [],
            DECILE_CELLS,
            lambda row: {"decile": row["imd_decile"], "lsoas": row.get("lsoas")},
        )

    def ratio_text(key: str) -> str:
        ratio = (deprivation.get(key) or {}).get("quintile_ratio") or {}
        if ratio.get("ratio") is None:
            return ratio.get("reason") or ""
        return f"{ratio['ratio']:.2f} (95% CI {interval(ratio.get('lower'), ratio.get('upper'), 2)})"

    split = _table_rows(
        cost.get("split") or [], COST_CELLS, lambda row: {"component": words(row["component"])}, partner=True
    )
    check = cost.get("headline_check") or {}
    check_rows = _table_rows(
        check.get("counts") or [], COST_CELLS, lambda row: {"group": words(row["offence_group"])}, partner=True
    )
    police_files = [
        {
            "month": month_name(row["month"]) if row.get("month") else "",
            "file": Path(row.get("source_file") or "").name,
            "sha256": (row.get("source_sha256") or "")[:12],
            "loaded": moment(row.get("ingested_at")),
        }
        for row in sources.get("police_uk") or []
    ]
    reference_files = _table_rows(
        sources.get("reference") or [],
        {"rows": tables.count("Rows", "rows_loaded")},
        lambda row: {
            "table": row.get("table_name", ""),
            "file": Path(row.get("source_file") or "").name,
            "sha256": (row.get("source_sha256") or "")[:12],
        },
    )
    return {
        "meta": {
            "bundle_path": assessment.bundle_path,
            "generated": govuk_datetime(assessment.generated_at),
            "published": govuk_datetime(assessment.published_at),
            "toolkit_version": assessment.toolkit_version,
            "schema_version": assessment.schema_version,
            "profile": f"{profile.get('name', '')} version {profile.get('version', '')}",
        },
        "forecast": [
            {
                "month": month_name(row["month"]),
                "mean": number(row.get("mean"), 0),
                "interval": interval(row.get("lower"), row.get("upper"), 0),
            }
            for row in forecast.get("months") or []
        ],
        "backtest": {
            "coverage": percent(backtest.get("coverage")) if backtest.get("coverage") is not None else "",
            "mae": number(backtest.get("mae"), 0),
            "mape": f"{backtest['mape']:.1f}%" if backtest.get("mape") is not None else "",
            "rows": _table_rows(
                backtest.get("rows") or [],
                {"actual": tables.count("Actual", "actual")},
                lambda row: {
                    "month": month_name(row["month"]),
                    "predicted": number(row.get("predicted"), 0),
                    "interval": interval(row.get("lower"), row.get("upper"), 0),
                    "inside": "Yes" if row.get("inside") else "No",
                },
            ),
        },
        "deprivation": {
            "imd2025": deciles("imd2025"),
            "imd2019": deciles("imd2019"),
            "ratio2025": ratio_text("imd2025"),
            "ratio2019": ratio_text("imd2019"),
            "correlations": [
                {
                    "domain": words(row["domain"].removesuffix("_score")),
                    "rho": f"{row['spearman_rho']:.2f}",
                    "p": f"{row['p_value']:.4f}" if row.get("p_value") is not None else "",
                }
                for row in deprivation.get("imd2025_domain_correlations") or []
            ],
            "caveat": deprivation.get("caveat", ""),
        },
        "moran_clusters": [
            {"label": label, "count": count} for label, count in (where.get("moran_clusters") or {}).items()
        ],
        "persistence": [{"label": label, "count": count} for label, count in (where.get("persistence") or {}).items()],
        "cost": {
            "available": bool(cost.get("available")),
            "split": split,
            "unit_costs": [
                {
                    "group": row.get("offence_group", ""),
                    "cost": money(row.get("unit_cost_gbp")),
                    "price_year": row.get("price_year", ""),
                    "status": row.get("status", ""),
                    "source": row.get("source", ""),
                }
                for row in cost.get("unit_costs") or []
            ],
            "not_costed": [
                {"group": words(key), "reason": value} for key, value in (cost.get("not_costed") or {}).items()
            ],
            "assumptions": cost.get("assumptions") or [],
            "check": {
                "claim": check.get("claim", ""),
                "cost": money(check.get("cost_gbp")),
                "range": f"{money(check.get('cost_low_gbp'))} to {money(check.get('cost_high_gbp'))}",
                "published": money(check.get("published_gbp")),
                "difference": f"{check['difference_percent']:+.1f}%"
                if check.get("difference_percent") is not None
                else "",
                "rows": check_rows,
            }
            if check
            else None,
        },
        "police_files": police_files,
        "reference_files": reference_files,
        "licence": sources.get("licence", ""),
        "suppression_note": METHOD_NOTE,
    }


def _report(assessment: PublishedAssessment) -> dict:
    files = list(assessment.report_files or [])
    report = {"dir": assessment.report_dir, "files": files, "style_sources": list(assessment.report_style_hashes or [])}
    report["html"] = "report.html" in files
    report["pdf"] = "report.pdf" in files
    pdf = published_root() / assessment.report_dir / "report.pdf" if assessment.report_dir else None
    report["pdf_size"] = file_size(pdf.stat().st_size) if pdf and pdf.is_file() else ""
    return report


# The dashboard's extension point (docs/architecture.md, "Adding a figure"): a part is a function of the published
# assessment returning a JSON-safe dict (text and SVG) that a page template prints as `dashboard.parts.<name>`.
def _partner_factors(assessment: PublishedAssessment) -> dict:
    """Published partner indicators (bundle `partner_factors`): each factor's latest published period for the
    area, England and the statistical neighbours' median, whether it stands out, and its source. These are
    figures partners publish themselves (no local partner records): the publisher's own marks are shown."""
    data = assessment.summary.get("partner_factors") or {}
    if not data.get("available"):
        return {"available": False, "reason": data.get("reason", "")}
    factors = []
    for chapter in data["chapters"].values():
        for factor in chapter["factors"]:
            shown = [year for year in factor["years"] if year["area"] is not None or year["area_marker"]]
            if not shown:
                continue
            latest = shown[-1]
            area = (
                number(latest["area"], 2)
                if latest["area"] is not None
                else f"{latest['area_marker']} ({latest['area_marker_meaning']})"
            )
            factors.append(
                {
                    "chapter": chapter["title"],
                    "title": factor["title"],
                    "unit": factor["unit"],
                    "period": latest["period"] or str(latest["year"]),
                    "area": area,
                    "england": number(latest["england"], 2) if latest["england"] is not None else NOT_AVAILABLE,
                    "neighbours": number(latest["neighbour_median"], 2)
                    if latest["neighbour_median"] is not None
                    else NOT_AVAILABLE,
                    "stands_out": factor["stands_out"],
                    "worse": factor["worse"],
                    "source": factor["publication"],
                }
            )
    return {
        "available": True,
        "area_name": data["area_name"],
        "neighbours": join_words([neighbour["name"] for neighbour in data["neighbours"]]),
        "neighbour_source": data["neighbour_source"],
        "factors": factors,
    }


def _priorities(assessment: PublishedAssessment) -> dict:
    """The partnership's priorities (bundle `priorities`: at most five, each with the places or groups, the
    evidence, an action, an owner and a measure) and the places that may be named (bundle `priority_places`:
    high on their own, with their count against the count their residents would give at the area's rate)."""
    summary = assessment.summary
    priorities = [
        {
            "title": item["title"],
            "places": join_words(item.get("places") or []),
            "evidence": item["evidence"],
            "action": item["action"],
            "owner": item["owner"],
            "measure": item["measure"],
        }
        for item in summary.get("priorities") or []
    ]
    places = _table_rows(
        (summary.get("priority_places") or {}).get("places") or [],
        {
            "count": tables.count("Crimes"),
            "ratio": tables.derived("Excess", lambda place: number(place["excess_ratio"], 2)),
            "ratio_ci": tables.derived(
                "95% CI", lambda place: interval(place.get("excess_lower"), place.get("excess_upper"), 2)
            ),
        },
        lambda place: {
            "name": f"{place['ward_name']} ({place['lsoa21_name']})"
            if place.get("ward_name")
            else place["lsoa21_name"],
            "expected": number(place["expected"]),
            "in_hot_spot": bool(place.get("in_hot_spot")),
        },
    )
    return {"available": bool(priorities), "priorities": priorities, "places": places}


def _national(assessment: PublishedAssessment) -> dict:
    """The area against England and Wales and its most similar partnerships (bundle `national`): the same months
    on every side, the forces not loaded named, and how similarity was measured."""
    national = assessment.summary.get("national") or {}
    if not national.get("available"):
        return {"available": False, "reason": national.get("reason", "")}
    area, england, similar = national["area"], national["england_and_wales"], national["most_similar"]

    def side(name: str, rate: dict, against: dict | None) -> dict:
        return {"name": name, "count": rate["count"], "rate": rate, "against": against}

    def against(row: dict) -> dict:
        ratio = row["against"]
        return {
            "name": row["name"],
            "ratio": number(ratio["ratio"], 2) if ratio else "",
            "ratio_ci": interval(ratio["lower"], ratio["upper"], 2) if ratio else "",
            "significant": bool(ratio and ratio.get("significant")),
        }

    peers = [peer for peer in similar["partnerships"] if peer["code"] != area["code"]]
    return {
        "available": True,
        "area_name": area["name"],
        "months": month_list(national["months"]),
        "rows": _table_rows(
            [
                side(area["name"], area["rate"], None),
                side("Rest of England and Wales", england["rest_rate"], england["ratio_to_rest"]),
                side(f"Its {len(peers)} most similar partnerships", similar["group_rate"], similar["ratio_to_group"]),
            ],
            {
                "count": tables.count("Crimes"),
                "rate": tables.derived("Rate", lambda row: number(row["rate"]["rate"])),
                "rate_ci": tables.derived("95% CI", lambda row: interval(row["rate"]["lower"], row["rate"]["upper"])),
            },
            against,
        ),
        "peers": _table_rows(
            peers,
            RATE_CELLS,
            lambda peer: {"rank": peer["rank"], "name": peer["csp_name"], "force": peer["pfa_name"]},
        ),
        "forces_missing": join_words(national.get("forces_missing") or []) or "none",
        "method": similar["method"],
    }


PARTS: dict[str, Callable[[PublishedAssessment], dict]] = {
    "partner_factors": _partner_factors,
    "priorities": _priorities,
    "national": _national,
}


def build(assessment: PublishedAssessment) -> dict:
    """The fields of a RenderedDashboard for `assessment`."""
    overview, trend_svg = _overview(assessment)
    areas, area_maps = _areas(assessment)
    hot_spots, hot_spot_maps = _hot_spots(assessment)
    comparison, comparison_svg = _comparison(assessment)
    return {
        "area_code": assessment.area_code,
        "published_at": assessment.published_at,
        "renderer_version": RENDERER_VERSION,
        "rendered_at": timezone.now(),
        "overview": overview,
        "areas": areas,
        "hot_spots": hot_spots,
        "comparison": comparison,
        "staff": _staff(assessment),
        "report": _report(assessment),
        "trend_svg": trend_svg,
        **area_maps,
        **hot_spot_maps,
        "comparison_svg": comparison_svg,
        "parts": {name: part(assessment) for name, part in PARTS.items()},
        # Only the CSV view reads these (the pages never load them).
        "downloads": downloads.build(assessment),
    }


def render_dashboard(assessment: PublishedAssessment) -> RenderedDashboard:
    """Build (or build again) the dashboard for `assessment` and store it."""
    rendered, _ = RenderedDashboard.objects.update_or_create(assessment=assessment, defaults=build(assessment))
    return rendered


def on_assessment_published(sender, assessment: PublishedAssessment, **kwargs) -> None:
    """portal.insights.signals.assessment_published: build the new assessment's pages (inside its transaction)."""
    render_dashboard(assessment)


def newest_dashboard(area_code: str | None = None, fields: tuple[str, ...] = ()) -> RenderedDashboard | None:
    """The dashboard of the most recently approved assessment for the area (portal.publication: a draft is
    never shown), with its `version` and `approved_at` (one query), rebuilt first if this portal version builds
    dashboards differently. `fields`: load only these (plus what is needed to check)."""
    area_code = area_code or settings.VRU_AREA_CODE
    queryset = (
        RenderedDashboard.objects.filter(area_code=area_code, assessment__release__status="approved")
        .annotate(version=F("assessment__release__version"), approved_at=F("assessment__release__approved_at"))
        .order_by("-approved_at", "-pk")
    )
    if fields:
        queryset = queryset.only("pk", "assessment_id", "area_code", "published_at", "renderer_version", *fields)
    rendered = queryset.first()
    if rendered is not None and rendered.renderer_version != RENDERER_VERSION:
        version, approved_at = rendered.version, rendered.approved_at
        rendered = render_dashboard(PublishedAssessment.objects.get(pk=rendered.assessment_id))
        rendered.version, rendered.approved_at = version, approved_at
    return rendered
