"""Section 6, where violence happens: rates, hot spots, clusters, concentration, locations, night-time economy
(templates/sections/where.html.j2)."""

from __future__ import annotations

from typing import TypedDict

import pandas as pd

from vru.bundle import Bundle
from vru.presentation import svg
from vru.presentation import tables as columns
from vru.presentation.classes import (
    COLD_SPOT_SHADES,
    HOT_SPOT_SHADES,
    NOT_SIGNIFICANT,
    classify,
    quantile_breaks,
    sequential_colours,
)
from vru.presentation.formatting import (
    humanise,
    interval,
    is_missing,
    join_words,
    number,
    p_value,
    percent,
    plural,
    ratio,
    sentence,
    thousands,
    yes_no,
)
from vru.report import alt_text, figures
from vru.report.model import Figure, Table
from vru.report.recommendations import area_label
from vru.report.sections.common import PDF_TABLE_ROWS, Common, Registry, appendix_letter, strip_doc_refs

MAP_HOT_LABELS = 5  # hot spots numbered on the map (the strongest); the table under the map lists them all


MAP_COLD_LABELS = 3


def _class_legend(values: list[float], n_classes: int = 5) -> tuple[list[float], list[int], list[figures.MapClass]]:
    edges = quantile_breaks(values, n_classes)
    classes = [classify(value, edges) for value in values]
    n = max(1, len(edges) - 1)
    colours = sequential_colours(n)
    legend = []
    for index in range(n):
        low, high = (edges[index], edges[index + 1]) if len(edges) > 1 else (edges[0], edges[0])
        legend.append(
            figures.MapClass(
                f"{number(low)} to {number(high)}",
                colours[index],
                count=sum(1 for cls in classes if cls == index),
            )
        )
    return edges, classes, legend


def _rate_map(
    registry: Registry,
    common: Common,
    frame,
    outline,
    *,
    figure_id: str,
    filename: str,
    title: str,
    name_column: str,
    units: tuple[str, str],
    table,
    notes: list[str],
) -> Figure:
    """A map of the rate per 1,000 residents a year in quantile classes, the three highest numbered;
    `table(legend)` is the figure's data table."""
    values = [float(v) for v in frame["rate_per_1000"]]
    edges, classes, legend = _class_legend(values)
    top = frame.sort_values("rate_per_1000", ascending=False).head(3)
    labels = {int(i): row[name_column] for i, row in top.iterrows()}
    alt = alt_text.choropleth(
        len(frame),
        units[0],
        common.area_name,
        f"rate per {common.per_text} residents a year",
        edges[0] if edges else None,
        edges[-1] if edges else None,
        len(legend),
        list(top[name_column]),
    )
    figure = Figure(id=figure_id, title=title, filename=filename, alt=alt, table=table(legend), kind="map", notes=notes)
    drawing = figures.draw_map(
        frame,
        classes,
        legend,
        f"Rate per {common.per_text} a year ({units[1]})",
        outline,
        labels,
        title,
        alt,
        id_prefix=figure_id,
    )
    return registry.figure(figure, drawing)


class WhereContext(TypedDict):
    """What templates/sections/where.html.j2 prints as `where`."""

    where: dict
    method: dict
    lsoa_map: Figure | None
    ward_map: Figure | None
    hotspot_map: Figure | None
    hot_count: int
    cold_count: int
    islands: list
    moran: dict
    moran_clusters: str
    top_lsoas: Table
    concentration_table: Table
    concentration_chart: Figure | None
    locations: Table
    persistence_table: Table
    years_table: Table
    ever_hot: list
    night_time_economy: dict | None
    own_excess: dict | None
    clusters: dict | None


