"""Sections "Risk and protective factors" and "Who is affected": published partner indicators for the area
beside England and its statistical neighbours (templates/sections/partner_factors.html.j2). The bundle's
`partner_factors` holds every figure and test; this only formats. A cell the publisher did not give shows
the publisher's own mark and its meaning."""

from __future__ import annotations

from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation.formatting import join_words, month_name, number, p_value
from vru.report.model import Table
from vru.report.sections.common import Common, Registry

SECTION_IDS = {"risk_factors": "risk-factors", "who_is_affected": "who-is-affected"}


class FactorView(TypedDict):
    title: str
    stands_out: bool
    verdict: str
    table: Table
    neighbour_table: Table | None  # each neighbour's own figure, where only a few publish one
    source: str
    definition: str
    note: str  # how a figure was made where the publisher gives no rate ("" otherwise)


class ChapterView(TypedDict):
    id: str
    factors: list[FactorView]


class PartnerPoliceSourceView(TypedDict):
    title: str
    summary: str
    table: Table | None


class PartnerPoliceView(TypedDict):
    available: bool
    reason: str
    method: str
    how_to_provide: str
    sources: list[PartnerPoliceSourceView]


class PartnerFactorsContext(TypedDict):
    partner_police: PartnerPoliceView
    available: bool
    reason: str
    neighbours: str
    neighbour_source: str
    method: str
    chapters: list[ChapterView]
    not_published: str


def build(bundle: Bundle, registry: Registry, common: Common) -> PartnerFactorsContext:
    data = bundle.summary["partner_factors"]
    if not data.get("available"):
        return PartnerFactorsContext(
            partner_police=_partner_police(registry, bundle.summary["partner_police"]),
            available=False, reason=data["reason"], neighbours="", neighbour_source="", method="", chapters=[],
            not_published="",
        )  # fmt: skip
    area_name = data["area_name"]
    chapters = []
    for key, chapter in data["chapters"].items():
        factors = [
            _factor(registry, factor, area_name, f"table-{SECTION_IDS[key]}-{index}")
            for index, factor in enumerate(chapter["factors"], start=1)
        ]
        chapters.append(ChapterView(id=SECTION_IDS[key], factors=factors))
    return PartnerFactorsContext(
        partner_police=_partner_police(registry, bundle.summary["partner_police"]),
        available=True,
        reason="",
        neighbours=join_words([neighbour["name"] for neighbour in data["neighbours"]]),
        neighbour_source=data["neighbour_source"],
        method=data["method"],
        chapters=chapters,
        not_published=join_words(data["not_published_for_area"]),
    )


def _factor(registry: Registry, factor: dict, area_name: str, table_id: str) -> FactorView:
    rows = []
    neighbour_figures = factor.get("neighbour_figures") or []
    counts = factor.get("area_counts") or [None] * len(factor["years"])
    for index, year in enumerate(factor["years"]):
        if year["area"] is not None:
            own = number(year["area"], 2)
            if counts[index] is not None:
                own += f" ({number(counts[index], 0)})"
        elif year["area_marker"] is not None:
            own = f"{year['area_marker']} ({year['area_marker_meaning']})"
        else:
            own = "not published"
        median = (
            f"{number(year['neighbour_median'], 2)} ({year['neighbours_published']} published)"
            if year["neighbour_median"] is not None
            else "not published"
        )
        england = number(year["england"], 2) if year["england"] is not None else "not published"
        rows.append([year["period"] or str(year["year"]), own, england, median])
    caption = f"{factor['title']} ({factor['unit']})"
    if factor.get("area_counts"):
        caption = f"{factor['title']}: residents from the ONS mid-2020 estimate; in brackets, the number published"
    table = registry.table(
        Table(
            caption=caption,
            columns=["Period", area_name, "England", "Statistical neighbours' median"],
            rows=rows,
            numeric=[False, True, True, True],
        ),
        table_id,
    )
    neighbour_table = None
    if neighbour_figures:  # the few neighbours that publish a figure, each beside the others
        neighbour_table = registry.table(
            Table(
                caption=f"{factor['title']}: each statistical neighbour that publishes a figure",
                columns=["Period", *[figure["name"] for figure in neighbour_figures]],
                rows=[
                    [
                        year["period"] or str(year["year"]),
                        *[
                            number(figure["values"][index], 2)
                            if figure["values"][index] is not None
                            else "not published"
                            for figure in neighbour_figures
                        ],
                    ]
                    for index, year in enumerate(factor["years"])
                ],
                numeric=[False, *[True] * len(neighbour_figures)],
            ),
            f"{table_id}-neighbours",
        )
    source = factor["publication"] + (f"; last updated {factor['updated']}" if factor.get("updated") else "")
    if factor.get("data_owner"):
        source += f"; data owner: {factor['data_owner']}"
    return FactorView(
        title=factor["title"],
        stands_out=factor["stands_out"],
        verdict=_verdict(factor, area_name),
        table=table,
        neighbour_table=neighbour_table,
        source=source,
        definition=factor.get("definition") or factor["name"],
        note=factor.get("method_note") or "",
    )


