"""Gaps in provision: for each ward and theme, the need shown by the assessment against the services that
reach it. Pure functions, no I/O; method and limits in docs/methods-gaps.md.

The score is never a black box: every component is returned beside it, each on a 0 to 1 scale with the
plain figure it came from, and a component that cannot be worked out from the data given is None (left out
of the mean, and said so), never a guess.

Need (per ward, the same for every theme unless a theme-specific indicator is given, because police.uk does
not say which theme a crime belongs to):
* ``excess``: how far the ward's rate is above the area's, using the lower 95% bound of the ward's rate so
  that a small ward's noisy rate does not count as excess: ``max(0, rate_lower / area_rate - 1)``, capped
  at 1 (twice the area's rate or more);
* ``clusters``: the share of the ward's residents living in LSOAs that are Gi* hot spots or Local Moran
  high-high clusters;
* ``deprivation``: the share of residents in LSOAs in the most deprived national fifth (IMD deciles 1-2);
* ``young_people``: how far the ward's share of residents aged 10 to 24 is above the area's, capped at 1
  (twice the area's share);
* partner indicators (optional, per ward and theme): each divided by its largest value across wards.

Provision (per ward and theme, services for the theme that serve the ward and some ages 10 to 24):
* ``services``: 1 with two or more such services, 0.5 with one, 0 with none;
* ``distance``: from the ward's population-weighted centre to the nearest location of those services,
  1 within ``NEAR_KM``, falling linearly to 0 at ``FAR_KM``; None when none has a location;
* ``hours``: the share of the hours when need is highest (only where data say when) in which one of them
  is open; None when no data say when;
* ``capacity``: places a week per 1,000 residents aged 10 to 24, divided by the best-provided ward's for
  the theme; None when none of them states a capacity;
* ``funding``: the share of them whose funding does not end within ``FUNDING_HORIZON_DAYS`` of the date
  of the analysis.

``gap = need × (1 − provision)``, where need and provision are the means of their available components.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

__all__ = [
    "AGE_FROM",
    "AGE_TO",
    "area_rate",
    "FAR_KM",
    "FUNDING_HORIZON_DAYS",
    "NEAR_KM",
    "OpeningTime",
    "Service",
    "distance_km",
    "gap_table",
    "hours_covered",
    "need_by_ward",
    "population_weighted_centres",
]

AGE_FROM, AGE_TO = 10, 24  # the Serious Violence Duty's focus on young people, as the bundle's population
NEAR_KM = 2.0  # about a 25-minute walk
FAR_KM = 10.0  # beyond this a young person without a car needs more than one bus
FUNDING_HORIZON_DAYS = 365
EARTH_RADIUS_KM = 6371.0088

NEED_COMPONENTS = ("excess", "clusters", "deprivation", "young_people")
PROVISION_COMPONENTS = ("services", "distance", "hours", "capacity", "funding")


@dataclass(frozen=True)
class OpeningTime:
    """A weekly opening: weekday 0 (Monday) to 6 (Sunday), from and to minutes after midnight. A closing
    time at or before the opening time runs past midnight into the next day."""

    weekday: int
    opens: int
    closes: int

    def hours(self) -> set[tuple[int, int]]:
        """The (weekday, hour) slots this opening touches for at least part of the hour."""
        end = self.closes if self.closes > self.opens else self.closes + 24 * 60
        slots = set()
        minute = self.opens - self.opens % 60
        while minute < end:
            slots.add(((self.weekday + minute // (24 * 60)) % 7, (minute // 60) % 24))
            minute += 60
        return slots


@dataclass(frozen=True)
class Service:
    """What the gap analysis needs to know about one service in the directory."""

    id: str
    themes: frozenset[str]
    wards: frozenset[str] | None = None  # None: serves the whole area
    minimum_age: float | None = None
    maximum_age: float | None = None
    locations: tuple[tuple[float, float], ...] = ()  # (latitude, longitude)
    opening: tuple[OpeningTime, ...] = ()
    capacity_per_week: int | None = None
    funding_ends: date | None = None

    def serves(self, ward_code: str, theme: str) -> bool:
        if theme not in self.themes:
            return False
        if self.wards is not None and ward_code not in self.wards:
            return False
        low = -math.inf if self.minimum_age is None else self.minimum_age
        high = math.inf if self.maximum_age is None else self.maximum_age
        return low <= AGE_TO and high >= AGE_FROM


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance in km between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def population_weighted_centres(lsoa: pd.DataFrame) -> pd.DataFrame:
    """One row per ward: ``ward_code``, ``latitude``, ``longitude``, the mean of its LSOAs' centres
    (``latitude``, ``longitude``) weighted by ``population_total``. A ward whose LSOAs have no residents
    recorded gets the unweighted mean."""
    required = {"ward_code", "latitude", "longitude", "population_total"}
    _require(lsoa, required, "LSOA")
    rows = []
    for ward_code, group in lsoa.groupby("ward_code", sort=True):
        weights = group["population_total"].fillna(0).astype(float)
        if weights.sum() <= 0:
            weights = pd.Series(1.0, index=group.index)
        rows.append(
            {
                "ward_code": ward_code,
                "latitude": float((group["latitude"] * weights).sum() / weights.sum()),
                "longitude": float((group["longitude"] * weights).sum() / weights.sum()),
            }
        )
    return pd.DataFrame(rows, columns=["ward_code", "latitude", "longitude"])


def area_rate(ward: pd.DataFrame) -> float:
    """The whole area's rate from the ward rows: the population-weighted mean of the ward rates, which is
    the total count over the total population when every ward's rate covers the same period."""
    _require(ward, {"rate_per_1000", "population_total"}, "ward")
    population = ward["population_total"].astype(float)
    return float((ward["rate_per_1000"].astype(float) * population).sum() / population.sum())


