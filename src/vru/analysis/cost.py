"""The cost of violence: unit costs applied to counts, police.uk's mixed category split, the seed headline.

Pure functions over DataFrames and dicts; no I/O. docs/cost.md explains the methods and the figures.

* `cost_of_offences`: count x Home Office unit cost per offence group, with the price year and each unit
  cost's status (verified or not) carried into the result. Costs stay in the unit costs' price year
  (2015/16) unless the caller supplies a GDP deflator ratio: the toolkit ships no deflator values.
* `force_mix` + `split_violence_and_sexual_offences`: police.uk's "Violence and sexual offences" mixes
  homicide, violence with and without injury, stalking and harassment, death or serious injury by
  unlawful driving and sexual offences. A smaller area's count is split with the force's mix from Table
  P1 of the ONS police force area tables: a central estimate (the most recent edition's shares) and a
  low-high range (each component's lowest and highest share across the editions used), never one number.
* `estimate_cost_of_area_violence`: the split, costed, as a low / central / high range.
* `reproduce_headline`: checks the seed page's "between November 2015 and March 2019, homicide and
  violence with injury cost Avon and Somerset nearly £765 million" against the ONS tables.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vru.offences import offence_key

BASE_PRICE_YEAR = "2015/16"
PUBLISHED_HEADLINE_GBP = 765_000_000.0
HEADLINE_PFA = "Avon and Somerset"
HEADLINE_CLAIM = (
    "Between November 2015 and March 2019, homicide and violence with injury cost Avon and Somerset nearly "
    "£765 million (Bath & North East Somerset VRU web page, quoting the Avon and Somerset Serious Violence "
    "Strategy 2019)."
)
HEADLINE_GROUPS = ("homicide", "violence_with_injury")
# domain-facts.md: "recorded violence with injury of roughly 1,050 a month plus about 50 homicides".
DOMAIN_FACTS_VWI_PER_MONTH = 1050
DOMAIN_FACTS_HOMICIDES = 50

# What police.uk's "Violence and sexual offences" holds, as ONS Table P1 groups: the whole of "violence
# against the person" (its five sub-groups) plus "sexual offences".
VSO_COMPONENTS = (
    "homicide",
    "violence_with_injury",
    "violence_without_injury",
    "stalking_and_harassment",
    "death_or_serious_injury_unlawful_driving",
    "sexual_offences",
)
# The unit cost each component is costed at; components without one are reported as not costed.
COMPONENT_UNIT_COST = {
    "homicide": "homicide",
    "violence_with_injury": "violence_with_injury",
    "violence_without_injury": "violence_without_injury",
}
NOT_COSTED_REASON = {
    "stalking_and_harassment": "no Home Office unit cost for stalking and harassment in the table",
    "death_or_serious_injury_unlawful_driving": "no unit cost for death or serious injury by unlawful driving",
    "sexual_offences": (
        "Table P1 does not split rape (unit cost {rape}) from other sexual offences ({other}): no single "
        "unit cost applies; sexual_offences_cost_range gives the all-other to all-rape bounds"
    ),
}


def _gbp(value: float) -> str:
    sign = "-" if value < 0 else ""
    if abs(value) >= 1e6:
        return f"{sign}£{abs(value) / 1e6:,.1f}m"
    return f"{sign}£{abs(value):,.0f}"


# ---------------------------------------------------------------------------------------------------
# Unit costs applied to counts


@dataclass
class CostResult:
    """Cost of a set of offence counts."""

    total_gbp: float
    by_group: pd.DataFrame  # offence_group, count, unit_cost_gbp, status, verified, source, cost_gbp
    price_year: str
    base_price_year: str
    deflator_ratio: float | None
    uncosted: dict[str, str]  # offence group -> why it is not in the total
    notes: list[str]

    @property
    def unverified_groups(self) -> list[str]:
        return [row.offence_group for row in self.by_group.itertuples() if not row.verified]

    def describe(self) -> str:
        lines = [f"Total {_gbp(self.total_gbp)} in {self.price_year} prices."]
        for row in self.by_group.itertuples():
            flag = "" if row.verified else f" [unit cost {row.status}]"
            lines.append(
                f"  {row.offence_group}: {row.count:,.1f} x £{row.unit_cost_gbp:,.0f} = {_gbp(row.cost_gbp)}{flag}"
            )
        lines += [f"  not costed: {group} ({reason})" for group, reason in self.uncosted.items()]
        return "\n".join(lines + self.notes)


def _counts(counts_by_group) -> dict[str, float]:
    if isinstance(counts_by_group, pd.DataFrame):
        if not {"offence_group", "count"} <= set(counts_by_group.columns):
            raise ValueError("a counts frame needs offence_group and count columns")
        grouped = counts_by_group.groupby("offence_group", sort=False)["count"].sum(min_count=1)
        items = grouped.items()
    elif isinstance(counts_by_group, pd.Series | Mapping):
        items = counts_by_group.items()
    else:
        raise TypeError("counts_by_group must be a dict, a Series or a frame with offence_group and count")
    result: dict[str, float] = {}
    for group, count in items:
        key = offence_key(group)
        value = float("nan") if count is None or pd.isna(count) else float(count)
        if not math.isnan(value) and value < 0:
            raise ValueError(f"negative count for {group!r}: {count}")
        result[key] = result.get(key, 0.0) + value
    return result


def _unit_cost_table(unit_costs: pd.DataFrame) -> pd.DataFrame:
    needed = {"unit_cost_gbp", "price_year", "status", "source"}
    if not needed <= set(unit_costs.columns) or not ({"key", "offence_group"} & set(unit_costs.columns)):
        raise ValueError(
            "unit_costs needs key (or offence_group), unit_cost_gbp, price_year, status and source columns "
            "(as vru.sources.unit_costs.read_unit_costs returns)"
        )
    table = unit_costs.copy()
    if "key" not in table.columns:
        table["key"] = table["offence_group"].map(offence_key)
    if "verified" not in table.columns:
        table["verified"] = table["status"].astype(str).str.strip().str.casefold() == "verified"
    years = sorted(set(table["price_year"]))
    if len(years) != 1:
        raise ValueError(f"unit costs are in more than one price year ({', '.join(years)}): cannot add them")
    if table["key"].duplicated().any():
        raise ValueError(f"unit costs repeat an offence group: {sorted(table['key'][table['key'].duplicated()])}")
    return table.set_index("key")


def cost_of_offences(
    counts_by_group,
    unit_costs: pd.DataFrame,
    *,
    deflator_ratio: float | None = None,
    price_year: str | None = None,
    deflator_source: str | None = None,
    include_unverified: bool = True,
) -> CostResult:
    """Cost of offence counts at the unit costs, total and per group, with price year and statuses.

    `counts_by_group`: {offence group: count} (or a Series, or a frame with offence_group and count);
    groups are matched to the unit costs' `key` in snake_case. Groups without a unit cost, or with a
    missing count, are listed in `uncosted` and left out of the total. `deflator_ratio` (GDP deflator of
    the target year / that of the unit costs' year) with `price_year` (the target year's label) uplifts
    every cost; without one the costs stay in the unit costs' own price year. `include_unverified=False`
    leaves out costs whose status is not "verified" (listed in `uncosted`).
    """
    counts = _counts(counts_by_group)
    table = _unit_cost_table(unit_costs)
    base_year = str(table["price_year"].iloc[0])
    notes: list[str] = []
    if deflator_ratio is None:
        if price_year not in (None, base_year):
            raise ValueError(f"price_year {price_year!r} needs a deflator_ratio from {base_year}")
        ratio, target_year = 1.0, base_year
        notes.append(
            f"Costs are in {base_year} prices (the unit costs' price year): no GDP deflator was supplied, and "
            "the toolkit ships no deflator values."
        )
    else:
        if not (isinstance(deflator_ratio, int | float) and math.isfinite(deflator_ratio) and deflator_ratio > 0):
            raise ValueError(f"deflator_ratio must be a positive number, not {deflator_ratio!r}")
        if not price_year:
            raise ValueError("a deflator_ratio needs the price_year it converts to")
        ratio, target_year = float(deflator_ratio), price_year
        notes.append(
            f"Costs uplifted from {base_year} to {price_year} prices by the caller-supplied GDP deflator ratio "
            f"{ratio:.4f}" + (f" ({deflator_source})" if deflator_source else "") + "."
        )
    rows, uncosted = [], {}
    for group, count in counts.items():
        if group not in table.index:
            uncosted[group] = "no unit cost for this group in the unit cost table"
            continue
        cost = table.loc[group]
        if math.isnan(count):
            uncosted[group] = "count not available"
            continue
        if not cost["verified"] and not include_unverified:
            uncosted[group] = f"unit cost not verified (status: {cost['status']}) and unverified costs excluded"
            continue
        rows.append(
            {
                "offence_group": group,
                "count": count,
                "unit_cost_gbp": float(cost["unit_cost_gbp"]) * ratio,
                "status": cost["status"],
                "verified": bool(cost["verified"]),
                "source": cost["source"],
                "cost_gbp": count * float(cost["unit_cost_gbp"]) * ratio,
            }
        )
    by_group = pd.DataFrame(
        rows, columns=["offence_group", "count", "unit_cost_gbp", "status", "verified", "source", "cost_gbp"]
    )
    unverified = [f"{row.offence_group} ({row.status})" for row in by_group.itertuples() if not row.verified]
    if unverified:
        notes.append("Unit costs NOT verified against the source document: " + "; ".join(unverified) + ".")
    return CostResult(
        total_gbp=float(by_group["cost_gbp"].sum()),
        by_group=by_group,
        price_year=target_year,
        base_price_year=base_year,
        deflator_ratio=None if deflator_ratio is None else ratio,
        uncosted=uncosted,
        notes=notes,
    )


# ---------------------------------------------------------------------------------------------------
# The force's mix of violent and sexual offences, and the split of police.uk's category


def _pfa_mask(frame: pd.DataFrame, pfa: str) -> pd.Series:
    wanted = pfa.strip().casefold()
    names = frame["pfa_name"].astype(str).str.strip().str.casefold()
    codes = frame["pfa_code"].astype("string").str.strip().str.casefold()
    return (names == wanted) | (codes == wanted).fillna(False)


@dataclass
class ForceMix:
    """Counts and shares of the `VSO_COMPONENTS` in a force's Table P1, one row per edition."""

    pfa_name: str
    pfa_code: str | None
    counts: pd.DataFrame  # index edition_end, columns components
    central_edition: str
    method: str = (
        "central: the shares in the most recent edition used; low and high: each component's lowest and "
        "highest share across the editions used (rolling 12-month totals, so neighbouring editions overlap)"
    )

    @property
    def editions(self) -> list[str]:
        return list(self.counts.index)

    @property
    def shares(self) -> pd.DataFrame:
        return self.counts.div(self.counts.sum(axis=1), axis=0)

    @property
    def central(self) -> dict[str, float]:
        return self.shares.loc[self.central_edition].to_dict()

    @property
    def low(self) -> dict[str, float]:
        return self.shares.min().to_dict()

    @property
    def high(self) -> dict[str, float]:
        return self.shares.max().to_dict()

    @classmethod
    def from_counts(
        cls, counts: Mapping[str, Mapping[str, float]], pfa_name: str, pfa_code: str | None = None
    ) -> ForceMix:
        """From {edition_end: {component: count}} (e.g. hand-made in a test)."""
        frame = pd.DataFrame.from_dict(counts, orient="index").reindex(columns=list(VSO_COMPONENTS))
        if frame.isna().any().any():
            missing = frame.columns[frame.isna().any()].tolist()
            raise ValueError(f"every edition needs a count for each component; missing: {missing}")
        frame = frame.astype(float).sort_index()
        frame.index.name = "edition_end"
        if (frame.sum(axis=1) <= 0).any():
            raise ValueError("an edition has no offences in these groups")
        return cls(pfa_name, pfa_code, frame, central_edition=str(frame.index[-1]))


