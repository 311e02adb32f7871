"""Section 5, nature and extent: volume, trend, seasonality, categories, comparison
(templates/sections/nature.html.j2)."""

from __future__ import annotations

from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation import svg
from vru.presentation.formatting import (
    confidence_label,
    humanise,
    interval,
    join_words,
    month_list,
    month_of_year,
    number,
    p_value,
    percent,
    period,
    plural,
    ratio,
    signed_percent,
    thousands,
)
from vru.presentation.tables import count, counts, derived, text
from vru.report import alt_text
from vru.report.model import Figure, Table
from vru.report.sections.common import REPORT_CHART_WIDTH, Common, Registry, profile_month_chart, strip_doc_refs


class NatureContext(TypedDict):
    """What templates/sections/nature.html.j2 prints as `nature`."""

    volume: Table
    categories: Table
    monthly: Figure
    trend: dict
    trend_change: str
    trend_interval: str
    trend_p: str
    trend_family: str
    trend_dispersion: str
    trend_notes: list
    change_text: str | None
    same_months: Table | None
    latest: dict
    latest_table: Table
    latest_ratio: str
    latest_change: str
    latest_reason: str
    seasonal: Figure | None
    comparison_complete: bool
    comparison_note: str
    comparison: Figure | None
    national: dict


