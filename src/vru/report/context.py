"""Turn a bundle into what the templates print: sections, formatted tables, figures (SVG files written to the
output folder) and sentences built from the bundle's numbers. Nothing here recomputes an analysis; it reads,
selects, sorts and formats what `vru assess` wrote (docs/report.md lists which key feeds which part)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from vru.report import alt_text, charts, maps
from vru.report.bundle import Bundle
from vru.report.filters import (
    confidence_label,
    gbp,
    gbp_millions,
    humanise,
    interval,
    is_missing,
    join_words,
    long_date,
    month_list,
    month_name,
    month_of_year,
    number,
    p_value,
    percent,
    percent_value,
    period,
    plural,
    ratio,
    sentence,
    signed_percent,
    thousands,
    tidy_numbers,
    tidy_text,
    yes_no,
)
from vru.report.model import Figure, Section, Table
from vru.report.recommendations import RELIABLE_COVERAGE, area_label, recommendations
from vru.report.suppression import METHOD_NOTE, any_suppressed, is_suppressed, suppress, withhold

BOUNDARY_ATTRIBUTION = (
    "Boundaries: Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data \u00a9 Crown copyright and database right 2024."
)
POLICE_UK_ATTRIBUTION = "police.uk street-level crime data: Home Office, data.police.uk, Open Government Licence v3.0."
PDF_TABLE_ROWS = 40  # longer tables print their first rows in the PDF; the HTML report holds every row
PDF_LSOA_ROWS = 150
MAP_HOT_LABELS = 5  # hot spots numbered on the map (the strongest); the table under the map lists them all
MAP_COLD_LABELS = 3

SECTIONS = [
    Section("summary", "1", "Executive summary: key findings"),
    Section("scope", "2", "Scope and definition"),
    Section("sources", "3", "Data sources, licences and caveats"),
    Section("population", "4", "Population profile"),
    Section("nature", "5", "Nature and extent"),
    Section("where", "6", "Where violence happens"),
    Section("outcomes", "7", "Outcomes"),
    Section("cost", "8", "Cost of violence"),
    Section("forecast", "9", "Forecast"),
    Section("gaps", "10", "Gaps in provision and practice"),
    Section("recommendations", "11", "Recommendations"),
    Section("methods", "A", "Methods", appendix=True),
    Section("references", "B", "References", appendix=True),
    Section("lsoa-table", "C", "Neighbourhood (LSOA) table", appendix=True),
    Section("files", "D", "Source files", appendix=True),
]

REFERENCES = [
    "Anselin, L. (1995). Local indicators of spatial association \u2014 LISA. Geographical "
    "Analysis 27(2), 93\u2013115.",
    "Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful approach "
    "to multiple testing. Journal of the Royal Statistical Society B 57(1), 289\u2013300.",
    "Garwood, F. (1936). Fiducial limits for the Poisson distribution. Biometrika 28(3/4), 437\u2013442.",
    "Getis, A. and Ord, J. K. (1992). The analysis of spatial association by use of distance statistics. "
    "Geographical Analysis 24(3), 189\u2013206.",
    "Heeks, M., Reed, S., Tafsiri, M. and Prince, S. (2018). The economic and social costs of crime, second "
    "edition. Home Office Research Report 99.",
    "Home Office and Public Health England (May 2021). Serious Violence Duty: strategic needs assessment guidance "
    "(preparing a strategic needs assessment for serious violence).",
    "Home Office (December 2022, updated June 2023). Serious Violence Duty: statutory guidance.",
    "NHS Digital. ISB1594: Information Sharing to Tackle Violence minimum data set.",
    "Ord, J. K. and Getis, A. (1995). Local spatial autocorrelation statistics: distributional issues and an "
    "application. Geographical Analysis 27(4), 286\u2013306.",
    "police.uk. About the data: anonymisation of crime locations (snap points) and outcomes, data.police.uk/about.",
    "Ulm, K. (1990). A simple method to calculate the confidence interval of a standardized mortality ratio. "
    "American Journal of Epidemiology 131(2), 373\u2013375.",
]

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
LEVELS = {"lad": "local authority", "csp": "community safety partnership", "pfa": "police force area", "ward": "ward"}
SOURCE_TABLES = {
    "ref_boundary": "Boundaries of LSOAs, wards, local authorities and the force (ONS Open Geography)",
    "ref_imd": "English Indices of Deprivation 2019 and 2025 (MHCLG)",
    "ref_lad_csp_pfa": "Local authority to partnership and force lookup (ONS)",
    "ref_lsoa11_lsoa21": "LSOA 2011 to LSOA 2021 lookup (ONS)",
    "ref_lsoa21_area": "LSOA 2021 to ward and local authority lookup (ONS)",
    "ref_population_age": "Mid-2020 population by single year of age, apportioned to LSOA 2021 (ONS)",
}


class Registry:
    """Numbers figures and tables in the order they are made (which is the order of the report)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.figures: list[Figure] = []

    def table(self, table: Table, id_: str) -> Table:
        table.id = id_
        return table

    def figure(self, figure: Figure, svg: str) -> Figure:
        self.table(figure.table, f"table-{figure.id}")
        (self.out_dir / figure.filename).write_text(svg, encoding="utf-8")
        size = re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"[^>]*\bheight="([\d.]+)pt"', svg)
        if size:
            figure.width_pt, figure.height_pt = float(size.group(1)), float(size.group(2))
        self.figures.append(figure)
        return figure


def strip_doc_refs(text: str) -> str:
    """Drop references to the toolkit's own files ("(docs/data-sources.md)", "(shared/reference/x.md)"): a board
    reader has the report, not the repository."""
    return re.sub(r"\s*\((?:see )?[\w.-]+(?:/[\w.-]+)*\.md\)", "", text or "").strip()


def build_context(bundle: Bundle, out_dir: Path, produced_on: date | None = None) -> dict:
    """Everything the templates need. Writes the figures' SVG files into out_dir."""
    s = bundle.summary
    registry = Registry(out_dir)
    produced_on = produced_on or date.today()
    area = s["area"]
    first_volume = s["volume"][0]["rate_per_1000"] if s["volume"] else {}
    per = first_volume.get("per") or 1000
    confidence = s["trend"].get("confidence") or first_volume.get("confidence")
    ci = confidence_label(confidence)
    full_names = area["level"] == "pfa"
    profile_months = (
        bundle.monthly[bundle.monthly["category"] == bundle.profile_category].set_index("month")["count"].to_dict()
    )
    expected = _expected_months(s["period"]["from"], s["period"]["to"])
    lsoa = bundle.lsoa.copy()
    lsoa["label"] = [area_label(row, full_names) for row in lsoa.to_dict("records")]
    common = {
        "area": area,
        "area_name": area["name"],
        "per": per,
        "per_text": thousands(per),
        "ci": ci,
        "confidence": confidence,
        "full_names": full_names,
        "lsoa": lsoa,
        "expected": expected,
        "profile_months": profile_months,
    }

    findings = _findings(s, per)
    sections = {
        "scope": _scope(s),
        "sources": _sources(s, bundle),
        "population": _population(s, bundle, registry, common),
        "nature": _nature(s, bundle, registry, common),
        "where": _where(s, bundle, registry, common),
        "outcomes": _outcomes(s, registry, common),
        "cost": _cost(s, registry),
        "forecast": _forecast(s, registry, common),
        "gaps": _gaps(s, registry),
        "methods": _methods(s, common),
        "lsoa_table": _lsoa_appendix(registry, common),
        "files": _files(s, registry),
    }
    return {
        "s": s,
        "title": f"Serious violence strategic needs assessment: {area['name']}",
        "area": area,
        "ci": ci,
        "area_name": area["name"],
        "area_level": LEVELS.get(area["level"], area["level"]),
        "period_text": period(s["period"]["from"], s["period"]["to"]),
        "produced_on": f"{produced_on.day} {month_name(produced_on.strftime('%Y-%m')).split()[0]} {produced_on.year}",
        "generated_on": long_date(s.get("generated_at")),
        "toolkit_version": s.get("toolkit_version") or "not recorded",
        "licence": s["sources"].get("licence") or "",
        "boundary_attribution": BOUNDARY_ATTRIBUTION,
        "police_uk_attribution": POLICE_UK_ATTRIBUTION,
        "sections": SECTIONS,
        "section": {section.id: section for section in SECTIONS},
        "findings": findings,
        "recommendations": recommendations(s, bundle.lsoa, bundle.locations),
        "references": REFERENCES,
        "suppression_note": METHOD_NOTE,
        "figures": registry.figures,
        **sections,
    }


