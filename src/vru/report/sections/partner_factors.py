"""Sections "Risk and protective factors" and "Who is affected": published partner indicators for the area
beside England and its statistical neighbours (templates/sections/partner_factors.html.j2). The bundle's
`partner_factors` holds every figure and test; this only formats. A cell the publisher did not give shows
the publisher's own mark and its meaning."""

from __future__ import annotations

from typing import TypedDict

from vru.bundle import Bundle
from vru.presentation.formatting import join_words, number, p_value
from vru.report.model import Table
from vru.report.sections.common import Common, Registry

SECTION_IDS = {"risk_factors": "risk-factors", "who_is_affected": "who-is-affected"}


class FactorView(TypedDict):
    title: str
    stands_out: bool
    verdict: str
    table: Table
    source: str
    definition: str


class ChapterView(TypedDict):
    id: str
    factors: list[FactorView]


class PartnerFactorsContext(TypedDict):
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
    for year in factor["years"]:
        if year["area"] is not None:
            own = number(year["area"], 2)
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
    table = registry.table(
        Table(
            caption=f"{factor['title']} ({factor['unit']})",
            columns=["Period", area_name, "England", "Statistical neighbours' median"],
            rows=rows,
            numeric=[False, True, True, True],
        ),
        table_id,
    )
    source = factor["publication"] + (f"; last updated {factor['updated']}" if factor.get("updated") else "")
    if factor.get("data_owner"):
        source += f"; data owner: {factor['data_owner']}"
    return FactorView(
        title=factor["title"],
        stands_out=factor["stands_out"],
        verdict=_verdict(factor, area_name),
        table=table,
        source=source,
        definition=factor.get("definition") or factor["name"],
    )


def _verdict(factor: dict, area_name: str) -> str:
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