def build(bundle: Bundle, registry: Registry, common: Common) -> NatureContext:
    summary = bundle.summary
    result: dict = {}
    volume_rows = []
    for row in summary["volume"]:
        allages = row.get("rate_per_1000") or {}
        volume_rows.append(
            [
                row["year"] + (" (part-year)" if row["partial_year"] else ""),
                thousands(row["months"]),
                thousands(row["count"]),
                thousands(row.get("annualised_count")),
                number(allages.get("rate")),
                interval(allages.get("lower"), allages.get("upper")),
            ]
        )
    partial = [row for row in summary["volume"] if row["partial_year"]]
    result["volume"] = registry.table(
        Table(
            caption=f"Crimes in the profile by calendar year, with rates per {common.per_text} residents a year",
            columns=[
                "Year",
                "Months with data",
                "Crimes",
                "Annualised",
                f"Rate per {common.per_text}",
                common.ci,
            ],
            rows=volume_rows,
            numeric=[False] + [True] * 5,
            notes=[
                (
                    "Part-years: "
                    + "; ".join(f"{row['year']} has {plural(row['months'], 'month')} of data" for row in partial)
                    + ". Annualised figures scale the crimes in the months with data to a whole year; rates are "
                    "annualised the same way. "
                    if partial
                    else ""
                )
                + (summary.get("youth_rates") or "")
            ],
            compact=True,
        ),
        "table-volume",
    )
    # Categories by year (summed from monthly.parquet).
    categories = summary["profile"].get("police_uk_categories") or []
    monthly = bundle.monthly[bundle.monthly["category"].isin(categories)].copy()
    monthly["year"] = monthly["month"].str[:4]
    pivot = monthly.pivot_table(index="category", columns="year", values="count", aggfunc="sum", fill_value=0)
    years = [row["year"] for row in summary["volume"]]
    part_years = {row["year"] for row in partial}
    result["categories"] = registry.table(
        Table.of(
            "Crimes in the profile by police.uk category and year",
            [
                text("Category", "category"),
                *counts(
                    years,
                    lambda row, year: row["years"][year],
                    header=lambda y: y + (" (part)" if y in part_years else ""),
                ),
                count("All", lambda row: sum(row["years"].values())),
            ],
            [
                {
                    "category": category,
                    "years": {
                        year: pivot.loc[category, year] if category in pivot.index and year in pivot.columns else 0
                        for year in years
                    },
                }
                for category in categories
            ],
        ),
        "table-categories",
    )
    # Monthly chart.
    months = common.expected
    values = common.profile_months
    missing = summary["missing_months"]
    title = f"Crimes in the profile per month, {period(summary['period']['from'], summary['period']['to'])}"
    alt = alt_text.monthly_series(
        months,
        [values.get(month) for month in months],
        missing,
        months[0],
        months[-1],
        "monthly counts of crimes in the profile",
    )
    table = _month_grid(months, values, "Data for the chart: crimes in the profile per month")
    figure = Figure(id="monthly", title=title, filename="figure-monthly.svg", alt=alt, table=table)
    if missing:
        figure.notes = [
            f"Grey bands marked “No data” are months not in the loaded data ({month_list(missing)}): the line "
            "is not joined across them."
        ]
    result["monthly"] = registry.figure(
        figure,
        profile_month_chart(common, id_prefix="monthly", title=title, alt=alt),
    )
    # Trend.
    trend = summary["trend"]
    result["trend"] = trend
    result["trend_change"] = signed_percent(trend.get("annual_change_percent"))
    result["trend_interval"] = interval(trend.get("annual_change_lower"), trend.get("annual_change_upper"), 1, "%")
    result["trend_p"] = p_value(trend.get("p_value"))
    result["trend_family"] = humanise(trend.get("family"))
    result["trend_dispersion"] = number(trend.get("dispersion"), 2)
    change = summary.get("change") or {}
    trend_finding = next((f for f in summary["findings"] if f["id"] == "trend"), None)
    result["change_text"] = trend_finding["text"] if change and trend_finding else None
    result["same_months"] = _same_months(registry, change)
    result["trend_notes"] = [strip_doc_refs(note) for note in trend.get("notes") or []]
    # Latest 12 vs previous 12.
    latest = summary["latest_12_months"]
    sides = []
    for key, label in (("previous", "Previous 12 months"), ("latest", "Latest 12 months")):
        side = latest[key]
        sides.append(
            [
                label,
                period(side["first_month"], side["last_month"]),
                thousands(side["months_present"]),
                month_list(side["missing_months"]) if side["missing_months"] else "none",
                thousands(side["count"]),
                number(side.get("mean_per_month")),
            ]
        )
    result["latest"] = latest
    result["latest_table"] = registry.table(
        Table(
            caption="Latest 12 months against the 12 months before",
            columns=["", "Months", "Months with data", "Missing", "Crimes", "Mean a month"],
            rows=sides,
            numeric=[False, False, True, False, True, True],
        ),
        "table-latest",
    )
    result["latest_ratio"] = (
        f"{ratio(latest.get('ratio'))} ({confidence_label(latest.get('confidence'))} "
        f"{interval(latest.get('ratio_lower'), latest.get('ratio_upper'), 2)}; {p_value(latest.get('p_value'))})"
    )
    result["latest_change"] = signed_percent(latest.get("percent_change"))
    result["latest_reason"] = latest.get("reason") or ""
    # Seasonal profile.
    seasonal = summary.get("seasonal_profile") or []
    if seasonal:
        month_numbers = [row["month_of_year"] for row in seasonal]
        index = [row.get("index") for row in seasonal]
        adjusted = trend.get("seasonal_rate_ratios") or [None] * len(seasonal)
        title = "Seasonal profile: average month of the year compared with an average month"
        alt = alt_text.seasonal_profile(month_numbers, index)
        table = Table(
            caption="Data for the chart: mean crimes by month of the year",
            columns=["Month", "Mean crimes", "Years seen", "Index", "Model seasonal factor"],
            rows=[
                [
                    month_of_year(row["month_of_year"]),
                    number(row.get("mean_count")),
                    thousands(row.get("months_observed")),
                    number(row.get("index"), 2),
                    number(adjusted[i] if i < len(adjusted) else None, 2),
                ]
                for i, row in enumerate(seasonal)
            ],
            numeric=[False, True, True, True, True],
            notes=[
                "Index: the month's mean over the years it was seen, divided by the mean of the twelve monthly means "
                "(descriptive, not adjusted for trend). Model seasonal factor: the trend model's month effect, "
                "adjusted for trend."
            ],
        )
        figure = Figure(id="seasonal", title=title, filename="figure-seasonal.svg", alt=alt, table=table)
        present = [value for value in index if value is not None]
        result["seasonal"] = registry.figure(
            figure,
            svg.bar_chart(
                [
                    svg.Bar(
                        month_of_year(month)[:3], value, value_text=thousands(value, 2) if value is not None else ""
                    )
                    for month, value in zip(month_numbers, index, strict=True)
                ],
                id_prefix="seasonal",
                title=title,
                desc=alt,
                y_label="Index (average month = 1)",
                width=REPORT_CHART_WIDTH,
                reference=("average month", 1.0),
                y_range=(min(0.8, min(present, default=1) - 0.05), max([*present, 1]) + 0.08),
            ),
        )
    else:
        result["seasonal"] = None
    # Comparison with the other partnerships and the force.
    comparison = summary.get("comparison") or {}
    result["comparison_complete"] = bool(comparison.get("complete"))
    result["comparison_note"] = comparison.get("note") or ""
    result["comparison"] = None
    rows = bundle.records("comparison")
    if comparison.get("complete") and rows:
        partnerships = [row for row in rows if row["level"] != "pfa"]
        force = next((row for row in rows if row["level"] == "pfa"), None)
        focus = next((row for row in rows if row.get("is_focus")), None)
        focus_name = focus["name"] if focus else ""
        title = (
            f"Rate of crimes in the profile per {common.per_text} residents a year: "
            f"partnerships in {summary['area']['pfa_name']}"
        )
        alt = alt_text.comparison(
            [row["name"] for row in partnerships],
            [row["rate"] for row in partnerships],
            focus_name,
            force["name"] if force else None,
            force["rate"] if force else None,
            measure=f"rates per {common.per_text} residents a year with {common.ci}",
        )
        table_rows = [
            [
                row["name"]
                + (" (this area)" if row.get("is_focus") else "")
                + (" (force)" if row["level"] == "pfa" else ""),
                thousands(row["count"]),
                thousands(row.get("population")),
                number(row.get("rate")),
                interval(row.get("lower"), row.get("upper")),
                thousands(row.get("rank")) if row.get("rank") is not None else "\u2013",
                ratio(row.get("focus_ratio")) if row.get("focus_ratio") is not None else "\u2013",
            ]
            for row in sorted(rows, key=lambda r: (r["level"] == "pfa", r.get("rank") or 0))
        ]
        table = Table(
            caption="Data for the chart: partnerships and the force",
            columns=[
                "Area",
                "Crimes",
                "Population",
                f"Rate per {common.per_text} a year",
                common.ci,
                "Rank (1 = highest)",
                "Ratio*",
            ],
            rows=table_rows,
            numeric=[False] + [True] * 6,
            notes=[
                f"* {focus_name or 'The area'}'s rate divided by the row's rate.",
                comparison.get("note") or "",
            ],
            compact=True,
        )
        figure = Figure(id="comparison", title=title, filename="figure-comparison.svg", alt=alt, table=table)
        figure.notes = [
            f"Bars show each partnership's rate and the whiskers its {common.ci}; the dashed line "
            "is the force as a whole."
        ]
        labels = [row["name"] + (" (this area)" if row.get("is_focus") else "") for row in partnerships]
        drawing = svg.interval_chart(
            [
                svg.IntervalRow(
                    label, row["rate"], row["lower"], row["upper"], bool(row.get("is_focus")), number(row["rate"])
                )
                for label, row in sorted(zip(labels, partnerships, strict=True), key=lambda pair: -pair[1]["rate"])
            ],
            id_prefix="comparison",
            title=title,
            desc=alt,
            reference=(f"{force['name']} {thousands(force['rate'], 1)}", force["rate"]) if force else None,
            unit=f"Rate per {common.per_text} residents a year",
            width=760.0,
            label_width=max(210.0, 8.0 * max(len(label) for label in labels) + 16),
        )
        result["comparison"] = registry.figure(figure, drawing)
    result["national"] = _national(summary.get("national") or {}, registry, common)
    return result


