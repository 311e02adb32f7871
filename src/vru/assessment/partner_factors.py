"""The SNA chapters "Risk and protective factors" and "Who is affected", from published partner indicators.

`partner_factor_chapters(con, area)` reads the area's, England's and its DfE statistical neighbours' rows
from `partner_indicator`, compares each chosen indicator (vru.analysis.factor_comparison), decides across
all of them which stand out (a Benjamini-Hochberg false discovery rate over every factor compared), and
returns plain data for the assessment bundle: each indicator with its source, publication, date, definition
and unit, its years (the area's value or the publisher's marker, England, the neighbours' median) and the
tests. Nothing here is partner record-level data: only published figures.

Counts published without a denominator (the Home Office licensing tables) are compared per 10,000
residents (vru.analysis.per_residents): each authority's licences over its mid-2020 population
(`partner_area_population`), and England as its licensing authorities pooled; each neighbour's own figure
is shown beside the median, as only the neighbours that license alone (not the counties, which license by
district) publish one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from vru.analysis.factor_comparison import FactorComparison, compare_factor, flag_standouts
from vru.analysis.per_residents import per_residents, pooled_per_residents
from vru.warehouse.partner_indicators import (
    area_population,
    neighbours_of,
    publication_label,
    read_indicator_everywhere,
    read_indicators,
)

ENGLAND = "E92000001"
SHARE_UNIT = "% of assessments with any factor recorded"
PER_RESIDENTS = 10_000


@dataclass(frozen=True)
class Factor:
    source: str
    indicator: str
    title: str  # plain words for the report
    share_of_denominator: bool = False  # compare numerator / denominator (counts differ by size of area)
    polarity: str | None = None  # where the publisher gives none
    per_residents: bool = False  # a count published without a denominator: per 10,000 residents


SECTIONS = {
    "risk_factors": (
        "Risk and protective factors",
        (
            Factor("dfe_lait", "FirstYJS", "First-time entrants to the youth justice system"),
            Factor("dfe_lait", "ReoffYO", "Proven re-offending by young people"),
            Factor("dfe_lait", "TotFixedEx", "Suspensions (all pupils)"),
            Factor("dfe_lait", "TotPermEx", "Permanent exclusions (all pupils)"),
            Factor("dfe_lait", "16-17 NEET", "16 and 17 year olds not in education, employment or training"),
            Factor("dfe_lait", "Hosp_Adm_Alc_<18yrs", "Alcohol-specific hospital admissions, under 18s"),
            Factor("dfe_lait", "HospAd0-14", "Hospital admissions for injuries, children aged 0 to 14"),
            Factor("dfe_cin_factors", "Gangs", "Gangs, at the end of social care assessments", True, "low is good"),
            Factor(
                "dfe_cin_factors",
                "Child_criminal_exploitation",
                "Child criminal exploitation, at the end of social care assessments",
                True,
                "low is good",
            ),
            Factor(
                "dfe_cin_factors",
                "Child_sexual_exploitation",
                "Child sexual exploitation, at the end of social care assessments",
                True,
                "low is good",
            ),
            Factor(
                "dfe_cin_factors",
                "Going_missing",
                "Going missing, at the end of social care assessments",
                True,
                "low is good",
            ),  # fmt: skip
            Factor(
                "dfe_cin_factors",
                "Domestic_Abuse_child",
                "Domestic abuse affecting the child, at the end of social care assessments",
                True,
                "low is good",
            ),
            # Licensing is context, not judged: the publication gives no polarity, and neither do we.
            Factor(
                "ho_licensing",
                "Table 2: Total Premises licences",
                "Premises licences (alcohol and late night refreshment) per 10,000 residents",
                per_residents=True,
            ),
            Factor(
                "ho_licensing",
                "Table 3: Premises licences with late night refreshment",
                "Premises licences with late night refreshment per 10,000 residents",
                per_residents=True,
            ),
        ),
    ),
    "who_is_affected": (
        "Who is affected",
        (
            Factor("dfe_lait", "CIN", "Children in need, per 10,000 children"),
            Factor("dfe_lait", "LAC", "Children looked after, per 10,000 children"),
            Factor("dfe_lait", "LAC_Convictions", "Children looked after who offended"),
            Factor("dfe_lait", "Children_missing", "Children looked after who went missing"),
            Factor("dfe_lait", "CINFixedExclusion", "Children in need with at least one suspension"),
            Factor("dfe_lait", "CINPermExclusion", "Children in need with a permanent exclusion"),
        ),
    ),
}
METHOD = (
    "Each figure is compared with England and with the median of the area's ten statistical neighbours "
    "(the local authorities the Department for Education judges most similar). A factor stands out when, "
    "over the years published, the area is above (or below) its neighbours more often than chance allows: "
    "an exact sign test, adjusted for the number of factors compared (a Benjamini-Hochberg false discovery "
    "rate), below 5%. Years the publisher suppressed or did not publish are shown with the publisher's own "
    "mark and left out of the test."
)
PER_RESIDENTS_UNIT = "per 10,000 residents (mid-2020 population)"
PER_RESIDENTS_METHOD = (
    "The Home Office publishes numbers of licences by licensing authority, not rates: each is divided by the "
    "authority's residents (ONS mid-2020 small-area population estimates summed to the local authority, the "
    "same population for every year, so the trend is the trend in licences). England is its licensing "
    "authorities together: the licences of those that published a figure that year over their residents "
    "({england_areas} authorities a year; districts abolished before April 2022 have no population on "
    "today's boundaries and are left out). Counties license by district, so only the statistical neighbours "
    "that are their own licensing authority have a figure; each is shown."
)


NOT_LOADED = (
    "No published partner indicators are loaded for this area: run `vru partner` on the partner "
    "publications (docs/partner-data.md). They are published for local authorities."
)


def partner_factor_chapters(con: duckdb.DuckDBPyConnection, area: str) -> dict:
    """The two chapters for one local authority, as plain data (see the module docstring); for an area
    without published indicators, `{available: false, reason}`."""
    (loaded,) = con.execute("SELECT count(*) FROM partner_indicator WHERE area_code = ?", [area]).fetchone()
    if not loaded:
        return {"available": False, "reason": NOT_LOADED}
    neighbours = neighbours_of(con, area)
    sources = sorted({factor.source for _, factors in SECTIONS.values() for factor in factors})
    rows = read_indicators(con, [area, ENGLAND, *neighbours], sources)
    names = dict(zip(rows["area_code"], rows["area_name"], strict=False))
    built: list[tuple[str, Factor, FactorComparison, pd.DataFrame]] = []
    missing: list[str] = []
    for section, (_, factors) in SECTIONS.items():
        for factor in factors:
            subset = rows[(rows["source"] == factor.source) & (rows["indicator"] == factor.indicator)].copy()
            if subset[subset["area_code"] == area].empty:
                missing.append(factor.title)
                continue
            if factor.share_of_denominator:
                subset["value"] = 100 * subset["numerator"] / subset["denominator"]
            if factor.per_residents:
                subset = _per_residents(con, factor, area, neighbours)
            polarity = factor.polarity or _first(subset["polarity"])
            comparison = compare_factor(subset, factor.indicator, area, ENGLAND, neighbours, polarity)
            built.append((section, factor, comparison, subset))
    flag_standouts([comparison for _, _, comparison, _ in built])
    chapters = {
        section: {"title": title, "factors": []} for section, (title, _) in SECTIONS.items()
    }  # fmt: skip
    for section, factor, comparison, subset in built:
        chapters[section]["factors"].append(_factor_data(factor, comparison, subset, area))
    standouts = [
        factor
        for chapter in chapters.values()
        for factor in chapter["factors"]
        if factor["stands_out"]
    ]  # fmt: skip
    return {
        "available": True,
        "area_code": area,
        "area_name": names.get(area, area),
        "england_code": ENGLAND,
        "neighbours": [{"code": code, "name": names.get(code, code)} for code in neighbours],
        "neighbour_source": "Department for Education statistical neighbours (May 2025)",
        "chapters": chapters,
        "standouts": sorted(standouts, key=lambda factor: factor["adjusted_p_value"]),
        "not_published_for_area": missing,
        "method": METHOD,
    }


def _per_residents(con: duckdb.DuckDBPyConnection, factor: Factor, area: str, neighbours: list[str]) -> pd.DataFrame:
    """The factor's rows for the area and its neighbours per 10,000 residents, and England's pooled over the
    English authorities (its `areas` column says how many each year)."""
    everywhere = read_indicator_everywhere(con, factor.source, factor.indicator)
    population = area_population(con).set_index("area_code")["population"].to_dict()
    compared = per_residents(everywhere[everywhere["area_code"].isin([area, *neighbours])], population, PER_RESIDENTS)
    authorities = everywhere[
        (everywhere["area_level"] == "licensing_authority") & everywhere["area_code"].str.startswith("E")
    ]
    england = pooled_per_residents(authorities, population, PER_RESIDENTS).assign(
        area_code=ENGLAND, area_name="England", marker=None, marker_meaning=None
    )
    compared = pd.concat([compared, england], ignore_index=True)
    compared["unit"] = PER_RESIDENTS_UNIT
    order = {code: rank for rank, code in enumerate([area, ENGLAND, *neighbours])}  # DfE's order of closeness
    ranks = compared["area_code"].map(order)
    return compared.assign(_rank=ranks).sort_values(["_rank", "year"], kind="stable").drop(columns="_rank")


def _factor_data(factor: Factor, comparison: FactorComparison, subset: pd.DataFrame, area: str) -> dict:
    own = subset[subset["area_code"] == area].iloc[0]
    test = comparison.deciding_test
    years = []
    meanings = subset[subset["area_code"] == area].set_index("year")["marker_meaning"].to_dict()
    for row in comparison.years.itertuples(index=False):
        years.append(
            {
                "year": int(row.year),
                "period": row.period if isinstance(row.period, str) else None,
                "area": _number(row.area),
                "area_marker": row.area_marker if isinstance(row.area_marker, str) else None,
                "area_marker_meaning": meanings.get(row.year) if isinstance(row.area_marker, str) else None,
                "england": _number(row.england),
                "neighbour_median": _number(row.neighbour_median),
                "neighbours_published": int(row.neighbours_published),
            }
        )
    extra = _per_residents_data(comparison, subset, area) if factor.per_residents else {}
    return extra | {
        "source": factor.source,
        "indicator": factor.indicator,
        "title": factor.title,
        "name": own["name"] if isinstance(own["name"], str) else factor.indicator,
        "definition": own["definition"] if isinstance(own["definition"], str) else None,
        "unit": SHARE_UNIT if factor.share_of_denominator else own["unit"],
        "polarity": comparison.polarity,
        "publication": publication_label(factor.source),
        "data_owner": own["owner"] if isinstance(own["owner"], str) else None,
        "updated": own["updated"] if isinstance(own["updated"], str) else None,
        "years": years,
        "comparator": comparison.comparator,
        "years_compared": test.years,
        "years_above": test.above,
        "direction": test.direction,
        "p_value": test.p_value,
        "adjusted_p_value": comparison.adjusted_p_value,
        "stands_out": comparison.stands_out,
        "worse": comparison.worse if comparison.stands_out else None,
        "against_england": {
            "years": comparison.against_england.years,
            "above": comparison.against_england.above,
            "p_value": comparison.against_england.p_value,
        },
        "trend_tau": comparison.trend_tau,
        "trend_p_value": comparison.trend_p_value,
    }


def _per_residents_data(comparison: FactorComparison, subset: pd.DataFrame, area: str) -> dict:
    """Each neighbour's own figure by year (few publish one), the area's counts and population, and how many
    authorities England pools, for a factor compared per residents."""
    neighbours = subset[~subset["area_code"].isin([area, ENGLAND])]
    names = neighbours.drop_duplicates("area_code").set_index("area_code")["area_name"]
    by_year = neighbours.set_index(["area_code", "year"])["value"]
    own = subset[subset["area_code"] == area].set_index("year")
    pooled = subset[subset["area_code"] == ENGLAND]["areas"].dropna()
    return {
        "neighbour_figures": [
            {
                "code": code,
                "name": name,
                "values": [_number(by_year.get((code, year))) for year in comparison.years["year"]],
            }
            for code, name in names.items()
        ],
        "area_counts": [_number(own["numerator"].get(year)) for year in comparison.years["year"]],
        "population": _number(own["denominator"].dropna().iloc[0]) if own["denominator"].notna().any() else None,
        "england_areas": [int(pooled.min()), int(pooled.max())] if not pooled.empty else None,
        "method_note": PER_RESIDENTS_METHOD.format(
            england_areas=f"{int(pooled.min())} to {int(pooled.max())}" if not pooled.empty else "no"
        ),
    }


def standout_findings(chapters: dict) -> list[dict]:
    """Key findings (vru.analysis.findings' shape) for the factors that stand out, for the executive summary."""
    if not chapters.get("available"):
        return []
    found = []
    for factor in chapters["standouts"]:
        section = next(key for key, chapter in chapters["chapters"].items() if factor in chapter["factors"])
        found.append(
            {
                "id": f"partner-{factor['indicator']}",
                "section": section.replace("_", " "),
                "text": summary_sentence(factor, chapters["area_name"]),
                "figure": factor["years_above"],
                "figure_text": f"{factor['title']}: {_side(factor)} the statistical neighbours in "
                f"{_count(factor)} of {factor['years_compared']} years",
                "test": "exact sign test over the years, Benjamini-Hochberg across "
                f"{sum(len(c['factors']) for c in chapters['chapters'].values())} factors "
                f"(adjusted p = {factor['adjusted_p_value']:.3f})",
                "significant": True,
            }
        )
    return found


def _side(factor: dict) -> str:
    return "above" if factor["direction"] == "higher" else "below"


def _count(factor: dict) -> int:
    return (
        factor["years_above"] if factor["direction"] == "higher" else factor["years_compared"] - factor["years_above"]
    )


def summary_sentence(factor: dict, area_name: str) -> str:
    """One sentence for the executive summary about a factor that stands out."""
    side = "above" if factor["direction"] == "higher" else "below"
    count = (
        factor["years_above"] if factor["direction"] == "higher" else factor["years_compared"] - factor["years_above"]
    )
    judgement = {True: " (worse)", False: " (better)"}.get(factor["worse"], "")
    return (
        f"{factor['title']}: {area_name} was {side} the median of its statistical neighbours in {count} of "
        f"{factor['years_compared']} years{judgement} ({factor['publication']})."
    )


def _first(values: pd.Series):
    present = values.dropna()
    return present.iloc[0] if not present.empty else None


def _number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