def force_mix(recorded_crime: pd.DataFrame, pfa: str, editions: Iterable[str] | None = None) -> ForceMix:
    """The force's violent and sexual offence mix from Table P1 rows (one per edition) of the tidy frame.

    `pfa` is a name ("Avon and Somerset") or code (E23000036). Editions missing a component's count are
    left out; ValueError if none is left.
    """
    rows = recorded_crime[
        (recorded_crime["table_id"] == "P1")
        & (recorded_crime["period_end"] == recorded_crime["edition_end"])
        & recorded_crime["offence_group"].isin(VSO_COMPONENTS)
        & _pfa_mask(recorded_crime, pfa)
    ]
    if editions is not None:
        wanted = list(editions)
        rows = rows[rows["edition_end"].isin(wanted)]
    if rows.empty:
        raise ValueError(f"no Table P1 rows for {pfa!r} in the recorded crime frame")
    table = rows.pivot_table(
        index="edition_end", columns="offence_group", values="count", aggfunc="first", dropna=False
    ).reindex(columns=list(VSO_COMPONENTS))
    table = table.astype("Float64").astype(float).dropna()
    if table.empty:
        raise ValueError(f"no edition has a count for every one of {', '.join(VSO_COMPONENTS)} for {pfa!r}")
    first = rows.iloc[0]
    code = first["pfa_code"] if isinstance(first["pfa_code"], str) else None
    return ForceMix.from_counts(table.to_dict(orient="index"), str(first["pfa_name"]), code)


