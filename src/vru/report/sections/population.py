"""Section 4, population profile: population, deprivation and the IMD map (templates/sections/population.html.j2)."""

from __future__ import annotations

from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation import svg
from vru.presentation import tables as columns
from vru.presentation.classes import sequential_colours
from vru.presentation.formatting import (
    confidence_label,
    interval,
    is_missing,
    number,
    p_value,
    percent,
    plural,
    sentence,
    thousands,
)
from vru.report import alt_text, figures
from vru.report.model import Figure, Table
from vru.report.sections.common import REPORT_CHART_WIDTH, Common, Registry, appendix_letter, strip_doc_refs

DOMAINS = {
    "imd_score": "Index of Multiple Deprivation (overall)",
    "income_score": "Income",
    "employment_score": "Employment",
    "education_score": "Education, skills and training",
    "health_score": "Health and disability",
    "crime_score": "Crime",
    "housing_score": "Barriers to housing and services",
    "environment_score": "Living environment",
}


def _decile_table(rows: list[dict], edition: str, per_text: str, ci: str) -> Table:
    def areas(value):
        return lambda row: value(row) if row.get("lsoas") else "\u2013"

    return Table.of(
        f"Rate by {edition} decile (1 = most deprived)",
        [
            columns.text("Decile", lambda row: f"{row['imd_decile']}"),
            columns.text("LSOAs", lambda row: thousands(row.get("lsoas")), numeric=True),
            columns.count("Crimes", lambda row: row.get("count") if row.get("lsoas") else "no areas"),
            columns.text("Population", areas(lambda row: thousands(row.get("population"))), numeric=True),
            columns.derived(f"Rate per {per_text} a year", areas(lambda row: number(row.get("rate_per_1000")))),
            columns.derived(ci, areas(lambda row: interval(row.get("lower"), row.get("upper")))),
        ],
        rows,
    )


class PopulationContext(TypedDict):
    """What templates/sections/population.html.j2 prints as `population`."""

    year: int
    total: str
    aged_10_24: str
    share_10_24: str
    source: str
    lsoas: str
    wards: str
    caveat: str
    imd_map: Figure | None
    decile_chart: Figure | None
    editions: dict
    decile_table_2019: Table | None
    correlations: Table