def need_by_ward(
    lsoa: pd.DataFrame, ward: pd.DataFrame, *, area_rate: float, imd_column: str = "imd2025_decile"
) -> pd.DataFrame:
    """The need components of each ward (see the module docstring), with the figures they came from.

    Both frames are the bundle's tables. ``lsoa``: ``ward_code``, ``population_total``,
    ``population_10_24``, the IMD decile (``imd_column``), ``hotspot`` ("hot spot") and ``moran_cluster``
    ("High-High"). ``ward``: ``ward_code``, ``ward_name``, ``rate_per_1000`` and ``rate_lower`` (a year).
    ``area_rate``: the whole area's rate (``area_rate(ward)``).
    """
    _require(
        lsoa, {"ward_code", "population_total", "population_10_24", imd_column, "hotspot", "moran_cluster"}, "LSOA"
    )
    _require(ward, {"ward_code", "ward_name", "rate_per_1000", "rate_lower"}, "ward")
    if not area_rate or area_rate <= 0:
        raise ValueError("area_rate must be a positive rate")
    frame = lsoa.copy()
    frame["population"] = frame["population_total"].fillna(0).astype(float)
    frame["population_10_24"] = frame["population_10_24"].fillna(0).astype(float)
    hot = frame["hotspot"].fillna("").astype(str).str.lower().str.startswith("hot")
    high_high = frame["moran_cluster"].fillna("").astype(str).str.lower().eq("high-high")
    frame["in_cluster"] = frame["population"].where(hot | high_high, 0.0)
    frame["most_deprived"] = frame["population"].where(frame[imd_column].isin([1, 2]), 0.0)
    sums = frame.groupby("ward_code")[["population", "population_10_24", "in_cluster", "most_deprived"]].sum()
    area_young_share = sums["population_10_24"].sum() / sums["population"].sum()

    rows = []
    for record in ward.to_dict("records"):
        code = record["ward_code"]
        totals = sums.loc[code] if code in sums.index else None
        population = float(totals["population"]) if totals is not None else 0.0
        ci_low = record["rate_lower"]
        excess = None if _missing(ci_low) else min(1.0, max(0.0, float(ci_low) / area_rate - 1.0))
        young_share = totals["population_10_24"] / population if population else None
        rows.append(
            {
                "ward_code": code,
                "ward_name": record["ward_name"],
                "rate": None if _missing(record["rate_per_1000"]) else float(record["rate_per_1000"]),
                "rate_lower": None if _missing(ci_low) else float(ci_low),
                "area_rate": float(area_rate),
                "population": population,
                "population_10_24": float(totals["population_10_24"]) if totals is not None else 0.0,
                "young_share": young_share,
                "area_young_share": float(area_young_share),
                "excess": excess,
                "clusters": float(totals["in_cluster"] / population) if population else None,
                "deprivation": float(totals["most_deprived"] / population) if population else None,
                "young_people": None
                if young_share is None
                else min(1.0, max(0.0, young_share / area_young_share - 1.0)),
            }
        )
    return pd.DataFrame(rows)