@dataclass
class SplitResult:
    """An ESTIMATE of a police.uk 'Violence and sexual offences' count by component: central and range."""

    vso_count: float
    components: pd.DataFrame  # component, share_low/central/high, low, central, high
    pfa_name: str
    editions: list[str]
    central_edition: str
    method: str
    assumption: str

    def describe(self) -> str:
        lines = [
            f"Estimated split of {self.vso_count:,.0f} 'Violence and sexual offences' (police.uk does not "
            "record injury):"
        ]
        for row in self.components.itertuples():
            lines.append(
                f"  {row.component}: about {row.central:,.0f} (range {row.low:,.0f}-{row.high:,.0f}; "
                f"share {row.share_central:.1%})"
            )
        return "\n".join([*lines, self.assumption])


def split_violence_and_sexual_offences(
    vso_count: float, force_mix: ForceMix, area_name: str = "the area"
) -> SplitResult:
    """Estimate the components of a police.uk 'Violence and sexual offences' count from the force mix.

    central = count x the most recent edition's share (the centrals add up to the count); low / high =
    count x the component's lowest / highest share across the editions (these do not add up to the
    count: each is that component's own plausible range).
    """
    if vso_count is None or not math.isfinite(float(vso_count)) or float(vso_count) < 0:
        raise ValueError(f"vso_count must be a non-negative number, not {vso_count!r}")
    count = float(vso_count)
    central, low, high = force_mix.central, force_mix.low, force_mix.high
    components = pd.DataFrame(
        {
            "component": list(VSO_COMPONENTS),
            "share_low": [low[c] for c in VSO_COMPONENTS],
            "share_central": [central[c] for c in VSO_COMPONENTS],
            "share_high": [high[c] for c in VSO_COMPONENTS],
        }
    )
    for level in ("low", "central", "high"):
        components[level] = count * components[f"share_{level}"]
    editions = force_mix.editions
    span = editions[0] if len(editions) == 1 else f"{editions[0]} to {editions[-1]}"
    assumption = (
        f"ASSUMPTION: this assumes {area_name} has the same mix of violent and sexual offence types as "
        f"{force_mix.pfa_name} as a whole (police recorded crime, Table P1 of the ONS police force area "
        f"tables, 12 months ending {span}; central figures use the 12 months ending "
        f"{force_mix.central_edition}). That is unlikely to hold exactly: town centres, night-time economies "
        "and deprived neighbourhoods have different mixes from rural areas, and the mix changes over time "
        "(the low-high range shows how much it moved across the editions). police.uk does not say whether a "
        "violent offence "
        "caused injury; these are estimates, not counts. It also assumes police.uk's category holds the "
        "whole of ONS 'violence against the person' plus 'sexual offences'."
    )
    return SplitResult(
        vso_count=count,
        components=components,
        pfa_name=force_mix.pfa_name,
        editions=editions,
        central_edition=force_mix.central_edition,
        method=force_mix.method,
        assumption=assumption,
    )