def _verdict(factor: dict, area_name: str) -> str:
    return _comparison(factor, area_name) + _trend(factor)


def _trend(factor: dict) -> str:
    """The Mann-Kendall trend of the area's own figures over the years published (bundle `trend_tau`)."""
    tau, p = factor.get("trend_tau"), factor.get("trend_p_value")
    if tau is None or p is None:
        return ""
    direction = "rising" if tau > 0 else "falling"
    if p > 0.05:
        return f" Over the years published, no clear trend (Mann-Kendall, Kendall's tau {tau:.2f}, {p_value(p)})."
    return f" Over the years published, {direction} (Mann-Kendall, Kendall's tau {tau:.2f}, {p_value(p)})."


def _comparison(factor: dict, area_name: str) -> str:
    years, above = factor["years_compared"], factor["years_above"]
    if years == 0:
        return f"No year where both {area_name} and its {factor['comparator']} published a figure to compare."
    where = f"{area_name} was above its {factor['comparator']} in {above} of {years} years compared"
    adjusted = p_value(factor["adjusted_p_value"])
    test = f"exact sign test {p_value(factor['p_value'])}; adjusted for the factors compared, {adjusted}"
    if factor["stands_out"]:
        better = {True: ", the worse side", False: ", the better side"}.get(factor["worse"], "")
        return f"Stands out: {where}{better} ({test})."
    return f"Does not stand out: {where} ({test})."


DIRECTION = {"more_than_police": "More seen by the partner", "fewer_than_police": "Fewer seen by the partner"}


def _partner_police(registry: Registry, data: dict) -> PartnerPoliceView:
    """Partner counts by LSOA against police counts (bundle `partner_police`): a table per publishable source
    of the places that differ; partner counts from 1 to 4 are already withheld in the bundle."""
    if not data.get("available"):
        return PartnerPoliceView(
            available=False, reason=data["reason"], method="", how_to_provide=data["how_to_provide"], sources=[]
        )
    sources = []
    for index, source in enumerate(data["sources"], start=1):
        months = (
            f"{month_name(source['months_from'])} to {month_name(source['months_to'])}"
            if source["months"]
            else "no month that police.uk data is also loaded for"
        )
        differing = len(source["places"])
        summary = (
            f"{source['organisation']}, {months}: {source['lsoas_compared']} neighbourhoods with a partner or "
            f"police count compared; {differing or 'none'} differ{'s' if differing == 1 else ''} "
            "more than chance allows."
        )
        table = None
        if source["places"]:
            rows = [
                [
                    f"{place['lsoa21_name']} ({place['lsoa21_code']})",
                    "fewer than 5" if place["partner_withheld"] else number(place["partner"], 0),
                    number(place["police"], 0),
                    DIRECTION[place["direction"]],
                ]
                for place in source["places"]
            ]
            table = registry.table(
                Table(
                    caption=f"{source['title']} against police.uk street crimes, neighbourhoods that differ",
                    columns=["Neighbourhood (LSOA 2021)", "Partner count", "Police count", "Difference"],
                    rows=rows,
                    numeric=[False, True, True, False],
                ),
                f"table-partner-police-{index}",
            )
        sources.append(PartnerPoliceSourceView(title=source["title"], summary=summary, table=table))
    return PartnerPoliceView(
        available=True, reason="", method=data["method"], how_to_provide=data["how_to_provide"], sources=sources
    )