def hours_covered(opening: Iterable[OpeningTime], need_hours: Iterable[tuple[int, int]]) -> float | None:
    """The share of the (weekday, hour) slots in ``need_hours`` when one of ``opening`` is open, or None
    when no need hours are given."""
    wanted = set(need_hours)
    if not wanted:
        return None
    open_slots: set[tuple[int, int]] = set()
    for time in opening:
        open_slots |= time.hours()
    return len(wanted & open_slots) / len(wanted)


def gap_table(
    need: pd.DataFrame,
    services: Sequence[Service],
    themes: Sequence[str],
    *,
    as_of: date,
    centres: pd.DataFrame | None = None,
    need_hours: Mapping[str, Iterable[tuple[int, int]]] | None = None,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per ward and theme: need components, provision components, their figures, the three scores
    and ``reasons`` (plain sentences naming what drives the score). Sorted by gap, largest first.

    ``need``: from ``need_by_ward``. ``centres``: from ``population_weighted_centres`` (without it,
    distance is None). ``need_hours``: per theme, the (weekday, hour) slots when need is highest, only
    where data say so. ``indicators``: partner indicators, columns ``ward_code``, ``theme`` (None or ""
    for every theme), ``indicator`` and ``value`` (higher means more need), and optionally ``reason`` (a
    sentence added to the row's reasons, e.g. from vru.analysis.factor_need).
    """
    _require(need, {"ward_code", "ward_name", "population_10_24", *NEED_COMPONENTS}, "need")
    need_hours = {theme: set(slots) for theme, slots in (need_hours or {}).items()}
    centre_of = {}
    if centres is not None and not centres.empty:
        centre_of = {row.ward_code: (row.latitude, row.longitude) for row in centres.itertuples()}
    scaled_indicators = _scaled_indicators(indicators)
    indicator_reasons = _indicator_reasons(indicators)
    horizon = as_of + timedelta(days=FUNDING_HORIZON_DAYS)

    rows = []
    for ward in need.to_dict("records"):
        for theme in themes:
            serving = [service for service in services if service.serves(ward["ward_code"], theme)]
            row = {
                "ward_code": ward["ward_code"],
                "ward_name": ward["ward_name"],
                "theme": theme,
                **{name: ward[name] for name in NEED_COMPONENTS},
            }
            partner = _indicators_for(scaled_indicators, ward["ward_code"], theme)
            partner_reasons = [
                *indicator_reasons.get((ward["ward_code"], "*"), []),
                *indicator_reasons.get((ward["ward_code"], theme), []),
            ]
            for name, value in partner.items():
                row[f"indicator:{name}"] = value
            need_values = [row[name] for name in NEED_COMPONENTS] + list(partner.values())
            row["need"] = _mean(need_values)
            row["_partner_reasons"] = partner_reasons

            row["service_count"] = len(serving)
            row["service_ids"] = [service.id for service in serving]
            row["services"] = 1.0 if len(serving) >= 2 else 0.5 if serving else 0.0
            nearest = _nearest_km(centre_of.get(ward["ward_code"]), serving)
            row["nearest_km"] = nearest
            row["distance"] = None if nearest is None else _distance_score(nearest)
            row["hours"] = hours_covered(
                [time for service in serving for time in service.opening], need_hours.get(theme, ())
            )
            stated = [service.capacity_per_week for service in serving if service.capacity_per_week is not None]
            young = ward["population_10_24"]
            row["capacity_per_1000"] = sum(stated) / young * 1000 if stated and young else None
            ending = [service.id for service in serving if service.funding_ends and service.funding_ends <= horizon]
            row["funding_ending_ids"] = ending
            row["funding"] = 1.0 - len(ending) / len(serving) if serving else 0.0
            rows.append(row)

    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    best = frame.groupby("theme")["capacity_per_1000"].transform("max")
    frame["capacity"] = [
        None if _missing(value) or not top else float(value) / float(top)
        for value, top in zip(frame["capacity_per_1000"], best, strict=True)
    ]
    frame["provision"] = [
        # With no service at all, provision is 0 whatever else is unknown.
        0.0 if row["service_count"] == 0 else _mean([row[name] for name in PROVISION_COMPONENTS])
        for row in frame.to_dict("records")
    ]
    frame["gap"] = [
        None if _missing(need_score) else need_score * (1.0 - provision)
        for need_score, provision in zip(frame["need"], frame["provision"], strict=True)
    ]
    frame["reasons"] = [_reasons(row) + row["_partner_reasons"] for row in frame.to_dict("records")]
    frame = frame.drop(columns="_partner_reasons")
    frame = frame.sort_values(["gap", "ward_code", "theme"], ascending=[False, True, True], na_position="last")
    frame["rank"] = range(1, len(frame) + 1)
    return frame.reset_index(drop=True)


def _reasons(row: Mapping) -> list[str]:
    reasons = []
    if row.get("excess"):
        reasons.append("Violence rate above the area's, beyond chance")
    if row.get("clusters"):
        reasons.append(f"{row['clusters']:.0%} of residents live in hot spots or high-high clusters")
    if row.get("deprivation"):
        reasons.append(f"{row['deprivation']:.0%} of residents live in the most deprived fifth of England")
    if row.get("young_people"):
        reasons.append("More residents aged 10 to 24 than the area's share")
    if row["service_count"] == 0:
        reasons.append("No service in the directory for this theme serves the ward and ages 10 to 24")
    elif row["service_count"] == 1:
        reasons.append("Only one service for this theme serves the ward and ages 10 to 24")
    if row.get("nearest_km") is not None and row["nearest_km"] > NEAR_KM:
        reasons.append(f"Nearest location {row['nearest_km']:.1f} km from the ward's population-weighted centre")
    if row.get("hours") is not None and row["hours"] < 1:
        reasons.append(f"Open in {row['hours']:.0%} of the hours when need is highest")
    if row.get("funding_ending_ids"):
        reasons.append(f"Funding ends within 12 months for {len(row['funding_ending_ids'])} of its services")
    return reasons


def _scaled_indicators(indicators: pd.DataFrame | None) -> dict[tuple[str, str], dict[str, float]]:
    if indicators is None or indicators.empty:
        return {}
    _require(indicators, {"ward_code", "theme", "indicator", "value"}, "indicators")
    scaled: dict[tuple[str, str], dict[str, float]] = {}
    for name, group in indicators.groupby("indicator"):
        top = group["value"].max()
        for row in group.itertuples():
            value = 0.0 if not top or top <= 0 else max(0.0, float(row.value) / float(top))
            theme_key = row.theme if isinstance(row.theme, str) and row.theme else "*"
            scaled.setdefault((row.ward_code, theme_key), {})[str(name)] = value
    return scaled


def _indicator_reasons(indicators: pd.DataFrame | None) -> dict[tuple[str, str], list[str]]:
    """(ward, theme or "*") -> the indicators' reason sentences, once each, in the order given."""
    if indicators is None or indicators.empty or "reason" not in indicators:
        return {}
    found: dict[tuple[str, str], list[str]] = {}
    for row in indicators.itertuples():
        if isinstance(row.reason, str) and row.reason:
            theme_key = row.theme if isinstance(row.theme, str) and row.theme else "*"
            sentences = found.setdefault((row.ward_code, theme_key), [])
            if row.reason not in sentences:
                sentences.append(row.reason)
    return found


def _indicators_for(scaled: Mapping[tuple[str, str], dict[str, float]], ward_code: str, theme: str) -> dict:
    """The ward's indicators for every theme ("*") and for this theme."""
    return {**scaled.get((ward_code, "*"), {}), **scaled.get((ward_code, theme), {})}


def _nearest_km(centre: tuple[float, float] | None, serving: Sequence[Service]) -> float | None:
    points = [point for service in serving for point in service.locations]
    if centre is None or not points:
        return None
    return min(distance_km(centre, point) for point in points)


def _distance_score(km: float) -> float:
    if km <= NEAR_KM:
        return 1.0
    if km >= FAR_KM:
        return 0.0
    return (FAR_KM - km) / (FAR_KM - NEAR_KM)


def _mean(values: Iterable) -> float | None:
    present = [float(value) for value in values if not _missing(value)]
    return sum(present) / len(present) if present else None


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _require(frame: pd.DataFrame, columns: set[str], what: str) -> None:
    missing = columns - set(frame.columns)
    if missing:
        raise ValueError(f"the {what} frame needs columns {sorted(columns)}; missing {sorted(missing)}")