def _expected_months(first: str, last: str) -> list[str]:
    months = []
    year, month = int(first[:4]), int(first[5:])
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# ---------------------------------------------------------------- findings


FINDING_SECTIONS = {
    "nature and extent": "nature",
    "where": "where",
    "population": "population",
    "outcomes": "outcomes",
    "cost": "cost",
}


def finding_figure(finding: dict, per: float = 1000) -> str:
    """The headline figure of a finding as the report prints it (`per`: the bundle's rate denominator)."""
    figure, id_ = finding.get("figure"), finding["id"]
    if isinstance(figure, dict):
        return "; ".join(f"{humanise(key)} {percent(value)}" for key, value in figure.items())
    if is_missing(figure):
        return "not available"
    formats = {
        "volume": lambda v: f"{thousands(v)} crimes in the profile",
        "trend": lambda v: (
            f"step of {signed_percent(v)}"
            if (finding.get("test") or "").startswith("level-shift")
            else f"{signed_percent(v)} a year"
        ),
        "latest-12": lambda v: f"rate ratio {ratio(v)}",
        "seasonality": lambda v: f"peak in {month_of_year(v)}",
        "comparison": lambda v: f"{number(v)} a year per {thousands(per)} residents",
        "concentration": lambda v: f"{percent(v)} of crimes in the busiest neighbourhoods",
        "hotspots": lambda v: plural(v, "hot spot"),
        "own-excess": lambda v: plural(v, "neighbourhood") + " high on its own",
        "national": lambda v: f"{number(v)} a year per {thousands(per)} residents",
        "deprivation": lambda v: f"{number(v)} times the rate",
        "cost": lambda v: f"{gbp_millions(v)} a year",
        "forecast": lambda v: (
            ("forecast reliable" if v >= RELIABLE_COVERAGE else "forecast not reliable")
            + f": {percent(v)} of test months inside its range"
        ),
    }
    if id_ in formats:
        return formats[id_](figure)
    if isinstance(figure, int):
        return thousands(figure)
    return number(figure, 2)


def _findings(s: dict, per: float) -> list[dict]:
    result = []
    for finding in s["findings"]:
        significant = finding.get("significant")
        section = "forecast" if finding["id"] == "forecast" else FINDING_SECTIONS.get(finding.get("section"), "summary")
        result.append(
            {
                "id": finding["id"],
                "anchor": f"finding-{finding['id']}",
                "text": tidy_numbers(finding["text"]),
                "figure": finding_figure(finding, per),
                "test": tidy_text(finding["test"]) if finding.get("test") else None,
                "significance": None
                if significant is None
                else ("statistically significant" if significant else "not statistically significant"),
                "section": section,
            }
        )
    return result


# ---------------------------------------------------------------- scope and sources


def _scope(s: dict) -> dict:
    profile = s["profile"]
    return {
        "profile": profile,
        "categories": profile.get("police_uk_categories") or [],
        "recorded_groups": [sentence(group) for group in profile.get("recorded_crime_groups") or []],
        "cannot_separate": profile.get("cannot_separate") or [],
        "source": strip_doc_refs(profile.get("source") or ""),
        "months_expected": s["period"]["months_expected"],
        "months_present": s["period"]["months_present"],
        "missing": month_list(s["missing_months"]),
        "has_missing": bool(s["missing_months"]),
    }


def _sources(s: dict, bundle: Bundle) -> dict:
    police = s["sources"].get("police_uk") or []
    months = sorted(row["month"] for row in police)
    loaded = sorted(row["ingested_at"] for row in police if row.get("ingested_at"))
    reference = s["sources"].get("reference") or []
    tables = []
    for table_name in sorted({row["table_name"] for row in reference}):
        files = [row for row in reference if row["table_name"] == table_name]
        tables.append(
            [
                SOURCE_TABLES.get(table_name, humanise(table_name)),
                join_words(sorted({Path(row["source_file"]).name for row in files})),
            ]
        )
    area_level = s["area"]["level"]
    if area_level == "pfa":
        no_location = (
            "Rows that police.uk publishes without a location are counted in the force's totals but cannot be "
            "placed in any neighbourhood, ward or map."
        )
    else:
        no_location = (
            "Rows that police.uk publishes without a location have no neighbourhood (LSOA), so they cannot be "
            f"placed in {s['area']['name']} and are not counted here; the force's totals include them."
        )
    partial = [row["year"] for row in s["volume"] if row["partial_year"]]
    caveats = [
        (
            "Approximate locations",
            "police.uk moves each crime to the nearest of a set of anonymous map points (the centre of a street, a "
            "public place or premises) so that no victim can be identified. Locations are approximate, crimes pile "
            "up on some points, and a crime near a boundary can be counted in the neighbouring area.",
        ),
        (
            "Month only",
            "police.uk gives the month of each crime, not the day or time: the report cannot show days of the week, "
            "times of day or the night-time economy's hours.",
        ),
        (
            "What police.uk cannot separate",
            f"The definition profile lists {plural(len(s['profile'].get('cannot_separate') or []), 'thing')} "
            "police.uk cannot separate (section 2): injury, weapons, victims' ages and domestic abuse among them.",
        ),
        (
            "Missing months",
            (
                f"police.uk holds no data for {month_list(s['missing_months'])}: "
                f"{plural(len(s['missing_months']), 'month')} "
                f"of the {thousands(s['period']['months_expected'])} in the period. They are left out, never filled "
                f"with estimates; the figures for {join_words(partial)} are for part-years."
            )
            if s["missing_months"]
            else f"police.uk holds data for every month of the period ({thousands(s['period']['months_present'])}).",
        ),
        (
            "Outcomes as at download",
            strip_doc_refs(s["outcomes"].get("caveat") or "")
            + (
                (
                    f" The files used were loaded on {long_date(loaded[0])}."
                    if long_date(loaded[0]) == long_date(loaded[-1])
                    else f" The files used were loaded between {long_date(loaded[0])} and {long_date(loaded[-1])}."
                )
                if loaded
                else ""
            ),
        ),
        ("Rows without a location", no_location),
        (
            "Deprivation on two LSOA editions",
            " ".join(
                strip_doc_refs(s["deprivation"][edition].get("note") or "") + "."
                for edition in ("imd2019", "imd2025")
                if s["deprivation"].get(edition)
            ),
        ),
        (
            "Population",
            f"Rates use the mid-{s['population']['year']} population: {strip_doc_refs(s['population']['source'])}. "
            "Rates for later years assume the population has not changed since.",
        ),
        ("Places, not people", strip_doc_refs(s["deprivation"].get("caveat") or "")),
        ("Small numbers", METHOD_NOTE),
    ]
    return {
        "police_files": len(police),
        "police_first": month_name(months[0]) if months else "not available",
        "police_last": month_name(months[-1]) if months else "not available",
        "reference_tables": Table(
            caption="Reference data used",
            columns=["Data", "Files"],
            rows=tables,
        ),
        "caveats": caveats,
    }


