"""Provision gaps by ward and theme: the published assessment's wards against the service directory, through
the toolkit's pure method `vru.analysis.gaps` (method and limits: docs/methods-gaps.md).

This module is the portal's only way into the gap analysis. It reads only portal rows (the stored
assessment tables and outlines, the directory's published services), never the warehouse or the bundle
folder; the toolkit and pandas are imported inside the function, so loading the web process imports
neither (tests/unit/portal/test_web_process_does_not_load_the_toolkit.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

from portal.insights.models import PublishedAssessment

DAY_INDEX = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


@dataclass(frozen=True)
class ServiceFacts:
    """What the gap analysis needs from one directory service, in plain values."""

    id: str
    themes: frozenset[str]
    area_codes: frozenset[str]  # ONS codes of its service areas; empty means everywhere it is listed
    minimum_age: float | None
    maximum_age: float | None
    locations: tuple[tuple[float, float], ...]
    opening: tuple[tuple[str, time | None, time | None], ...]  # (iCal days "MO,TU", opens, closes)
    capacity_per_week: int | None
    funding_ends: date | None


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def lsoa_centres(boundaries: dict) -> dict[str, tuple[float, float]]:
    """(latitude, longitude) of each LSOA's outline centre, from the stored GeoJSON."""
    from portal.insights.presentation import svg

    centres = {}
    for feature in (boundaries.get("lsoa21") or {}).get("features", []):
        centre = svg.ring_centre(feature["geometry"])
        code = (feature.get("properties") or {}).get("code")
        if centre and code:
            centres[code] = (centre[1], centre[0])
    return centres


def provision_gaps(
    assessment: PublishedAssessment, services: Iterable[ServiceFacts], themes: Sequence[str], *, as_of: date
) -> list[dict]:
    """One record per ward and theme (see vru.analysis.gaps.gap_table), JSON-safe, largest gap first."""
    import pandas as pd

    from vru.analysis import gaps
    from vru.analysis.factor_need import factor_need_indicators
    from vru.analysis.records import json_safe

    summary = assessment.summary
    area = summary.get("area") or {}
    covering = {code for code in (assessment.area_code, area.get("pfa_code")) if code}
    lsoa = pd.DataFrame(assessment.tables.get("lsoa") or [])
    ward = pd.DataFrame(assessment.tables.get("ward") or [])
    if lsoa.empty or ward.empty:
        return []
    centres = lsoa_centres(assessment.boundaries or {})
    lsoa["latitude"] = [centres.get(code, (None, None))[0] for code in lsoa["lsoa21_code"]]
    lsoa["longitude"] = [centres.get(code, (None, None))[1] for code in lsoa["lsoa21_code"]]
    located = lsoa.dropna(subset=["latitude", "longitude"])

    ward_codes = set(ward["ward_code"])
    need = gaps.need_by_ward(lsoa, ward, area_rate=gaps.area_rate(ward))
    table = gaps.gap_table(
        need,
        [_service(facts, covering, ward_codes) for facts in services],
        themes,
        as_of=as_of,
        centres=gaps.population_weighted_centres(located) if not located.empty else None,
        # Risk factors that stand out for the area on the worse side raise the need of their themes.
        indicators=factor_need_indicators(summary.get("partner_factors") or {}, ward["ward_code"]),
    )
    return [json_safe(record) for record in table.to_dict("records")]


def _service(facts: ServiceFacts, covering: set[str], ward_codes: set[str]):
    from vru.analysis.gaps import OpeningTime, Service

    if not facts.area_codes or facts.area_codes & covering:
        wards = None
    else:
        wards = frozenset(facts.area_codes & ward_codes)
    opening = []
    for days, opens, closes in facts.opening:
        if opens is None or closes is None:
            continue
        for day in (part.strip().upper()[-2:] for part in days.split(",") if part.strip()):
            if day in DAY_INDEX:
                opening.append(OpeningTime(weekday=DAY_INDEX[day], opens=_minutes(opens), closes=_minutes(closes)))
    return Service(
        id=facts.id,
        themes=facts.themes,
        wards=wards,
        minimum_age=facts.minimum_age,
        maximum_age=facts.maximum_age,
        locations=facts.locations,
        opening=tuple(opening),
        capacity_per_week=facts.capacity_per_week,
        funding_ends=facts.funding_ends,
    )