@dataclass
class AreaCostEstimate:
    """Cost of an area's violence, estimated from police.uk counts split by the force mix."""

    by_year: pd.DataFrame  # year, vso_count, cost_low_gbp, cost_central_gbp, cost_high_gbp
    total_low_gbp: float
    total_central_gbp: float
    total_high_gbp: float
    price_year: str
    unit_cost_status: dict[str, str]  # costed component -> status as published
    not_costed: dict[str, str]  # component -> why
    sexual_offences_cost_range: tuple[float, float] | None  # (all other sexual offences, all rape)
    splits: dict[str, SplitResult]
    assumptions: list[str]

    def describe(self) -> str:
        lines = [
            f"Estimated cost {_gbp(self.total_low_gbp)} to {_gbp(self.total_high_gbp)} (central "
            f"{_gbp(self.total_central_gbp)}), {self.price_year} prices, for "
            f"{', '.join(f'{c} (unit cost {s})' for c, s in self.unit_cost_status.items())}."
        ]
        lines += [f"Not costed: {c}: {why}" for c, why in self.not_costed.items()]
        return "\n".join(lines + self.assumptions)


def estimate_cost_of_area_violence(
    vso_count_by_year,
    force_mix: ForceMix,
    unit_costs: pd.DataFrame,
    *,
    area_name: str = "the area",
    deflator_ratio: float | None = None,
    price_year: str | None = None,
    deflator_source: str | None = None,
    include_unverified: bool = True,
) -> AreaCostEstimate:
    """Low / central / high cost of an area's 'Violence and sexual offences' counts, per year and in all.

    `vso_count_by_year`: {year label: count} or a Series. Each count is split with
    `split_violence_and_sexual_offences`; components with a unit cost (homicide, violence with and without
    injury) are costed at the low, central and high counts. Low and high take every component at its
    own lowest / highest share at once, so the range is wider than any one edition's mix would give.
    """
    items = vso_count_by_year.items() if isinstance(vso_count_by_year, Mapping | pd.Series) else None
    if items is None:
        raise TypeError("vso_count_by_year must be a dict or a Series of counts by year")
    table = _unit_cost_table(unit_costs)
    rows, splits = [], {}
    statuses: dict[str, str] = {}
    cost_kwargs = {
        "deflator_ratio": deflator_ratio,
        "price_year": price_year,
        "deflator_source": deflator_source,
        "include_unverified": include_unverified,
    }
    sexual = {"low": 0.0, "high": 0.0}
    result_year = None
    for year, count in items:
        split = split_violence_and_sexual_offences(count, force_mix, area_name)
        splits[str(year)] = split
        row = {"year": str(year), "vso_count": float(count)}
        for level in ("low", "central", "high"):
            counts = {
                COMPONENT_UNIT_COST[c.component]: getattr(c, level)
                for c in split.components.itertuples()
                if c.component in COMPONENT_UNIT_COST
            }
            result = cost_of_offences(counts, unit_costs, **cost_kwargs)
            row[f"cost_{level}_gbp"] = result.total_gbp
            result_year = result.price_year
            statuses.update({r.offence_group: r.status for r in result.by_group.itertuples()})
        rows.append(row)
        sexual_row = split.components.set_index("component").loc["sexual_offences"]
        sexual["low"] += sexual_row["low"]
        sexual["high"] += sexual_row["high"]
    if not rows:
        raise ValueError("no counts given")
    ratio = 1.0 if deflator_ratio is None else float(deflator_ratio)
    sexual_range = None
    if {"rape", "other_sexual_offences"} <= set(table.index):
        sexual_range = (
            sexual["low"] * float(table.loc["other_sexual_offences", "unit_cost_gbp"]) * ratio,
            sexual["high"] * float(table.loc["rape", "unit_cost_gbp"]) * ratio,
        )
    rape = table["unit_cost_gbp"].get("rape")
    other = table["unit_cost_gbp"].get("other_sexual_offences")
    not_costed = {
        component: NOT_COSTED_REASON[component].format(
            rape=_gbp(rape) if rape is not None else "not in the table",
            other=_gbp(other) if other is not None else "not in the table",
        )
        for component in VSO_COMPONENTS
        if component not in COMPONENT_UNIT_COST
    }
    for component, key in COMPONENT_UNIT_COST.items():
        if key not in statuses and component not in not_costed:
            not_costed[component] = (
                "unit cost not verified and unverified costs excluded"
                if key in table.index
                else "no unit cost in the table"
            )
    by_year = pd.DataFrame(rows)
    assumptions = [
        next(iter(splits.values())).assumption,
        "Low and high combine each component's lowest (highest) share across the editions at once.",
        "The homicide component is a share of a very small number: where the area's actual homicides are "
        "known, use them instead.",
    ]
    return AreaCostEstimate(
        by_year=by_year,
        total_low_gbp=float(by_year["cost_low_gbp"].sum()),
        total_central_gbp=float(by_year["cost_central_gbp"].sum()),
        total_high_gbp=float(by_year["cost_high_gbp"].sum()),
        price_year=result_year,
        unit_cost_status=statuses,
        not_costed=not_costed,
        sexual_offences_cost_range=sexual_range,
        splits=splits,
        assumptions=assumptions,
    )