def build(bundle: Bundle, registry: Registry, common: Common) -> WhereContext:
    summary = bundle.summary
    where = summary["where"]
    lsoa = common.lsoa
    result: dict = {"where": where, "method": where.get("method") or {}}
    boundaries = bundle.boundary_frame("lsoa21")
    outline = bundle.boundary_frame("lad")
    unit_word = "neighbourhoods (LSOAs)"
    # Rate choropleths: neighbourhoods, then wards.
    result["lsoa_map"] = None
    if not boundaries.empty:
        result["lsoa_map"] = _rate_map(
            registry,
            common,
            boundaries.merge(lsoa, left_on="code", right_on="lsoa21_code", how="inner").reset_index(drop=True),
            outline,
            figure_id="lsoa-map",
            filename="figure-lsoa-rate-map.svg",
            title=f"Rate of crimes in the profile per {common.per_text} residents a year, by neighbourhood (LSOA)",
            name_column="label",
            units=(unit_word, "LSOAs"),
            table=lambda legend: Table(
                caption=f"Data for the map: classes of rate per {common.per_text} residents a year "
                f"(every LSOA in appendix {appendix_letter('lsoa-table')})",
                columns=[f"Rate per {common.per_text} a year", "LSOAs"],
                rows=[[entry.label, thousands(entry.count)] for entry in legend],
                numeric=[False, True],
            ),
            notes=[
                "Classes hold about the same number of neighbourhoods (quintiles). Numbered circles mark the three "
                "highest rates, named in the legend. Neighbourhoods with few residents, such as "
                "city centres, have high rates because crimes "
                "there involve visitors as well as residents."
            ],
        )
    ward = bundle.ward.sort_values(["rank", "ward_name"]).reset_index(drop=True)
    wards = bundle.boundary_frame("ward")
    result["ward_map"] = None
    if not wards.empty:
        result["ward_map"] = _rate_map(
            registry,
            common,
            wards.merge(ward, left_on="code", right_on="ward_code", how="inner").reset_index(drop=True),
            outline,
            figure_id="ward-map",
            filename="figure-ward-rate-map.svg",
            title=f"Rate of crimes in the profile per {common.per_text} residents a year, by ward",
            name_column="ward_name",
            units=("wards", "wards"),
            table=lambda legend: Table.of(
                f"Data for the map: wards by rate per {common.per_text} residents a year",
                [
                    columns.text("Ward", lambda row: row["ward_name"]),
                    columns.text("LSOAs", lambda row: thousands(row["lsoas"]), numeric=True),
                    columns.count("Crimes"),
                    columns.text("Population", lambda row: thousands(row["population_total"]), numeric=True),
                    columns.derived(f"Rate per {common.per_text}", lambda row: number(row["rate_per_1000"])),
                    columns.derived(common.ci, lambda row: interval(row["rate_lower"], row["rate_upper"])),
                    columns.text("Rank", lambda row: thousands(row["rank"]), numeric=True),
                ],
                ward.to_dict("records"),
                notes=[
                    "Wards are built from whole LSOAs (best fit), so their populations and counts can differ slightly "
                    "from official ward figures."
                ],
                print_rows=PDF_TABLE_ROWS,
                compact=True,
            ),
            notes=[
                "Classes hold about the same number of wards. Numbered circles mark the three highest rates, named "
                "in the legend."
            ],
        )
    # Gi* hot spot map.
    result["hotspot_map"] = None
    hot = lsoa[lsoa["hotspot"] == "hot spot"].sort_values("gi_z", ascending=False)
    cold = lsoa[lsoa["hotspot"] == "cold spot"].sort_values("gi_z")
    if not boundaries.empty:
        frame = boundaries.merge(lsoa, left_on="code", right_on="lsoa21_code", how="inner").reset_index(drop=True)
        legend = []
        keys = []
        for kind, palette, hatch in (
            ("hot spot", HOT_SPOT_SHADES, "diagonal"),
            ("cold spot", COLD_SPOT_SHADES, "dots"),
        ):
            for level in sorted(palette, reverse=True):
                n = int(((frame["hotspot"] == kind) & (frame["hotspot_confidence"] == level)).sum())
                if n:
                    legend.append(figures.MapClass(f"{sentence(kind)}, {level}% confidence", palette[level], hatch, n))
                    keys.append((kind, level))
        other = int((~frame["hotspot"].isin(["hot spot", "cold spot"])).sum())
        legend.append(figures.MapClass("Not significant", NOT_SIGNIFICANT, "", other))
        keys.append(("other", None))
        classes = []
        for row in frame.to_dict("records"):
            key = (
                (row["hotspot"], row["hotspot_confidence"])
                if row["hotspot"] in ("hot spot", "cold spot")
                else ("other", None)
            )
            classes.append(keys.index(key) if key in keys else len(keys) - 1)
        # Numbered on the map: the strongest hot and cold spots (every one is in the table under the map).
        strongest_hot = frame[frame["hotspot"] == "hot spot"].sort_values("gi_z", ascending=False).head(MAP_HOT_LABELS)
        strongest_cold = frame[frame["hotspot"] == "cold spot"].sort_values("gi_z").head(MAP_COLD_LABELS)
        labels = {int(i): f"{row['label']}, hot spot" for i, row in strongest_hot.iterrows()}
        labels |= {int(i): f"{row['label']}, cold spot" for i, row in strongest_cold.iterrows()}
        title = "Hot and cold spots of crimes in the profile (Getis-Ord Gi*)"
        alt = alt_text.hotspot_map(
            len(frame), unit_word, summary["area"]["name"], list(hot["label"]), list(cold["label"])
        )
        significant = pd.concat([hot, cold]).to_dict("records")
        none = {"label": "none", "hotspot": "no area is significant", "hotspot_confidence": None}
        table = Table.of(
            "Data for the map: significant hot and cold spots (all other neighbourhoods are not significant)",
            [
                columns.text("Neighbourhood (ward)", lambda row: row["label"]),
                columns.text("Class", lambda row: sentence(row["hotspot"]) if significant else row["hotspot"]),
                columns.text(
                    "Confidence",
                    lambda row: (
                        f"{thousands(row['hotspot_confidence'])}%"
                        if not is_missing(row["hotspot_confidence"])
                        else "\u2013"
                    ),
                    numeric=True,
                ),
                columns.count("Crimes", lambda row: row["count"] if significant else "\u2013"),
                columns.text("Gi* z", lambda row: number(row["gi_z"], 2) if significant else "\u2013", numeric=True),
                columns.text(
                    "FDR-adjusted p", lambda row: number(row["gi_p_fdr"], 4) if significant else "\u2013", numeric=True
                ),
                columns.text("Persistence", lambda row: humanise(row["persistence"]) if significant else "\u2013"),
            ],
            significant or [none],
            print_rows=PDF_TABLE_ROWS,
            compact=True,
        )
        figure = Figure(
            id="hotspot-map",
            title=title,
            filename="figure-hotspot-map.svg",
            alt=alt,
            table=table,
            kind="map",
            notes=[
                "Hot spots are red with diagonal hatching, cold spots blue with dots, and numbered circles name "
                "the strongest in the legend, so colour is not the only cue. "
                f"Statistic: {where.get('method', {}).get('statistic', '')}; "
                f"{where.get('method', {}).get('p_values', '')}; "
                f"{thousands(where.get('method', {}).get('permutations'))} permutations."
            ],
        )
        result["hotspot_map"] = registry.figure(
            figure,
            figures.draw_map(
                frame,
                classes,
                legend,
                "Gi* class (LSOAs)",
                outline,
                labels,
                title,
                alt,
                id_prefix="hotspot-map",
                edge="#b1b4b6",
            ),
        )
    result["hot_count"] = where.get("hot_spots", 0)
    result["cold_count"] = where.get("cold_spots", 0)
    result["islands"] = where.get("islands") or []
    moran = where.get("global_moran") or {}
    result["moran"] = {
        "I": number(moran.get("I"), 3),
        "expected": number(moran.get("expected_I"), 4),
        "z": number(moran.get("z"), 2),
        "p": p_value(moran.get("p_sim")),
        "significant": bool(moran.get("significant")),
        "pattern": moran.get("pattern") or "",
    }
    result["moran_clusters"] = join_words(
        f"{thousands(n)} {key}" for key, n in sorted((where.get("moran_clusters") or {}).items(), key=lambda kv: -kv[1])
    )
    # Top LSOAs.
    result["top_lsoas"] = registry.table(
        Table.of(
            "The neighbourhoods with the most crimes in the profile",
            [
                columns.text("Neighbourhood (ward)", lambda row: area_label(row, common.full_names)),
                columns.text("LSOA code", lambda row: row["lsoa21_code"]),
                columns.count("Crimes"),
                columns.derived(f"Rate per {common.per_text} a year", lambda row: number(row["rate_per_1000"])),
                columns.text("Gi* class", lambda row: humanise(row["hotspot"])),
                columns.text("Persistence", lambda row: humanise(row["persistence"])),
            ],
            where.get("top_lsoas") or [],
            compact=True,
        ),
        "table-top-lsoas",
    )
    # Concentration.
    concentration = summary["concentration"]
    conc_rows = []
    for key, label in (("lsoa", "Neighbourhoods (LSOAs)"), ("snap_points", "Locations (police.uk map points)")):
        block = concentration.get(key) or {}
        for group in block.get("groups", []):
            conc_rows.append(
                [
                    f"{label}: top {percent(group['share_of_units'])}",
                    f"{thousands(group['units'])} of {thousands(block.get('n_units'))}",
                    thousands(group["incidents"]),
                    percent(group["share_of_incidents"], 1),
                ]
            )
    result["concentration_table"] = registry.table(
        Table(
            caption="How concentrated crimes in the profile are",
            columns=["Units", "Number", "Crimes", "Share of crimes"],
            rows=conc_rows,
            numeric=[False, True, True, True],
            notes=[
                f"Gini coefficient over neighbourhoods {number(concentration.get('lsoa_gini'), 2)}, over locations "
                f"{number(concentration.get('snap_point_gini'), 2)} (0 = even spread, 1 = all in one place). "
                f"Locations are {strip_doc_refs(concentration.get('snap_point_universe') or '')}."
            ],
        ),
        "table-concentration",
    )
    lorenz = bundle.lorenz.sort_values("share_of_units")
    result["concentration_chart"] = None
    if len(lorenz) > 1:
        top_units = [1 - x for x in lorenz["share_of_units"]][::-1]
        top_share = [1 - y for y in lorenz["share_of_incidents"]][::-1]
        readings = []
        for target in (0.1, 0.2, 0.3, 0.5, 0.75, 1.0):
            index = next((i for i, x in enumerate(top_units) if x >= target - 1e-9), len(top_units) - 1)
            readings.append((top_units[index], top_share[index]))
        marks = [
            (group["actual_share_of_units"], group["share_of_incidents"])
            for group in (concentration.get("lsoa") or {}).get("groups", [])
        ]
        n_units = (concentration.get("lsoa") or {}).get("n_units") or len(lorenz) - 1
        title = (
            "Concentration (Lorenz curve read from the top): share of crimes held by the neighbourhoods with the most"
        )
        alt = alt_text.concentration_curve(
            [readings[0], readings[3]] if len(readings) > 3 else readings, n_units, "neighbourhoods (LSOAs)"
        )
        table = Table(
            caption="Data for the chart: share of crimes held by the top neighbourhoods (read from the Lorenz curve)",
            columns=["Top share of neighbourhoods", "Share of crimes"],
            rows=[[percent(x, 1), percent(y, 1)] for x, y in readings],
            numeric=[True, True],
        )
        figure = Figure(id="concentration", title=title, filename="figure-concentration.svg", alt=alt, table=table)
        figure.notes = [
            "Neighbourhoods are taken from the most crimes to the fewest; labelled dots mark the "
            + join_words(f"top {percent(x)}" for x, _ in marks)
            + "."
        ]
        result["concentration_chart"] = registry.figure(
            figure,
            svg.lorenz_chart(
                top_units,
                top_share,
                [(x, y, f"top {percent(x)}: {percent(y)}") for x, y in marks],
                id_prefix="concentration",
                title=title,
                desc=alt,
                x_label="Share of neighbourhoods, most crimes first",
                y_label="Share of crimes",
            ),
        )
    # Repeat locations.
    by_code = {row["lsoa21_code"]: row for row in lsoa.to_dict("records")}
    locations = bundle.locations.head(15)
    result["locations"] = registry.table(
        Table.of(
            f"The {thousands(len(locations))} locations (police.uk map points) with the most crimes in the profile",
            [
                columns.text("Location", lambda row: row["location"]),
                columns.text(
                    "Neighbourhood (ward)",
                    lambda row: (
                        by_code[row["lsoa21_code"]]["label"] if row["lsoa21_code"] in by_code else row["lsoa21_code"]
                    ),
                ),
                columns.count("Crimes in the profile"),
                columns.count("All street crime there", "all_crime"),
            ],
            locations.to_dict("records"),
            notes=[
                "A police.uk location is an anonymous map point: \u201cOn or near Nightclub\u201d means the crime was "
                "placed at the map point for a nightclub, not necessarily inside it. Two rows with the same name are "
                "different map points."
            ],
            compact=True,
        ),
        "table-locations",
    )
    # Persistence.
    persistence = where.get("persistence") or {}
    definitions = {
        "never": "hot in no year",
        "persistent": "hot in every year",
        "emerging": "hot in the latest year but not the first",
        "diminishing": "hot in the first year but not the latest",
        "intermittent": "hot in some years, not in a run",
    }
    result["persistence_table"] = registry.table(
        Table(
            caption="Persistence of hot spots across calendar years",
            columns=["Class", "Meaning", "LSOAs"],
            rows=[
                [sentence(key), definitions.get(key, ""), thousands(persistence.get(key, 0))]
                for key in ("persistent", "emerging", "diminishing", "intermittent", "never")
                if key in persistence or key != "never"
            ],
            numeric=[False, False, True],
        ),
        "table-persistence",
    )
    years = where.get("years") or {}
    result["years_table"] = registry.table(
        Table(
            caption="Hot spots found in each calendar year",
            columns=["Year", "Months with data", "Hot spots"],
            rows=[
                [
                    year
                    + (
                        " (part-year)"
                        if info["months"] < max(i["months"] for i in years.values()) or info["months"] < 12
                        else ""
                    ),
                    thousands(info["months"]),
                    thousands(info["hot_spots"]),
                ]
                for year, info in sorted(years.items())
            ],
            numeric=[False, True, True],
        ),
        "table-years",
    )
    ever = lsoa[lsoa["persistence"].fillna("never") != "never"].sort_values("count", ascending=False)
    result["ever_hot"] = [
        f"{row['label']}: {humanise(row['persistence'])}, hot in {join_words(str(row['years_hot']).split(','))}"
        for row in ever.to_dict("records")
    ]
    result["night_time_economy"] = _night_time_economy(summary.get("night_time_economy") or {}, registry)
    result["own_excess"] = _own_excess(summary, registry, common)
    result["clusters"] = _clusters(summary, registry, common)
    return result


