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

Reproducing a published cost claim from the ONS tables is `vru.analysis.cost_claim`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from vru.offences import offence_key
from vru.presentation.formatting import money

BASE_PRICE_YEAR = "2015/16"

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
        lines = [f"Total {money(self.total_gbp)} in {self.price_year} prices."]
        for row in self.by_group.itertuples():
            flag = "" if row.verified else f" [unit cost {row.status}]"
            lines.append(
                f"  {row.offence_group}: {row.count:,.1f} x £{row.unit_cost_gbp:,.0f} = {money(row.cost_gbp)}{flag}"
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


def pfa_mask(frame: pd.DataFrame, pfa: str) -> pd.Series:
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
        & pfa_mask(recorded_crime, pfa)
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
            f"Estimated cost {money(self.total_low_gbp)} to {money(self.total_high_gbp)} (central "
            f"{money(self.total_central_gbp)}), {self.price_year} prices, for "
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
            rape=money(rape) if rape is not None else "not in the table",
            other=money(other) if other is not None else "not in the table",
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