# ---------------------------------------------------------------------------------------------------
# The seed page's headline


def _month_index(month: str) -> int:
    match = re.fullmatch(r"(\d{4})-(\d{2})", str(month))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"{month!r} is not a month like 2019-03")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass
class _Period:
    """A 12-month total: months end-11 .. end (month indexes)."""

    end: int
    count: float  # after any revision factor
    published: float
    edition: str
    table_id: str
    factor: float = 1.0

    @property
    def start(self) -> int:
        return self.end - 11

    @property
    def label(self) -> str:
        return _month_label(self.end)

    def distance(self, month: int) -> int:
        return 0 if self.start <= month <= self.end else min(abs(month - self.start), abs(month - self.end))


def _annual_totals(frame: pd.DataFrame, pfa: str, group: str, latest: bool) -> dict[int, _Period]:
    """One 12-month total per period end from Table P1 and P2 rows: the latest edition's (or the first)."""
    rows = frame[_pfa_mask(frame, pfa) & (frame["offence_group"] == group) & frame["table_id"].isin(["P1", "P2"])]
    rows = rows[rows["count"].notna()].sort_values("edition_end", ascending=not latest)
    periods: dict[int, _Period] = {}
    for row in rows.itertuples(index=False):
        end = _month_index(row.period_end)
        if end not in periods:
            periods[end] = _Period(end, float(row.count), float(row.count), row.edition_end, row.table_id)
    if not latest:
        return periods
    # Put totals from older editions on the latest basis: factor = the latest figure / the older edition's
    # figure for the most recent period both give.
    by_edition: dict[str, dict[int, float]] = {}
    for row in rows.itertuples(index=False):
        by_edition.setdefault(row.edition_end, {})[_month_index(row.period_end)] = float(row.count)
    # Newest edition first, so a factor built on a figure that was itself scaled carries that scaling.
    for period in sorted(periods.values(), key=lambda p: p.edition, reverse=True):
        own = by_edition[period.edition]
        shared = [end for end in own if periods[end].edition != period.edition]
        if shared:
            end = max(shared)
            period.factor = periods[end].count / own[end] if own[end] else 1.0
            period.count = period.published * period.factor
    return periods