def _night_time_economy(nte: dict, registry: Registry) -> dict | None:
    """Licensed premises against violence, when the bundle has them (vru assess --licensed-premises)."""
    if not nte.get("available"):
        return None
    ratio = nte.get("rate_ratio_with_vs_without") or {}
    spearman = nte.get("spearman_density_vs_rate") or {}
    rows = [
        ["Licensed premises in the area", thousands(nte["premises"])],
        ["Neighbourhoods with at least one", thousands(nte["lsoas_with_premises"])],
        ["Neighbourhoods with none", thousands(nte["lsoas_without_premises"])],
    ]
    if ratio.get("ratio") is not None:
        rows.append(
            [
                "Rate with premises against rate without",
                f"{number(ratio['ratio'], 2)} (95% CI {number(ratio['lower'], 2)} to {number(ratio['upper'], 2)})",
            ]
        )
    if spearman:
        rows.append(
            [
                "Rank correlation of premises per km² with the rate",
                f"{number(spearman['rho'], 2)} (p {number(spearman['p_value'], 3)}, {spearman['n']} neighbourhoods)",
            ]
        )
    table = registry.table(
        Table(
            caption=f"Licensed premises and violence (premises list dated {nte.get('as_of') or 'unknown'})",
            columns=["Measure", "Value"],
            rows=rows,
            numeric=[False, True],
            notes=[nte["caveat"]],
        ),
        "table-night-time-economy",
    )
    return {"table": table, "caveat": nte["caveat"]}