def _national(national: dict, registry: Registry, common: Common) -> dict:
    """The area against England and Wales (the rest of it) and its most similar partnerships nationally
    (bundle `national`): same months on every side, the forces not loaded named, the similarity method said."""
    if not national.get("available"):
        return {"available": False, "reason": strip_doc_refs(national.get("reason") or "")}
    months = national["months"]
    area = national["area"]
    england = national["england_and_wales"]
    similar = national["most_similar"]
    per = common.per_text
    peers = [row for row in similar["partnerships"] if row["code"] != area["code"]]

    def ratio_cells(result: dict) -> list[str]:
        return [
            f"{ratio(result['ratio'])} ({interval(result['lower'], result['upper'], 2)})",
            p_value(result.get("p_value")),
            "yes" if result.get("significant") else "no",
        ]

    def side(name: str, rate: dict, against: dict | None = None) -> dict:
        return {
            "name": name,
            "count": rate["count"],
            "rate": rate,
            "against": ratio_cells(against) if against else ["\u2013"] * 3,
        }

    sides = [
        side(area["name"], area["rate"]),
        side("Rest of England and Wales (forces loaded)", england["rest_rate"], england["ratio_to_rest"]),
        side(f"Its {plural(len(peers), 'most similar partnership')}", similar["group_rate"], similar["ratio_to_group"]),
    ]
    missing = national.get("forces_missing") or []
    comparison = registry.table(
        Table.of(
            f"{area['name']} against England and Wales and its most similar partnerships, "
            f"{month_list(months)} (the same months on every side)",
            [
                text("Area", "name"),
                count("Crimes"),
                derived(f"Rate per {per} a year", lambda row: number(row["rate"]["rate"])),
                derived(common.ci, lambda row: interval(row["rate"]["lower"], row["rate"]["upper"])),
                text(
                    f"{area['name']} against it: rate ratio ({common.ci})", lambda row: row["against"][0], numeric=True
                ),
                text("p", lambda row: row["against"][1], numeric=True),
                text("Significant", lambda row: row["against"][2]),
            ],
            sides,
            notes=[
                f"Forces whose police.uk files are not loaded for these months, so not in England and Wales here: "
                f"{join_words(missing) if missing else 'none'} ({thousands(national.get('forces_with_data'))} forces "
                f"and {thousands(national.get('partnerships_compared'))} partnerships compared).",
                f"Ratios: {strip_doc_refs(england['ratio_to_rest'].get('method') or '')}; the rest excludes "
                f"{area['name']} itself. Rates per {per} residents a year (person-years over the months).",
            ],
            compact=True,
        ),
        "table-national",
    )
    excluded = similar.get("excluded") or []
    peers_table = registry.table(
        Table.of(
            f"The partnerships most similar to {area['name']} (rank 0 is {area['name']} itself)",
            [
                text("Rank", lambda row: thousands(row["rank"]), numeric=True),
                text("Partnership", "csp_name"),
                text("Force", "pfa_name"),
                text("IMD 2025 score", lambda row: number(row["imd2025_score"]), numeric=True),
                text("Aged 10-24", lambda row: percent(row["share_aged_10_24"], 1), numeric=True),
                text("Aged 65+", lambda row: percent(row["share_aged_65_plus"], 1), numeric=True),
                text("Distance", lambda row: number(row["distance"], 2), numeric=True),
                count("Crimes"),
                derived(f"Rate per {per} a year", lambda row: number(row["rate_per_1000"])),
            ],
            similar["partnerships"],
            notes=[
                f"Similarity: {strip_doc_refs(similar.get('method') or '')}, on the population-weighted IMD 2025 "
                "score and the shares of residents aged 10-24 and 65 and over. "
                + strip_doc_refs(similar.get("density") or ""),
                f"{plural(len(excluded), 'partnership')} without an English IMD score (Wales) could not be ranked."
                if excluded
                else "Every partnership compared had the characteristics.",
            ],
            compact=True,
        ),
        "table-most-similar",
    )
    return {"available": True, "table": comparison, "peers": peers_table, "months": month_list(months)}