def _assign_months(periods: dict[int, _Period], first: int, last: int) -> pd.DataFrame:
    """Each month's estimated count (central, low, high), how it was found and from which total."""
    chosen: list[_Period] = []
    for period in sorted(periods.values(), key=lambda p: p.end, reverse=True):
        inside = first <= period.start and period.end <= last
        if inside and all(period.end < p.start or period.start > p.end for p in chosen):
            chosen.append(period)
    rates = [p.count / 12 for p in periods.values()]
    rows = []
    for month in range(first, last + 1):
        direct = next((p for p in chosen if p.start <= month <= p.end), None)
        if direct is not None:
            method = "Table P1" if direct.table_id == "P1" else "derived from Table P2"
            value = low = high = direct.count / 12
            source = direct
        elif containing := [p for p in periods.values() if p.start <= month <= p.end]:
            source = min(containing, key=lambda p: (abs((p.start + p.end) / 2 - month), -p.end))
            method = "pro rata"
            value = source.count / 12
            low, high = min(p.count / 12 for p in containing), max(p.count / 12 for p in containing)
        elif periods:
            source = min(periods.values(), key=lambda p: (p.distance(month), -p.end))
            method = "carried"
            value, low, high = source.count / 12, min(rates), max(rates)
        else:
            source, method, value, low, high = None, "none", np.nan, np.nan, np.nan
        rows.append(
            {
                "month": _month_label(month),
                "method": method,
                "central": value,
                "low": low,
                "high": high,
                "from_period_end": source.label if source else None,
                "from_edition": source.edition if source else None,
            }
        )
    return pd.DataFrame(rows)


@dataclass
class HeadlineCheck:
    """The seed page's £765m headline recomputed from the ONS tables, with every assumption."""

    pfa: str
    start: str
    end: str
    months: int
    counts: pd.DataFrame  # offence_group, central, low, high, first_published, months by method
    monthly: pd.DataFrame  # offence_group, month, method, central, low, high, from_period_end, from_edition
    periods: pd.DataFrame  # the 12-month totals available: offence_group, period_end, edition, ...
    cost: CostResult
    cost_low_gbp: float
    cost_high_gbp: float
    first_published_cost_gbp: float
    published_gbp: float
    domain_facts_cost_gbp: float
    assumptions: list[str]

    @property
    def price_year(self) -> str:
        return self.cost.price_year

    @property
    def difference_gbp(self) -> float:
        return self.cost.total_gbp - self.published_gbp

    @property
    def difference_pct(self) -> float:
        return 100 * self.difference_gbp / self.published_gbp

    def describe(self) -> str:
        lines = [
            f"{self.pfa}, {self.start} to {self.end} ({self.months} months), {self.price_year} prices:",
        ]
        for row in self.counts.itertuples():
            lines.append(
                f"  {row.offence_group}: {row.central:,.0f} (range {row.low:,.0f}-{row.high:,.0f}); months from "
                f"Table P1 {row.months_p1}, derived from P2 {row.months_p2}, pro rata {row.months_pro_rata}, "
                f"carried {row.months_carried}"
            )
        lines += [
            f"  cost {_gbp(self.cost.total_gbp)} (range {_gbp(self.cost_low_gbp)}-{_gbp(self.cost_high_gbp)}); "
            f"published {_gbp(self.published_gbp)}; difference {_gbp(self.difference_gbp)} "
            f"({self.difference_pct:+.1f}%)",
            f"  as first published (no revision alignment): {_gbp(self.first_published_cost_gbp)}",
            f"  domain-facts check ({DOMAIN_FACTS_VWI_PER_MONTH:,} violence with injury a month + "
            f"{DOMAIN_FACTS_HOMICIDES} homicides): {_gbp(self.domain_facts_cost_gbp)}",
        ]
        return "\n".join(lines + [f"- {a}" for a in self.assumptions])