def _place_label(row: dict, common: Common) -> str:
    return area_label(row, common.full_names) if row.get("lsoa21_name") else str(row["code"])


def _own_excess(summary: dict, registry: Registry, common: Common) -> dict | None:
    """Each LSOA's own count against its expected count (bundle `own_excess`), priority places marked."""
    own = summary.get("own_excess") or {}
    if not own.get("table"):
        return None
    named = {place["code"] for place in (summary.get("priority_places") or {}).get("places") or []}

    def tested(row: dict) -> bool:
        return not is_missing(row.get("p_value"))

    def if_tested(show, untested: str):
        return lambda row: show(row) if tested(row) else untested

    table = registry.table(
        Table.of(
            "Each neighbourhood's crimes against the number its residents would give at the area's rate "
            "(most certain excess first)",
            [
                columns.text("Neighbourhood (ward)", lambda row: _place_label(row, common)),
                columns.text("LSOA code", lambda row: row["code"]),
                columns.count("Crimes"),
                columns.text("Expected", if_tested(lambda row: number(row["expected"]), "no residents"), numeric=True),
                columns.derived("Ratio", if_tested(lambda row: ratio(row["excess_ratio"]), "\u2013")),
                columns.derived(
                    common.ci,
                    if_tested(lambda row: interval(row.get("excess_lower"), row.get("excess_upper"), 2), "\u2013"),
                ),
                columns.text(
                    "FDR-adjusted p",
                    if_tested(lambda row: p_value(row["p_fdr"]).removeprefix("p = ").removeprefix("p "), "not tested"),
                    numeric=True,
                ),
                columns.text(
                    "High on its own",
                    lambda row: (
                        "yes: named as a priority"
                        if row["code"] in named
                        else ("yes" if row.get("high_on_its_own") else "no")
                    ),
                ),
            ],
            own["table"],
            print_rows=PDF_TABLE_ROWS,
            notes=[
                f"Expected = residents x the area's rate ({number(own.get('area_rate_per_1000_residents'))} per "
                f"{common.per_text} residents over the period). Test: {sentence(own.get('method') or '')}. "
                "The interval inverts the same test, so it allows for the neighbourhoods' extra variation.",
                "Only neighbourhoods high on their own (FDR-adjusted p at most 0.05 and more crimes than expected) "
                "are named as priorities; a hot spot's quiet neighbour is not.",
            ],
            compact=True,
        ),
        "table-own-excess",
    )
    return {"table": table, "high": own.get("high_on_their_own", 0), "named": len(named)}