# ---------------------------------------------------------------- population


def _decile_table(rows: list[dict], edition: str, per_text: str, ci: str) -> Table:
    body = []
    counts = [row.get("count") for row in rows]
    for row in rows:
        count = row.get("count")
        body.append(
            [
                f"{row['imd_decile']}",
                thousands(row.get("lsoas")),
                suppress(count) if row.get("lsoas") else "no areas",
                thousands(row.get("population")) if row.get("lsoas") else "\u2013",
                withhold(count, number(row.get("rate_per_1000"))) if row.get("lsoas") else "\u2013",
                withhold(count, interval(row.get("lower"), row.get("upper"))) if row.get("lsoas") else "\u2013",
            ]
        )
    return Table(
        caption=f"Rate by {edition} decile (1 = most deprived)",
        columns=["Decile", "LSOAs", "Crimes", "Population", f"Rate per {per_text} a year", ci],
        rows=body,
        numeric=[False, True, True, True, True, True],
        notes=[METHOD_NOTE] if any_suppressed(counts) else [],
    )


def _population(s: dict, bundle: Bundle, registry: Registry, c: dict) -> dict:
    population = s["population"]
    deprivation = s["deprivation"]
    lsoa = c["lsoa"]
    boundaries = bundle.boundaries["lsoa21"]
    result = {
        "year": population["year"],
        "total": thousands(population["total"]),
        "aged_10_24": thousands(population["aged_10_24"]),
        "share_10_24": percent(population["aged_10_24"] / population["total"]) if population["total"] else "n/a",
        "source": strip_doc_refs(population["source"]),
        "lsoas": thousands(s["area"]["lsoa21_count"]),
        "wards": thousands(len(bundle.ward)),
        "caveat": strip_doc_refs(deprivation.get("caveat") or ""),
        "imd_map": None,
        "decile_chart": None,
    }
    # Map of IMD 2025 decile by LSOA.
    if not boundaries.empty and "imd2025_decile" in lsoa:
        frame = boundaries.merge(lsoa, left_on="code", right_on="lsoa21_code", how="inner")
        deciles = [int(d) if not is_missing(d) else None for d in frame["imd2025_decile"]]
        colours = maps.sequential_colours(10)[::-1]  # decile 1 (most deprived) darkest
        legend = []
        for decile in range(1, 11):
            n = sum(1 for d in deciles if d == decile)
            label = f"{decile}" + (" (most deprived)" if decile == 1 else " (least deprived)" if decile == 10 else "")
            legend.append(maps.MapClass(label, colours[decile - 1], count=n))
        classes = [d - 1 if d else -1 for d in deciles]
        title = f"Deprivation (IMD 2025 decile) of each neighbourhood in {s['area']['name']}"
        alt = alt_text.categorical_map(
            len(frame),
            "neighbourhoods (LSOAs)",
            s["area"]["name"],
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
                f"appendix {_appendix('lsoa-table')})",
                columns=["IMD 2025 decile", "LSOAs"],
                rows=table_rows,
                numeric=[False, True],
            ),
            notes=["Deciles are national: decile 1 holds the most deprived 10% of neighbourhoods in England."],
        )
        svg = maps.draw_map(
            frame,
            classes,
            legend,
            "IMD 2025 decile (LSOAs)",
            bundle.boundaries["lad"],
            {},
            title,
            alt,
        )
        result["imd_map"] = registry.figure(figure, svg)
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
                f"{number(quintile.get('rate_most_deprived'))} per {c['per_text']} "
                f"({plural(quintile.get('lsoas_most_deprived'), 'LSOA')})"
            ),
            "least": (
                f"{number(quintile.get('rate_least_deprived'))} per {c['per_text']} "
                f"({plural(quintile.get('lsoas_least_deprived'), 'LSOA')})"
            ),
        }
    result["editions"] = editions
    rows25 = deprivation.get("imd2025", {}).get("rate_by_decile") or []
    if rows25:
        table = _decile_table(rows25, "IMD 2025", c["per_text"], c["ci"])
        table.caption = "Data for the chart: " + table.caption[0].lower() + table.caption[1:]
        labels = [str(row["imd_decile"]) for row in rows25]
        rates = [None if not row.get("lsoas") else row.get("rate_per_1000") for row in rows25]
        title = f"Rate of crimes in the profile by IMD 2025 decile, per {c['per_text']} residents a year"
        alt = alt_text.rate_by_decile(
            [row["imd_decile"] for row in rows25], rates, f"the rate per {c['per_text']} residents a year"
        )
        figure = Figure(id="decile-chart", title=title, filename="figure-rate-by-decile.svg", alt=alt, table=table)
        figure.notes = [f"Bars show the rate; the lines show the {c['ci']}. Decile 1 is the most deprived."]
        svg = charts.rate_bars(
            labels,
            rates,
            [row.get("lower") for row in rows25],
            [row.get("upper") for row in rows25],
            "IMD 2025 decile (1 = most deprived)",
            f"Rate per {c['per_text']} a year",
            title,
            alt,
        )
        result["decile_chart"] = registry.figure(figure, svg)
    rows19 = deprivation.get("imd2019", {}).get("rate_by_decile") or []
    result["decile_table_2019"] = (
        registry.table(_decile_table(rows19, "IMD 2019", c["per_text"], c["ci"]), "table-imd2019") if rows19 else None
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


def _appendix(section_id: str) -> str:
    return next(section.number for section in SECTIONS if section.id == section_id)


# ---------------------------------------------------------------- nature and extent


def _nature(s: dict, bundle: Bundle, registry: Registry, c: dict) -> dict:
    result: dict = {}
    volume_rows = []
    for row in s["volume"]:
        youth = row.get("rate_per_1000_aged_10_24") or {}
        allages = row.get("rate_per_1000") or {}
        volume_rows.append(
            [
                row["year"] + (" (part-year)" if row["partial_year"] else ""),
                thousands(row["months"]),
                thousands(row["count"]),
                thousands(row.get("annualised_count")),
                number(allages.get("rate")),
                interval(allages.get("lower"), allages.get("upper")),
                number(youth.get("rate")),
                interval(youth.get("lower"), youth.get("upper")),
            ]
        )
    partial = [row for row in s["volume"] if row["partial_year"]]
    result["volume"] = registry.table(
        Table(
            caption=f"Crimes in the profile by calendar year, with rates per {c['per_text']} residents a year",
            columns=[
                "Year",
                "Months with data",
                "Crimes",
                "Annualised",
                f"Rate per {c['per_text']}",
                c["ci"],
                f"Rate per {c['per_text']} aged 10\u201324",
                c["ci"],
            ],
            rows=volume_rows,
            numeric=[False] + [True] * 7,
            notes=[
                (
                    "Part-years: "
                    + "; ".join(f"{row['year']} has {plural(row['months'], 'month')} of data" for row in partial)
                    + ". Annualised figures scale the crimes in the months with data to a whole year; rates are "
                    "annualised the same way. "
                    if partial
                    else ""
                )
                + f"The rate per {c['per_text']} aged 10\u201324 uses the youth population as a denominator only: "
                "police.uk does not give victims' or offenders' ages."
            ],
            compact=True,
        ),
        "table-volume",
    )
    # Categories by year (summed from monthly.parquet).
    categories = s["profile"].get("police_uk_categories") or []
    monthly = bundle.monthly[bundle.monthly["category"].isin(categories)].copy()
    monthly["year"] = monthly["month"].str[:4]
    pivot = monthly.pivot_table(index="category", columns="year", values="count", aggfunc="sum", fill_value=0)
    years = [row["year"] for row in s["volume"]]
    cat_rows = []
    for category in categories:
        values = [
            pivot.loc[category, year] if category in pivot.index and year in pivot.columns else 0 for year in years
        ]
        cat_rows.append([category, *[suppress(v) for v in values], suppress(sum(values))])
    result["categories"] = registry.table(
        Table(
            caption="Crimes in the profile by police.uk category and year",
            columns=[
                "Category",
                *[y + (" (part)" if any(r["year"] == y for r in partial) else "") for y in years],
                "All",
            ],
            rows=cat_rows,
            numeric=[False] + [True] * (len(years) + 1),
        ),
        "table-categories",
    )
    # Monthly chart.
    months = c["expected"]
    values = c["profile_months"]
    missing = s["missing_months"]
    title = f"Crimes in the profile per month, {period(s['period']['from'], s['period']['to'])}"
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
            f"Hatched bands mark months with no police.uk data ({month_list(missing)}): the line "
            "is not joined across them."
        ]
    result["monthly"] = registry.figure(figure, charts.monthly_chart(months, values, "Crimes per month", title, alt))
    # Trend.
    trend = s["trend"]
    result["trend"] = trend
    result["trend_change"] = signed_percent(trend.get("annual_change_percent"))
    result["trend_interval"] = interval(trend.get("annual_change_lower"), trend.get("annual_change_upper"), 1, "%")
    result["trend_p"] = p_value(trend.get("p_value"))
    result["trend_family"] = humanise(trend.get("family"))
    result["trend_dispersion"] = number(trend.get("dispersion"), 2)
    result["trend_notes"] = [strip_doc_refs(note) for note in trend.get("notes") or []]
    # Latest 12 vs previous 12.
    latest = s["latest_12_months"]
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
    seasonal = s.get("seasonal_profile") or []
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
        result["seasonal"] = registry.figure(figure, charts.seasonal_chart(month_numbers, index, title, alt))
    else:
        result["seasonal"] = None
    # Comparison with the other partnerships and the force.
    comparison = s.get("comparison") or {}
    result["comparison_complete"] = bool(comparison.get("complete"))
    result["comparison_note"] = comparison.get("note") or ""
    result["comparison"] = None
    if comparison.get("complete") and comparison.get("table"):
        rows = comparison["table"]
        partnerships = [row for row in rows if row["level"] != "pfa"]
        force = next((row for row in rows if row["level"] == "pfa"), None)
        focus = next((row for row in rows if row.get("is_focus")), None)
        focus_name = focus["name"] if focus else ""
        title = (
            f"Rate of crimes in the profile per {c['per_text']} residents a year: "
            f"partnerships in {s['area']['pfa_name']}"
        )
        alt = alt_text.comparison(
            [row["name"] for row in partnerships],
            [row["rate"] for row in partnerships],
            focus_name,
            force["name"] if force else None,
            force["rate"] if force else None,
            measure=f"rates per {c['per_text']} residents a year with {c['ci']}",
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
                f"Rate per {c['per_text']} a year",
                c["ci"],
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
            f"Dots show each partnership's rate and the whiskers its {c['ci']}; the dashed line "
            "is the force as a whole."
        ]
        svg = charts.comparison_chart(
            [row["name"] for row in partnerships],
            [row["rate"] for row in partnerships],
            [row["lower"] for row in partnerships],
            [row["upper"] for row in partnerships],
            [bool(row.get("is_focus")) for row in partnerships],
            force["name"] if force else None,
            force["rate"] if force else None,
            f"Rate per {c['per_text']} residents a year",
            title,
            alt,
        )
        result["comparison"] = registry.figure(figure, svg)
    return result