def build(bundle: Bundle, registry: Registry, common: Common) -> PopulationContext:
    summary = bundle.summary
    population = summary["population"]
    deprivation = summary["deprivation"]
    lsoa = common.lsoa
    boundaries = bundle.boundary_frame("lsoa21")
    result = {
        "year": population["year"],
        "total": thousands(population["total"]),
        "aged_10_24": thousands(population["aged_10_24"]),
        "share_10_24": percent(population["aged_10_24"] / population["total"]) if population["total"] else "n/a",
        "source": strip_doc_refs(population["source"]),
        "lsoas": thousands(summary["area"]["lsoa21_count"]),
        "wards": thousands(len(bundle.ward)),
        "caveat": strip_doc_refs(deprivation.get("caveat") or ""),
        "imd_map": None,
        "decile_chart": None,
    }
    # Map of IMD 2025 decile by LSOA.
    if not boundaries.empty and "imd2025_decile" in lsoa:
        frame = boundaries.merge(lsoa, left_on="code", right_on="lsoa21_code", how="inner")
        deciles = [int(d) if not is_missing(d) else None for d in frame["imd2025_decile"]]
        colours = sequential_colours(10)[::-1]  # decile 1 (most deprived) darkest
        legend = []
        for decile in range(1, 11):
            n = sum(1 for d in deciles if d == decile)
            label = f"{decile}" + (" (most deprived)" if decile == 1 else " (least deprived)" if decile == 10 else "")
            legend.append(figures.MapClass(label, colours[decile - 1], count=n))
        classes = [d - 1 if d else -1 for d in deciles]
        title = f"Deprivation (IMD 2025 decile) of each neighbourhood in {summary['area']['name']}"
        alt = alt_text.categorical_map(
            len(frame),
            "neighbourhoods (LSOAs)",
            summary["area"]["name"],
            "national IMD 2025 decile, 1 = most deprived",
            [(f"decile {entry.label.split()[0]}", entry.count) for entry in legend],
        )
        table_rows = [[entry.label, thousands(entry.count)] for entry in legend]
        figure = Figure(
            id="imd-map",
            title=title,
            filename="figure-imd2025-map.svg",
            alt=alt,
            kind="map",
            table=Table(
                caption="Data for the map: neighbourhoods by IMD 2025 decile (every LSOA in "
                f"appendix {appendix_letter('lsoa-table')})",
                columns=["IMD 2025 decile", "LSOAs"],
                rows=table_rows,
                numeric=[False, True],
            ),
            notes=["Deciles are national: decile 1 holds the most deprived 10% of neighbourhoods in England."],
        )
        drawing = figures.draw_map(
            frame,
            classes,
            legend,
            "IMD 2025 decile (LSOAs)",
            bundle.boundary_frame("lad"),
            {},
            title,
            alt,
            id_prefix="imd-map",
        )
        result["imd_map"] = registry.figure(figure, drawing)
    # Rate by decile.
    editions = {}
    for key, label in (("imd2025", "IMD 2025"), ("imd2019", "IMD 2019")):
        data = deprivation.get(key)
        if not data:
            continue
        quintile = data.get("quintile_ratio") or {}
        editions[key] = {
            "label": label,
            "note": strip_doc_refs(data.get("note") or ""),
            "quintile": quintile,
            "ratio_text": (
                f"{number(quintile['ratio'])} times (95% CI {interval(quintile['lower'], quintile['upper'])}, "
                f"{p_value(quintile.get('p_value'))})"
            ).replace("95% CI", confidence_label(quintile.get("confidence")))
            if quintile.get("ratio") is not None
            else (quintile.get("reason") or quintile.get("note") or "not available"),
            "most": (
                f"{number(quintile.get('rate_most_deprived'))} per {common.per_text} "
                f"({plural(quintile.get('lsoas_most_deprived'), 'LSOA')})"
            ),
            "least": (
                f"{number(quintile.get('rate_least_deprived'))} per {common.per_text} "
                f"({plural(quintile.get('lsoas_least_deprived'), 'LSOA')})"
            ),
        }
    result["editions"] = editions
    rows25 = deprivation.get("imd2025", {}).get("rate_by_decile") or []
    if rows25:
        table = _decile_table(rows25, "IMD 2025", common.per_text, common.ci)
        table.caption = "Data for the chart: " + table.caption[0].lower() + table.caption[1:]
        labels = [str(row["imd_decile"]) for row in rows25]
        rates = [None if not row.get("lsoas") else row.get("rate_per_1000") for row in rows25]
        title = f"Rate of crimes in the profile by IMD 2025 decile, per {common.per_text} residents a year"
        alt = alt_text.rate_by_decile(
            [row["imd_decile"] for row in rows25], rates, f"the rate per {common.per_text} residents a year"
        )
        figure = Figure(id="decile-chart", title=title, filename="figure-rate-by-decile.svg", alt=alt, table=table)
        figure.notes = [f"Bars show the rate; the lines show the {common.ci}. Decile 1 is the most deprived."]
        drawing = svg.bar_chart(
            [
                svg.Bar(label, rate, row.get("lower"), row.get("upper"), missing_text="no areas")
                for label, rate, row in zip(labels, rates, rows25, strict=True)
            ],
            id_prefix="decile-chart",
            title=title,
            desc=alt,
            x_label="IMD 2025 decile (1 = most deprived)",
            y_label=f"Rate per {common.per_text} a year",
            width=REPORT_CHART_WIDTH,
        )
        result["decile_chart"] = registry.figure(figure, drawing)
    rows19 = deprivation.get("imd2019", {}).get("rate_by_decile") or []
    result["decile_table_2019"] = (
        registry.table(_decile_table(rows19, "IMD 2019", common.per_text, common.ci), "table-imd2019")
        if rows19
        else None
    )
    correlations = deprivation.get("imd2025_domain_correlations") or []
    result["correlations"] = (
        registry.table(
            Table(
                caption="Spearman correlation of the LSOA rate with IMD 2025 domain scores "
                "(higher score = more deprived)",
                columns=["Domain", "Spearman \u03c1", "p-value", "LSOAs"],
                rows=[
                    [
                        DOMAINS.get(row["domain"], sentence(row["domain"].removesuffix("_score"))),
                        number(row.get("spearman_rho"), 2),
                        p_value(row.get("p_value")).removeprefix("p ").removeprefix("= "),
                        thousands(row.get("n")),
                    ]
                    for row in sorted(correlations, key=lambda r: -(r.get("spearman_rho") or -9))
                ],
                numeric=[False, True, True, True],
            ),
            "table-domains",
        )
        if correlations
        else None
    )
    return result