def _clusters(summary: dict, registry: Registry, common: Common) -> dict | None:
    """Gi* hot and cold spots joined into clusters, and how stable each LSOA's class is across runs."""
    clusters = summary.get("hot_spot_clusters")
    stability = summary.get("hot_spot_stability")
    if clusters is None or stability is None:
        return None
    runs = stability.get("runs") or []
    run_text = join_words(
        f"{plural(sum(1 for run in runs if run['permutations'] == count), 'seed')} at {thousands(count)} permutations"
        for count in sorted({run["permutations"] for run in runs})
    )
    members = clusters.get("clusters") or []
    cluster_table = None
    if members:
        cluster_table = registry.table(
            Table(
                caption="Hot and cold spot clusters: contiguous neighbourhoods of one class, and whether each "
                "member is high on its own",
                columns=["Cluster", "Neighbourhood (ward)", "Size", "Ratio to expected", "High on its own"],
                rows=[
                    [
                        sentence(row["cluster"]),
                        _place_label(row, common),
                        thousands(row["cluster_size"]),
                        ratio(row.get("excess_ratio")),
                        yes_no(row.get("high_on_its_own"))
                        + (
                            " (below the area's rate)"
                            if not is_missing(row.get("excess_ratio")) and row["excess_ratio"] < 1
                            else ""
                        ),
                    ]
                    for row in members
                ],
                numeric=[False, False, True, True, False],
                notes=[sentence(clusters.get("rule") or "")],
                compact=True,
            ),
            "table-hot-spot-clusters",
        )
    ever = stability.get("table") or []
    stability_table = None
    if ever:
        stability_table = registry.table(
            Table(
                caption=f"Stability of hot and cold spots over {plural(len(runs), 'run')} ({run_text})",
                columns=["Neighbourhood (ward)", "Runs", "Hot in", "Cold in", "Hot in every run"],
                rows=[
                    [
                        _place_label(row, common),
                        thousands(row["runs"]),
                        thousands(row["times_hot"]),
                        thousands(row["times_cold"]),
                        yes_no(row["stable_hot"]),
                    ]
                    for row in sorted(ever, key=lambda r: (-r["times_hot"], -r["times_cold"], r["code"]))
                ],
                numeric=[False, True, True, True, False],
                notes=[
                    "A neighbourhood hot in some runs and not others rests on the simulation's chance, not the data."
                ],
                compact=True,
            ),
            "table-hot-spot-stability",
        )
    return {
        "table": cluster_table,
        "clusters": len({row["cluster"] for row in members}),
        "stability_table": stability_table,
        "runs": len(runs),
        "run_text": run_text,
        "hot_in_every_run": stability.get("lsoas_hot_in_every_run", 0),
        "hot_in_some_run": stability.get("lsoas_hot_in_some_run", 0),
    }