def reproduce_headline(
    recorded_crime_frame: pd.DataFrame,
    unit_costs: pd.DataFrame,
    pfa: str = HEADLINE_PFA,
    start: str = "2015-11",
    end: str = "2019-03",
    *,
    groups: Iterable[str] = HEADLINE_GROUPS,
    published_gbp: float = PUBLISHED_HEADLINE_GBP,
) -> HeadlineCheck:
    """Recompute 'homicide and violence with injury cost <pfa> nearly £765m between <start> and <end>'.

    Method (nothing here is tuned to the published figure):
    1. 12-month totals per period end come from Table P1 (the edition's own year) and Table P2 (its
       percentage change gives the year before). Where several editions give the same period, the latest
       edition's figure is used (revisions), and a total only an older edition gives is scaled by the
       ratio latest / older of the most recent period both editions give (so all years share one basis).
    2. Non-overlapping 12-month totals lying wholly inside the window are taken, latest first; each of
       their months counts 1/12 of the total (exact over the 12 months).
    3. A month no such total covers takes 1/12 of a 12-month total that contains it (pro rata) if one
       exists, otherwise 1/12 of the nearest 12-month total ("carried"), with a low-high range from the
       smallest and largest 12-month totals available.
    4. The counts are costed at the unit costs, in their price year.
    """
    first, last = _month_index(start), _month_index(end)
    if last < first:
        raise ValueError(f"end {end} is before start {start}")
    groups = [offence_key(g) for g in groups]
    months = last - first + 1
    count_rows, monthly, period_rows = [], [], []
    first_published: dict[str, float] = {}
    for group in groups:
        periods = _annual_totals(recorded_crime_frame, pfa, group, latest=True)
        if not periods:
            raise ValueError(f"no Table P1 or P2 counts of {group} for {pfa!r}")
        assigned = _assign_months(periods, first, last)
        assigned.insert(0, "offence_group", group)
        monthly.append(assigned)
        published = _assign_months(_annual_totals(recorded_crime_frame, pfa, group, latest=False), first, last)
        first_published[group] = float(published["central"].sum())
        methods = assigned["method"].value_counts()
        count_rows.append(
            {
                "offence_group": group,
                "central": float(assigned["central"].sum()),
                "low": float(assigned["low"].sum()),
                "high": float(assigned["high"].sum()),
                "first_published": first_published[group],
                "months_p1": int(methods.get("Table P1", 0)),
                "months_p2": int(methods.get("derived from Table P2", 0)),
                "months_pro_rata": int(methods.get("pro rata", 0)),
                "months_carried": int(methods.get("carried", 0)),
            }
        )
        used = set(assigned["from_period_end"].dropna())
        for period in sorted(periods.values(), key=lambda p: p.end):
            period_rows.append(
                {
                    "offence_group": group,
                    "period_end": period.label,
                    "edition_end": period.edition,
                    "table_id": period.table_id,
                    "published_count": period.published,
                    "revision_factor": period.factor,
                    "count_used": period.count,
                    "used": period.label in used,
                }
            )
    counts = pd.DataFrame(count_rows)
    central = cost_of_offences(dict(zip(counts["offence_group"], counts["central"], strict=True)), unit_costs)
    low = cost_of_offences(dict(zip(counts["offence_group"], counts["low"], strict=True)), unit_costs)
    high = cost_of_offences(dict(zip(counts["offence_group"], counts["high"], strict=True)), unit_costs)
    as_published = cost_of_offences(first_published, unit_costs)
    facts = cost_of_offences(
        {"violence_with_injury": DOMAIN_FACTS_VWI_PER_MONTH * months, "homicide": DOMAIN_FACTS_HOMICIDES},
        unit_costs,
    )
    monthly_frame = pd.concat(monthly, ignore_index=True)
    periods_frame = pd.DataFrame(period_rows)
    assumptions = _headline_assumptions(counts, monthly_frame, periods_frame, central)
    assumptions += _force_notes(recorded_crime_frame, pfa)
    return HeadlineCheck(
        pfa=pfa,
        start=_month_label(first),
        end=_month_label(last),
        months=months,
        counts=counts,
        monthly=monthly_frame,
        periods=periods_frame,
        cost=central,
        cost_low_gbp=low.total_gbp,
        cost_high_gbp=high.total_gbp,
        first_published_cost_gbp=as_published.total_gbp,
        published_gbp=float(published_gbp),
        domain_facts_cost_gbp=facts.total_gbp,
        assumptions=assumptions,
    )