def _month_grid(months: list[str], values: dict, caption: str) -> Table:
    """Months as a year × month-of-year grid: compact enough to print under the chart."""
    years = sorted({month[:4] for month in months})
    rows = []
    for year in years:
        row = [year]
        for number_ in range(1, 13):
            month = f"{year}-{number_:02d}"
            if month not in months:
                row.append("\u2013")
            elif month in values:
                row.append(suppress(values[month]))
            else:
                row.append("no data")
        rows.append(row)
    return Table(
        caption=caption,
        columns=["Year", *[month_of_year(n)[:3] for n in range(1, 13)]],
        rows=rows,
        numeric=[False] + [True] * 12,
        notes=["\u201cno data\u201d: police.uk has no file for the month; \u201c\u2013\u201d: outside the period."],
        compact=True,
    )


# ---------------------------------------------------------------- where


def _class_legend(values: list[float], n_classes: int = 5) -> tuple[list[float], list[int], list[maps.MapClass]]:
    edges = maps.quantile_breaks(values, n_classes)
    classes = maps.classify(values, edges)
    n = max(1, len(edges) - 1)
    colours = maps.sequential_colours(n)
    legend = []
    for index in range(n):
        low, high = (edges[index], edges[index + 1]) if len(edges) > 1 else (edges[0], edges[0])
        legend.append(
            maps.MapClass(
                f"{number(low)} to {number(high)}",
                colours[index],
                count=sum(1 for cls in classes if cls == index),
            )
        )
    return edges, classes, legend