def _month_grid(months: list[str], values: dict, caption: str) -> Table:
    """Months as a year × month-of-year grid: compact enough to print under the chart."""

    def cell(row: dict, number_: int) -> object:
        month = f"{row['year']}-{number_:02d}"
        if month not in months:
            return "\u2013"
        return values[month] if month in values else "no data"

    return Table.of(
        caption,
        [
            text("Year", "year"),
            *counts(range(1, 13), cell, header=lambda number_: month_of_year(number_)[:3]),
        ],
        [{"year": year} for year in sorted({month[:4] for month in months})],
        notes=[
            "\u201cno data\u201d: the month is not in the loaded data (whether police.uk holds it: vru fetch "
            "--check-available); \u201c\u2013\u201d: outside the period."
        ],
        compact=True,
    )


def _same_months(registry: Registry, change: dict) -> Table | None:
    """The same calendar months each year, for the area and (when loaded) the rest of its force."""
    sides = (change or {}).get("same_months_by_year") or {}
    area = sides.get("area")
    if not area or not area.get("years"):
        return None
    labels = {
        "area": "The area",
        "rest_of_force": "Rest of the force",
        "force_with_location": "Force (with a location)",
    }
    years = [row["year"] for row in area["years"]]
    rows = []
    for key, label in labels.items():
        side = sides.get(key)
        if not side:
            continue
        cells = []
        for row in side["years"]:
            change_text = "" if row["change_percent"] is None else f" ({signed_percent(row['change_percent'])})"
            cells.append(thousands(row["count"]) + change_text)
        rows.append([label, *cells])
    months = ", ".join(month_of_year(m) for m in area["months_of_year"])
    return registry.table(
        Table(
            caption=f"Crimes in the profile in the same months of every year ({months}), change on the year before",
            columns=["", *years],
            rows=rows,
            numeric=[False] + [True] * len(years),
        ),
        "table-same-months",
    )
