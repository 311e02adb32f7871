"""Reproduce a published cost-of-violence claim from the ONS police force area tables.

A claim such as "homicide and violence with injury cost <force> nearly £Xm between <month> and <month>" is checked
by rebuilding the counts from Table P1 and P2 rows and costing them at the Home Office unit costs
(`vru.analysis.cost`). The claims themselves are data (src/vru/reference_data/published_cost_claims.toml, read by
`vru.sources.cost_claims`): nothing here names a force. Pure functions over DataFrames; docs/cost.md explains the
method.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vru.analysis.cost import CostResult, cost_of_offences, pfa_mask
from vru.months import month_from_index, month_index
from vru.offences import offence_key
from vru.presentation.formatting import money


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
        return month_from_index(self.end)

    def distance(self, month: int) -> int:
        return 0 if self.start <= month <= self.end else min(abs(month - self.start), abs(month - self.end))


def _annual_totals(frame: pd.DataFrame, pfa: str, group: str, latest: bool) -> dict[int, _Period]:
    """One 12-month total per period end from Table P1 and P2 rows: the latest edition's (or the first)."""
    rows = frame[pfa_mask(frame, pfa) & (frame["offence_group"] == group) & frame["table_id"].isin(["P1", "P2"])]
    rows = rows[rows["count"].notna()].sort_values("edition_end", ascending=not latest)
    periods: dict[int, _Period] = {}
    for row in rows.itertuples(index=False):
        end = month_index(row.period_end)
        if end not in periods:
            periods[end] = _Period(end, float(row.count), float(row.count), row.edition_end, row.table_id)
    if not latest:
        return periods
    # Put totals from older editions on the latest basis: factor = the latest figure / the older edition's
    # figure for the most recent period both give.
    by_edition: dict[str, dict[int, float]] = {}
    for row in rows.itertuples(index=False):
        by_edition.setdefault(row.edition_end, {})[month_index(row.period_end)] = float(row.count)
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
                "month": month_from_index(month),
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
class ClaimCheck:
    """A published cost claim recomputed from the ONS tables, with every assumption."""

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
    rough_cost_gbp: float | None  # the claim's rough cross-check, costed (None when it gives none)
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
            f"  cost {money(self.cost.total_gbp)} "
            f"(range {money(self.cost_low_gbp)}-{money(self.cost_high_gbp)}); "
            f"published {money(self.published_gbp)}; difference {money(self.difference_gbp)} "
            f"({self.difference_pct:+.1f}%)",
            f"  as first published (no revision alignment): {money(self.first_published_cost_gbp)}",
        ]
        if self.rough_cost_gbp is not None:
            lines.append(f"  rough cross-check from the claim's approximate counts: {money(self.rough_cost_gbp)}")
        return "\n".join(lines + [f"- {a}" for a in self.assumptions])


def reproduce_claim(
    recorded_crime_frame: pd.DataFrame,
    unit_costs: pd.DataFrame,
    pfa: str,
    start: str,
    end: str,
    *,
    groups: Iterable[str],
    published_gbp: float,
    rough_counts_per_month: Mapping[str, float] | None = None,
    rough_counts_in_period: Mapping[str, float] | None = None,
) -> ClaimCheck:
    """Recompute a claim "<groups> cost <pfa> <published_gbp> between <start> and <end>" from the force's rows of
    the ONS tables. `rough_counts_*`: the claim's own approximate counts, costed as a cross-check.

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
    first, last = month_index(start), month_index(end)
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
    rough = {group: count * months for group, count in (rough_counts_per_month or {}).items()}
    rough.update(rough_counts_in_period or {})
    monthly_frame = pd.concat(monthly, ignore_index=True)
    periods_frame = pd.DataFrame(period_rows)
    assumptions = _claim_assumptions(counts, monthly_frame, periods_frame, central)
    assumptions += _force_notes(recorded_crime_frame, pfa)
    return ClaimCheck(
        pfa=pfa,
        start=month_from_index(first),
        end=month_from_index(last),
        months=months,
        counts=counts,
        monthly=monthly_frame,
        periods=periods_frame,
        cost=central,
        cost_low_gbp=low.total_gbp,
        cost_high_gbp=high.total_gbp,
        first_published_cost_gbp=as_published.total_gbp,
        published_gbp=float(published_gbp),
        rough_cost_gbp=cost_of_offences(rough, unit_costs).total_gbp if rough else None,
        assumptions=assumptions,
    )


def _force_notes(frame: pd.DataFrame, pfa: str) -> list[str]:
    """The ONS notes attached to the force's own Table P1 rows (e.g. a recording correction), once each."""
    rows = frame[pfa_mask(frame, pfa) & (frame["table_id"] == "P1")]
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


def _claim_assumptions(
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