def _where(s: dict, bundle: Bundle, registry: Registry, c: dict) -> dict:
    where = s["where"]
    lsoa = c["lsoa"]
    result: dict = {"where": where, "method": where.get("method") or {}}
    boundaries = bundle.boundaries["lsoa21"]
    outline = bundle.boundaries["lad"]
    unit_word = "neighbourhoods (LSOAs)"
    # LSOA rate choropleth.
    result["lsoa_map"] = None
    if not boundaries.empty:
        frame = boundaries.merge(lsoa, left_on="code", right_on="lsoa21_code", how="inner").reset_index(drop=True)
        values = [float(v) for v in frame["rate_per_1000"]]
        edges, classes, legend = _class_legend(values)
        top = frame.sort_values("rate_per_1000", ascending=False).head(3)
        labels = {int(i): row["label"] for i, row in top.iterrows()}
        title = f"Rate of crimes in the profile per {c['per_text']} residents a year, by neighbourhood (LSOA)"
        alt = alt_text.choropleth(
            len(frame),
            unit_word,
            s["area"]["name"],
            f"rate per {c['per_text']} residents a year",
            edges[0] if edges else None,
            edges[-1] if edges else None,
            len(legend),
            list(top["label"]),
        )
        table = Table(
            caption=f"Data for the map: classes of rate per {c['per_text']} residents a year "
            f"(every LSOA in appendix {_appendix('lsoa-table')})",
            columns=[f"Rate per {c['per_text']} a year", "LSOAs"],
            rows=[[entry.label, thousands(entry.count)] for entry in legend],
            numeric=[False, True],
        )
        figure = Figure(
            id="lsoa-map",
            title=title,
            filename="figure-lsoa-rate-map.svg",
            alt=alt,
            table=table,
            kind="map",
            notes=[
                "Classes hold about the same number of neighbourhoods (quintiles). Numbered circles mark the three "
                "highest rates, named in the legend. Neighbourhoods with few residents, such as "
                "city centres, have high rates because crimes "
                "there involve visitors as well as residents."
            ],
        )
        result["lsoa_map"] = registry.figure(
            figure,
            maps.draw_map(
                frame, classes, legend, f"Rate per {c['per_text']} a year (LSOAs)", outline, labels, title, alt
            ),
        )
    # Ward choropleth.
    ward = bundle.ward.sort_values(["rank", "ward_name"]).reset_index(drop=True)
    wards = bundle.boundaries["ward"]
    result["ward_map"] = None
    if not wards.empty:
        frame = wards.merge(ward, left_on="code", right_on="ward_code", how="inner").reset_index(drop=True)
        values = [float(v) for v in frame["rate_per_1000"]]
        edges, classes, legend = _class_legend(values)
        top = frame.sort_values("rate_per_1000", ascending=False).head(3)
        labels = {int(i): row["ward_name"] for i, row in top.iterrows()}
        title = f"Rate of crimes in the profile per {c['per_text']} residents a year, by ward"
        alt = alt_text.choropleth(
            len(frame),
            "wards",
            s["area"]["name"],
            f"rate per {c['per_text']} residents a year",
            edges[0] if edges else None,
            edges[-1] if edges else None,
            len(legend),
            list(top["ward_name"]),
        )
        ward_rows = [
            [
                row["ward_name"],
                thousands(row["lsoas"]),
                suppress(row["count"]),
                thousands(row["population_total"]),
                withhold(row["count"], number(row["rate_per_1000"])),
                withhold(row["count"], interval(row["rate_lower"], row["rate_upper"])),
                thousands(row["rank"]),
            ]
            for row in ward.to_dict("records")
        ]
        table = Table(
            caption=f"Data for the map: wards by rate per {c['per_text']} residents a year",
            columns=["Ward", "LSOAs", "Crimes", "Population", f"Rate per {c['per_text']}", c["ci"], "Rank"],
            rows=ward_rows,
            numeric=[False] + [True] * 6,
            print_rows=PDF_TABLE_ROWS,
            notes=[
                "Wards are built from whole LSOAs (best fit), so their populations and counts can differ slightly "
                "from official ward figures."
            ]
            + ([METHOD_NOTE] if any_suppressed(ward["count"]) else []),
            compact=True,
        )
        figure = Figure(
            id="ward-map",
            title=title,
            filename="figure-ward-rate-map.svg",
            alt=alt,
            table=table,
            kind="map",
            notes=[
                "Classes hold about the same number of wards. Numbered circles mark the three highest rates, named "
                "in the legend."
            ],
        )
        result["ward_map"] = registry.figure(
            figure,
            maps.draw_map(
                frame, classes, legend, f"Rate per {c['per_text']} a year (wards)", outline, labels, title, alt, 0.4
            ),
        )
    # Gi* hot spot map.
    result["hotspot_map"] = None
    hot = lsoa[lsoa["hotspot"] == "hot spot"].sort_values("gi_z", ascending=False)
    cold = lsoa[lsoa["hotspot"] == "cold spot"].sort_values("gi_z")
    if not boundaries.empty:
        frame = boundaries.merge(lsoa, left_on="code", right_on="lsoa21_code", how="inner").reset_index(drop=True)
        legend = []
        keys = []
        for kind, palette, hatch in (("hot spot", maps.HOT, "///"), ("cold spot", maps.COLD, "...")):
            for level in sorted(palette, reverse=True):
                n = int(((frame["hotspot"] == kind) & (frame["hotspot_confidence"] == level)).sum())
                if n:
                    legend.append(maps.MapClass(f"{sentence(kind)}, {level}% confidence", palette[level], hatch, n))
                    keys.append((kind, level))
        other = int((~frame["hotspot"].isin(["hot spot", "cold spot"])).sum())
        legend.append(maps.MapClass("Not significant", maps.NOT_SIGNIFICANT, None, other))
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
        alt = alt_text.hotspot_map(len(frame), unit_word, s["area"]["name"], list(hot["label"]), list(cold["label"]))
        rows = [
            [
                row["label"],
                sentence(row["hotspot"]),
                f"{thousands(row['hotspot_confidence'])}%" if not is_missing(row["hotspot_confidence"]) else "\u2013",
                suppress(row["count"]),
                number(row["gi_z"], 2),
                number(row["gi_p_fdr"], 4),
                humanise(row["persistence"]),
            ]
            for row in pd.concat([hot, cold]).to_dict("records")
        ]
        if not rows:
            rows = [["none", "no area is significant", "\u2013", "\u2013", "\u2013", "\u2013", "\u2013"]]
        table = Table(
            caption="Data for the map: significant hot and cold spots (all other neighbourhoods are not significant)",
            columns=["Neighbourhood (ward)", "Class", "Confidence", "Crimes", "Gi* z", "FDR-adjusted p", "Persistence"],
            rows=rows,
            numeric=[False, False, True, True, True, True, False],
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
            maps.draw_map(frame, classes, legend, "Gi* class (LSOAs)", outline, labels, title, alt),
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
        "significant": moran.get("p_sim") is not None and moran["p_sim"] <= 0.05,
    }
    result["moran_clusters"] = join_words(
        f"{thousands(n)} {key}" for key, n in sorted((where.get("moran_clusters") or {}).items(), key=lambda kv: -kv[1])
    )
    # Top LSOAs.
    result["top_lsoas"] = registry.table(
        Table(
            caption="The neighbourhoods with the most crimes in the profile",
            columns=[
                "Neighbourhood (ward)",
                "LSOA code",
                "Crimes",
                f"Rate per {c['per_text']} a year",
                "Gi* class",
                "Persistence",
            ],
            rows=[
                [
                    area_label(row, c["full_names"]),
                    row["lsoa21_code"],
                    suppress(row["count"]),
                    withhold(row["count"], number(row["rate_per_1000"])),
                    humanise(row["hotspot"]),
                    humanise(row["persistence"]),
                ]
                for row in where.get("top_lsoas") or []
            ],
            numeric=[False, False, True, True, False, False],
            compact=True,
        ),
        "table-top-lsoas",
    )
    # Concentration.
    concentration = s["concentration"]
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
            "Neighbourhoods are taken from the most crimes to the fewest; red dots mark the "
            + join_words(f"top {percent(x)}" for x, _ in marks)
            + "."
        ]
        result["concentration_chart"] = registry.figure(
            figure,
            charts.concentration_chart(
                top_units,
                top_share,
                marks,
                "Share of neighbourhoods, most crimes first",
                "Share of crimes",
                title,
                alt,
            ),
        )
    # Repeat locations.
    by_code = {row["lsoa21_code"]: row for row in lsoa.to_dict("records")}
    locations = bundle.locations.head(15)
    result["locations"] = registry.table(
        Table(
            caption=f"The {thousands(len(locations))} locations (police.uk map points) with the most crimes in the "
            "profile",
            columns=["Location", "Neighbourhood (ward)", "Crimes in the profile", "All street crime there"],
            rows=[
                [
                    row["location"],
                    by_code[row["lsoa21_code"]]["label"] if row["lsoa21_code"] in by_code else row["lsoa21_code"],
                    suppress(row["count"]),
                    suppress(row["all_crime"]),
                ]
                for row in locations.to_dict("records")
            ],
            numeric=[False, False, True, True],
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
    result["night_time_economy"] = _night_time_economy(s.get("night_time_economy") or {}, registry)
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


# ---------------------------------------------------------------- outcomes


def _outcomes(s: dict, registry: Registry, c: dict) -> dict:
    outcomes = s.get("outcomes") or {}
    headline = outcomes.get("headline") or []
    groups = list(dict.fromkeys(row["outcome_group"] for row in headline))
    tables = []
    for category in dict.fromkeys(row["category"] for row in headline):
        rows = []
        counts = []
        for year in sorted({row["year"] for row in headline if row["category"] == category}):
            cells = [year]
            total = None
            for group in groups:
                match = next(
                    (
                        r
                        for r in headline
                        if r["category"] == category and r["year"] == year and r["outcome_group"] == group
                    ),
                    None,
                )
                if match is None:
                    cells.append("\u2013")
                    continue
                total = match["total"]
                counts.append(match["count"])
                cells.append(f"{withhold(match['count'], percent(match['share'], 1))} ({suppress(match['count'])})")
            cells.append(suppress(total))
            rows.append(cells)
        tables.append(
            registry.table(
                Table(
                    caption=f"Outcomes of {category.lower()}: share of crimes by last outcome, "
                    "by year (count in brackets)",
                    columns=["Year", *[sentence(g) for g in groups], "Crimes"],
                    rows=rows,
                    numeric=[False] + [True] * (len(groups) + 1),
                    notes=[METHOD_NOTE] if any_suppressed(counts) else [],
                    compact=True,
                ),
                f"table-outcomes-{len(tables) + 1}",
            )
        )
    return {"caveat": outcomes.get("caveat") or "", "tables": tables}


# ---------------------------------------------------------------- cost


def _component_name(name: str) -> str:
    return name.lower().replace(" ", "_")


def _cost(s: dict, registry: Registry) -> dict:
    cost = s.get("cost") or {}
    if not cost.get("available"):
        return {
            "available": False,
            "reason": strip_doc_refs(cost.get("reason") or "The bundle holds no cost estimate."),
        }
    estimate = cost["area_estimate"]
    unit_costs = {_component_name(row["offence_group"]): row for row in cost.get("unit_costs") or []}
    status = cost.get("unit_cost_status") or {}
    range_table = registry.table(
        Table(
            caption="Estimated cost of a year of violence at the latest 12 months' level "
            f"({estimate['price_year']} prices)",
            columns=["", "Low", "Central", "High"],
            rows=[
                [
                    "Cost a year",
                    gbp_millions(estimate["low"]),
                    gbp_millions(estimate["central"]),
                    gbp_millions(estimate["high"]),
                ]
            ],
            numeric=[False, True, True, True],
        ),
        "table-cost-range",
    )
    components = []
    counts = []
    for row in cost.get("split") or []:
        name = row["component"]
        unit = unit_costs.get(name)
        counts.extend([row.get("low"), row.get("central"), row.get("high")])
        flag = status.get(name) or (unit or {}).get("status")
        components.append(
            [
                sentence(name),
                _share_range(row.get("share_low"), row.get("share_high")),
                suppress(row.get("central")),
                _count_range(row.get("low"), row.get("high")),
                gbp(unit["unit_cost_gbp"]) if unit else "not costed",
                _status_text(flag) if unit else "\u2013",
            ]
        )
    components_table = registry.table(
        Table(
            caption="Police.uk \u2018violence and sexual offences\u2019 split by the force's "
            f"offence mix, {cost.get('period', '')}",
            columns=[
                "Component",
                "Share of the force's mix",
                "Estimated crimes a year",
                "Range",
                "Unit cost",
                "Unit cost checked",
            ],
            rows=components,
            numeric=[False, True, True, True, True, False],
            notes=[
                f"Estimated from {thousands(cost.get('vso_count_annualised'), 1)} crimes a year (annualised from "
                f"{plural(cost.get('months_with_data'), 'month')} with data) and the force's mix in the Home Office "
                f"tables for the 12 months ending {join_words(month_name(m) for m in cost.get('mix_editions') or [])}. "
                "These are estimates, not counts."
            ]
            + ([METHOD_NOTE] if any_suppressed(counts) else []),
            compact=True,
        ),
        "table-cost-split",
    )
    unit_table = registry.table(
        Table(
            caption="Home Office unit costs of crime and whether each was checked against the source",
            columns=["Offence group", "Unit cost", "Price year", "Checked against the source", "Source"],
            rows=[
                [
                    row["offence_group"],
                    gbp(row["unit_cost_gbp"]),
                    row["price_year"],
                    _status_text(row["status"]),
                    row["source"],
                ]
                for row in cost.get("unit_costs") or []
            ],
            numeric=[False, True, False, False, False],
            compact=True,
        ),
        "table-unit-costs",
    )
    sexual = cost.get("sexual_offences_cost_range")
    result = {
        "available": True,
        "estimate": estimate,
        "low": gbp_millions(estimate["low"]),
        "central": gbp_millions(estimate["central"]),
        "high": gbp_millions(estimate["high"]),
        "price_year": estimate["price_year"],
        "period": cost.get("period"),
        "method": estimate.get("method"),
        "range_table": range_table,
        "components_table": components_table,
        "unit_table": unit_table,
        "not_costed": [
            (sentence(key), tidy_text(strip_doc_refs(text))) for key, text in (cost.get("not_costed") or {}).items()
        ],
        "sexual_range": f"{gbp_millions(sexual[0])} to {gbp_millions(sexual[1])}" if sexual else None,
        "assumptions": [tidy_text(strip_doc_refs(text)) for text in cost.get("assumptions") or []],
        "unverified": [sentence(name) for name, flag in status.items() if flag != "verified"],
        "headline": None,
    }
    check = cost.get("headline_check")
    if check:
        counts_rows = []
        check_counts = []
        for row in check.get("counts") or []:
            check_counts.extend([row.get("central"), row.get("low"), row.get("high")])
            counts_rows.append(
                [
                    sentence(row["offence_group"]),
                    suppress(row.get("central"), 1),
                    _count_range(row.get("low"), row.get("high"), 1),
                    suppress(row.get("first_published"), 1),
                    thousands(row.get("months_p1")),
                    thousands(row.get("months_p2")),
                    thousands((row.get("months_pro_rata") or 0) + (row.get("months_carried") or 0)),
                ]
            )
        result["headline"] = {
            "claim": check.get("claim"),
            "period": period(check["period"]["from"], check["period"]["to"]),
            "months": thousands(check["period"]["months"]),
            "summary": registry.table(
                Table(
                    caption=f"The published {gbp_millions(check.get('published_gbp'))} headline recomputed from Home "
                    f"Office recorded crime ({check.get('price_year')} prices)",
                    columns=["", "Amount"],
                    rows=[
                        ["Published figure", gbp_millions(check.get("published_gbp"))],
                        ["Recomputed (central)", gbp_millions(check.get("cost_gbp"))],
                        [
                            "Recomputed range",
                            f"{gbp_millions(check.get('cost_low_gbp'))} to {gbp_millions(check.get('cost_high_gbp'))}",
                        ],
                        [
                            "Difference (recomputed \u2212 published)",
                            f"{gbp_millions(check.get('difference_gbp'))} "
                            f"({signed_percent(check.get('difference_percent'))})",
                        ],
                    ],
                    numeric=[False, True],
                ),
                "table-headline",
            ),
            "counts": registry.table(
                Table(
                    caption="Counts behind the recomputed headline",
                    columns=[
                        "Offence group",
                        "Central",
                        "Range",
                        "As first published",
                        "Months from P1",
                        "Months from P2",
                        "Months estimated",
                    ],
                    rows=counts_rows,
                    numeric=[False] + [True] * 6,
                    notes=[
                        "Source: ONS police force area tables (Home Office police recorded crime): Table P1 counts and "
                        "Table P2 percentage changes. These partner-sourced counts follow the suppression rule."
                    ]
                    + ([METHOD_NOTE] if any_suppressed(check_counts) else []),
                    compact=True,
                ),
                "table-headline-counts",
            ),
            "assumptions": [tidy_text(strip_doc_refs(text)) for text in check.get("assumptions") or []],
        }
        result["headline"]["caption_amount"] = gbp_millions(check.get("published_gbp"))
    return result


def _share_range(low: float | None, high: float | None) -> str:
    """ "26.4% to 27.4%"; small shares keep two decimals ("0.03% to 0.03%")."""
    decimals = 2 if (high or 0) < 0.01 else 1
    return f"{percent(low, decimals)} to {percent(high, decimals)}"


def _count_range(low: float | None, high: float | None, decimals: int = 0) -> str:
    """A range of estimated counts under the suppression rule: one "fewer than 5" when both ends are."""
    if is_suppressed(low) and is_suppressed(high):
        return suppress(high)
    return f"{suppress(low, decimals)} to {suppress(high, decimals)}"


def _status_text(status: str | None) -> str:
    if not status:
        return "not recorded"
    if status == "verified":
        return "Verified"
    return "NOT verified" + (f" ({status.split('(', 1)[1].rstrip(')')})" if "(" in status else "")


# ---------------------------------------------------------------- forecast


def _forecast(s: dict, registry: Registry, c: dict) -> dict:
    forecast = s.get("forecast") or {}
    backtest = s.get("backtest") or {}
    coverage = backtest.get("coverage")
    reliable = coverage is not None and coverage >= RELIABLE_COVERAGE
    months = forecast.get("months") or []
    result = {
        "reliable": reliable,
        "coverage": percent(coverage),
        "threshold": percent(RELIABLE_COVERAGE),
        "mae": number(backtest.get("mae"), 0),
        "mape": percent_value(backtest.get("mape"), 1),
        "horizon": thousands(forecast.get("horizon")),
        "confidence": confidence_label(forecast.get("confidence")).replace(" CI", ""),
        "training": period(
            backtest.get("training_first_month") or s["period"]["from"],
            backtest.get("training_last_month") or s["period"]["to"],
        ),
        "family": humanise(forecast.get("family")),
        "simulations": thousands(forecast.get("n_simulations")),
        "notes": [strip_doc_refs(note) for note in forecast.get("notes") or []],
        "population_note": forecast.get("population_note") or "",
        "chart": None,
    }
    if months:
        title = (
            f"Forecast for the next {thousands(len(months))} months: NOT RELIABLE (back-test "
            f"coverage {percent(coverage)})"
            if not reliable
            else f"Forecast for the next {thousands(len(months))} months with its prediction range"
        )
        lower = [row.get("lower") or 0 for row in months]
        upper = [row.get("upper") or 0 for row in months]
        alt = alt_text.forecast_chart(
            c["expected"][-1], [row["month"] for row in months], lower, upper, reliable, coverage
        )
        table = Table(
            caption="Data for the chart: forecast months",
            columns=["Month", "Forecast (central)", f"{result['confidence']} prediction range"],
            rows=[
                [month_name(row["month"]), thousands(row.get("mean")), interval(row.get("lower"), row.get("upper"), 0)]
                for row in months
            ],
            numeric=[False, True, True],
            notes=[]
            if reliable
            else ["The central figure is printed for completeness only: the forecast is not reliable."],
        )
        figure = Figure(id="forecast", title=title, filename="figure-forecast.svg", alt=alt, table=table)
        figure.notes = [
            "The solid line is the observed count. "
            + (
                "The cross-hatched range is where the model puts the next months; it failed its back-test, so no "
                "forecast line is drawn."
                if not reliable
                else "The shaded range is the prediction range and the dashed line the central forecast."
            )
        ]
        result["chart"] = registry.figure(
            figure,
            charts.forecast_chart(
                c["expected"],
                c["profile_months"],
                [row["month"] for row in months],
                [row.get("mean") or 0 for row in months],
                lower,
                upper,
                reliable,
                "Crimes per month",
                title,
                alt,
            ),
        )
    result["backtest_table"] = registry.table(
        Table(
            caption="Back-test: the model fitted up to "
            f"{month_name(backtest.get('training_last_month'))} against the months that followed",
            columns=["Month", "Actual", "Predicted", "Prediction range", "Inside the range"],
            rows=[
                [
                    month_name(row["month"]),
                    thousands(row.get("actual")),
                    thousands(row.get("predicted")),
                    interval(row.get("lower"), row.get("upper"), 0),
                    yes_no(row.get("inside")),
                ]
                for row in backtest.get("rows") or []
            ],
            numeric=[False, True, True, True, False],
        ),
        "table-backtest",
    )
    return result


# ---------------------------------------------------------------- gaps


def _gaps(s: dict, registry: Registry) -> Table:
    pfa = s["area"].get("pfa_name") or "the force"
    gaps = [
        {
            "title": "Service mapping (current provision)",
            "missing": "No map yet of the services that work with people at risk of violence, where they work and "
            "who they reach.",
            "how": "Partners list their services in the portal's service directory (Open Referral UK format); the "
            "directory is then set against the places and groups this assessment identifies.",
        },
        {
            "title": "Partner consultation",
            "missing": "The specified authorities (police, fire and rescue, health, local authority, youth justice, "
            "probation) and education have not yet been asked what they see and what they provide.",
            "how": "A structured consultation through the portal, with each authority's answer recorded and "
            "summarised in the next version of this assessment.",
        },
        {
            "title": "Community and young people's voice",
            "missing": "No survey, focus group or youth forum has yet fed into this assessment.",
            "how": "Surveys and facilitated sessions with young people and communities in the priority "
            "neighbourhoods, with youth services and schools, and the portal's feedback page.",
        },
        {
            "title": "Hospital data (ISB1594)",
            "missing": "Emergency department assault data are not loaded: most assault injuries treated in "
            "emergency departments are never reported to the police, and police.uk cannot show injury or weapon.",
            "how": "A data-sharing agreement with the local emergency departments for the Information Sharing to "
            "Tackle Violence minimum data set (ISB1594), shared monthly, anonymised and aggregated.",
        },
        {
            "title": "Knife-crime data",
            "missing": "police.uk does not publish knife or gun involvement, so knife crime cannot be counted here.",
            "how": f"Home Office recorded crime knife tables for {pfa} and force-recorded knife-enabled offences "
            "for the partnership, loaded with `vru partner` and shown with the suppression rule.",
        },
    ]
    return registry.table(
        Table(
            caption="What has not yet been assessed, and how it will be",
            columns=["Not yet assessed", "What is missing", "How it will be assessed"],
            rows=[[gap["title"], gap["missing"], gap["how"]] for gap in gaps],
        ),
        "table-gaps",
    )


# ---------------------------------------------------------------- methods and appendices


def _methods(s: dict, c: dict) -> dict:
    trend = s["trend"]
    where = s["where"]
    method = where.get("method") or {}
    quintile = (s["deprivation"].get("imd2025") or {}).get("quintile_ratio") or {}
    cost = s.get("cost") or {}
    return {
        "rates": f"Rates are crimes per {c['per_text']} residents a year, annualised over the months with data, "
        f"with exact Poisson {c['ci']}s (Garwood 1936).",
        "trend": f"A generalised linear model of the monthly counts ({humanise(trend.get('family'))}, "
        f"{trend.get('seasonal_method') or 'no seasonal terms'}; offset: {trend.get('offset') or 'none'}), fitted to "
        f"the {thousands(trend.get('months_used'))} months with data. {trend.get('overdispersion_rule') or ''}. "
        "The trend is called rising or falling only when its confidence interval excludes no change.",
        "latest": (s["latest_12_months"].get("method") or "") + "; means per month with data.",
        "forecast": f"The same model projected {thousands((s.get('forecast') or {}).get('horizon'))} months ahead with "
        f"{thousands((s.get('forecast') or {}).get('n_simulations'))} simulations (parameter and count uncertainty); "
        "back-tested by refitting without the last months and checking how many actual months fell inside the "
        "prediction range.",
        "hotspots": f"{method.get('statistic', '')} ({method.get('weights', '')}); {method.get('p_values', '')}; "
        f"{thousands(method.get('permutations'))} permutations, seed {method.get('seed')}. Getis & Ord (1992), Ord & "
        "Getis (1995), Anselin (1995), Benjamini & Hochberg (1995). Hot spots use counts, not rates: neighbourhoods "
        "hold similar populations, and rates of the few with very small populations would swamp the statistic.",
        "persistence": "Each calendar year was tested on its own; a neighbourhood is persistent when hot in every "
        "year, emerging when hot in the latest year but not the first, diminishing when hot in the first but not "
        "the latest, intermittent otherwise. Part-years are included and flagged.",
        "concentration": "Shares of crimes held by the "
        + join_words(f"top {percent(g['share_of_units'])}" for g in s["concentration"]["lsoa"]["groups"])
        + " of neighbourhoods and of police.uk map points, and the Gini coefficient of the Lorenz curve.",
        "deprivation": "Rates pooled by national IMD decile; most against least deprived fifth: "
        + (quintile.get("method") or "")
        + ".",
        "cost": (cost.get("area_estimate") or {}).get("method", "") if cost.get("available") else "No cost estimate.",
        "suppression": METHOD_NOTE,
    }


def _lsoa_appendix(registry: Registry, c: dict) -> Table:
    lsoa = c["lsoa"].sort_values(["rank", "lsoa21_code"])
    rows = [
        [
            f"{row['label']}",
            row["lsoa21_code"],
            thousands(row["population_total"]),
            suppress(row["count"]),
            withhold(row["count"], number(row["rate_per_1000"])),
            withhold(row["count"], interval(row["rate_lower"], row["rate_upper"])),
            thousands(row["rank"]),
            thousands(row.get("imd2025_decile")),
            humanise(row["hotspot"]) if row["hotspot"] != "not significant" else "\u2013",
            humanise(row["persistence"]),
        ]
        for row in lsoa.to_dict("records")
    ]
    return registry.table(
        Table(
            caption=f"Every neighbourhood (LSOA 2021), by rate per {c['per_text']} residents a year",
            columns=[
                "Neighbourhood (ward)",
                "LSOA code",
                "Population",
                "Crimes",
                f"Rate per {c['per_text']}",
                c["ci"],
                "Rank",
                "IMD 2025 decile",
                "Gi* class",
                "Persistence",
            ],
            rows=rows,
            numeric=[False, False, True, True, True, True, True, True, False, False],
            print_rows=PDF_LSOA_ROWS,
            notes=["Gi* class \u201c\u2013\u201d: not a significant hot or cold spot."]
            + ([METHOD_NOTE] if any_suppressed(lsoa["count"]) else []),
            compact=True,
        ),
        "table-lsoa",
    )


def _files(s: dict, registry: Registry) -> dict:
    police = s["sources"].get("police_uk") or []
    reference = s["sources"].get("reference") or []
    return {
        "police": registry.table(
            Table(
                caption="police.uk files used (SHA-256: first 16 characters; the full digests are in summary.json)",
                columns=["Month", "File", "SHA-256", "Loaded"],
                rows=[
                    [
                        month_name(row["month"]),
                        Path(row["source_file"]).name,
                        (row.get("source_sha256") or "")[:16],
                        long_date(row.get("ingested_at")),
                    ]
                    for row in police
                ],
                compact=True,
            ),
            "table-police-files",
        ),
        "reference": registry.table(
            Table(
                caption="Reference files used",
                columns=["Warehouse table", "File", "Rows loaded", "SHA-256"],
                rows=[
                    [
                        row["table_name"],
                        Path(row["source_file"]).name,
                        thousands(row.get("rows_loaded")),
                        (row.get("source_sha256") or "")[:16],
                    ]
                    for row in reference
                ],
                numeric=[False, False, True, False],
                compact=True,
            ),
            "table-reference-files",
        ),
    }