def _force_notes(frame: pd.DataFrame, pfa: str) -> list[str]:
    """The ONS notes attached to the force's own Table P1 rows (e.g. a recording correction), once each."""
    rows = frame[_pfa_mask(frame, pfa) & (frame["table_id"] == "P1")]
    notes: dict[str, tuple[str, set[str]]] = {}  # wording-insensitive key -> (text, editions)
    for row in rows.drop_duplicates(["edition_end", "note"]).itertuples(index=False):
        if not isinstance(row.note, str):
            continue
        for part in row.note.split("; "):
            if part.startswith(f"{row.pfa_name} [note"):
                text = part.split("]: ", 1)[-1].strip()
                key = re.sub(r"[^a-z0-9]+", " ", text.casefold().replace("&", "and")).strip()
                notes.setdefault(key, (text, set()))[1].add(row.edition_end)
    return [f"ONS note on {pfa} (editions {', '.join(sorted(editions))}): {text}" for text, editions in notes.values()]


def _headline_assumptions(
    counts: pd.DataFrame, monthly: pd.DataFrame, periods: pd.DataFrame, cost: CostResult
) -> list[str]:
    notes = [
        "Counts are police recorded crime (ONS police force area tables, Table P1 offence groups); the "
        "published figure's own source and method are not stated on the seed page.",
        "A 12-month total is spread evenly over its months: monthly counts are not published in these tables, "
        "and differencing overlapping rolling totals gives only Q(q) - Q(q-4), never a quarter on its own, so "
        "no quarterly counts are derived.",
    ]
    for row in periods[periods["used"]].itertuples():
        how = (
            f"from Table P1 of the {row.edition_end} edition"
            if row.table_id == "P1"
            else f"derived from Table P2's percentage change in the {row.edition_end} edition"
        )
        scaled = (
            f", scaled by {row.revision_factor:.4f} to the latest edition's basis"
            if abs(row.revision_factor - 1) > 1e-9
            else ""
        )
        notes.append(
            f"{row.offence_group}, 12 months ending {row.period_end}: {row.published_count:,.0f} {how}"
            f"{scaled} (used: {row.count_used:,.1f})."
        )
    for group, rows in monthly.groupby("offence_group", sort=False):
        for method in ("pro rata", "carried"):
            part = rows[rows["method"] == method]
            if part.empty:
                continue
            sources = ", ".join(sorted(set(part["from_period_end"])))
            what = (
                "1/12 of a 12-month total containing the month"
                if method == "pro rata"
                else "the monthly average of the nearest 12-month total (no published count covers them)"
            )
            notes.append(
                f"{group}: {len(part)} months ({part['month'].iloc[0]} to {part['month'].iloc[-1]}) estimated "
                f"as {what}, 12 months ending {sources}: {part['central'].sum():,.1f} "
                f"(range {part['low'].sum():,.1f}-{part['high'].sum():,.1f} from the smallest and largest "
                "12-month totals available)."
            )
    if (periods["used"] & (periods["table_id"] == "P2")).any():
        notes.append(
            "Table P2 gives a percentage change, not a count: previous year = P1 count / (1 + change/100). "
            "ONS shows '-' instead of a change when the base is under 50, so small counts (homicide) get no "
            "previous-year figure."
        )
    if cost.uncosted:
        notes.append(f"Not costed: {cost.uncosted}.")
    notes += cost.notes
    notes.append(
        "Since the year ending June 2017 'stalking and harassment' and 'death or serious injury - unlawful "
        "driving' are separate groups; the violence with injury used here excludes them (ONS Table P1 note)."
    )
    return notes
