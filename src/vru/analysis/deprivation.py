"""Incidents and deprivation: rates by IMD decile, the most- against least-deprived rate ratio, and
correlations with the IMD domains.

Pure functions over one row per LSOA, no I/O. Rates are per 1,000 residents a year (person-years from
`vru.analysis.rates.person_years`) with exact Poisson intervals; the quintile ratio is the LSOA-level
model of `vru.analysis.group_ratio` (over-dispersion allowed). Methods and caveats: docs/methods-spatial.md.

The IMD's Crime domain is built from recorded crime, so a correlation of crime rates with it (or with the
overall IMD, which includes it) is partly circular: `domain_correlations` flags it.

Deciles are national (England) IMD deciles as published: 1 is the most deprived 10% of LSOAs in
England, 10 the least. A local area need not contain LSOAs of every decile (Bath and North East
Somerset has few in decile 1), so every decile 1..10 is listed and the empty ones say so.

These are ecological (area-level) associations: a higher rate in more deprived LSOAs does not show that
deprived people are more often victims or offenders, and police.uk locations are where incidents were
recorded (snapped to anonymised points), not where the people involved live.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from vru.analysis import records
from vru.analysis.group_ratio import lsoa_rate_ratio
from vru.analysis.rates import annual_rate, person_years

__all__ = [
    "DECILES",
    "LEAST_DEPRIVED",
    "MOST_DEPRIVED",
    "QuintileRatio",
    "domain_correlations",
    "is_circular",
    "quintile_rate_ratio",
    "rate_by_decile",
    "to_records",
]

DECILES = tuple(range(1, 11))
MOST_DEPRIVED = (1, 2)  # the most deprived national quintile
LEAST_DEPRIVED = (9, 10)  # the least deprived national quintile
PER = 1000


def _lsoa_frame(lsoa: pd.DataFrame) -> pd.DataFrame:
    required = {"lsoa21_code", "count", "population", "imd_decile"}
    missing = required - set(lsoa.columns)
    if missing:
        raise ValueError(f"the LSOA frame needs {sorted(required)}; missing {sorted(missing)}")
    frame = lsoa[["lsoa21_code", "count", "population", "imd_decile"]].copy()
    if frame["lsoa21_code"].duplicated().any():
        duplicated = frame.loc[frame["lsoa21_code"].duplicated(), "lsoa21_code"].unique().tolist()
        raise ValueError(f"duplicate LSOA codes, e.g. {duplicated[:5]}: one row per LSOA")
    for column in ("count", "population", "imd_decile"):
        frame[column] = pd.to_numeric(frame[column], errors="raise")
        if frame[column].isna().any():
            codes = frame.loc[frame[column].isna(), "lsoa21_code"].tolist()
            raise ValueError(f"{column} is missing for {len(codes)} LSOAs, e.g. {codes[:5]}")
    if (frame["count"] < 0).any() or (frame["population"] < 0).any():
        raise ValueError("count and population must be non-negative")
    if not frame["imd_decile"].isin(DECILES).all():
        bad = sorted(frame.loc[~frame["imd_decile"].isin(DECILES), "imd_decile"].unique().tolist())
        raise ValueError(f"imd_decile must be a whole number 1..10, got {bad}")
    frame["imd_decile"] = frame["imd_decile"].astype(int)
    return frame


def rate_by_decile(lsoa: pd.DataFrame, *, months_with_data: float, confidence: float = 0.95) -> pd.DataFrame:
    """Rate per 1,000 residents a year in each national IMD decile, with the exact Poisson interval.

    `months_with_data` is the number of months the counts cover: the exposure is person-years.
    `lsoa` has one row per LSOA with lsoa21_code, count, population and imd_decile (1 = most deprived).
    Returns ten rows, deciles 1..10, with columns imd_decile, lsoas, count, population, rate_per_1000,
    lower and upper. A decile with no LSOAs in the area has lsoas 0, count 0, population 0 and rate,
    lower and upper missing (NaN in the frame, None from `to_records`); so has one whose population
    is 0. Counts and populations are summed over the
    decile's LSOAs (pooled rate, not the mean of LSOA rates).
    """
    frame = _lsoa_frame(lsoa)
    grouped = frame.groupby("imd_decile").agg(
        lsoas=("lsoa21_code", "size"), count=("count", "sum"), population=("population", "sum")
    )
    grouped = grouped.reindex(DECILES, fill_value=0)
    rows = []
    for decile, row in grouped.iterrows():
        if row["lsoas"] == 0 or row["population"] <= 0:
            rate = lower = upper = None
        else:
            result = annual_rate(
                float(row["count"]), float(row["population"]), months_with_data, per=PER, confidence=confidence
            )
            rate, lower, upper = result.rate, result.lower, result.upper
        rows.append(
            {
                "imd_decile": int(decile),
                "lsoas": int(row["lsoas"]),
                "count": row["count"],
                "population": row["population"],
                "rate_per_1000": rate,
                "lower": lower,
                "upper": upper,
            }
        )
    out = pd.DataFrame(rows)
    for column in ("rate_per_1000", "lower", "upper"):
        out[column] = pd.to_numeric(out[column]).astype(float)
    out.attrs.update({"per": PER, "per_year": True, "confidence": confidence, "interval": "exact Poisson (Garwood)"})
    return out


@dataclass(frozen=True)
class QuintileRatio:
    """Rate in the most deprived national quintile (deciles 1-2) over the least deprived (deciles 9-10),
    from the LSOA-level model (`vru.analysis.group_ratio`); rates per 1,000 residents a year.

    `ratio`, `lower`, `upper` and `p_value` are None, with `reason`, when either quintile has no
    population in the area, or with `note` when the model cannot estimate it (no incidents on a side).
    `significant` is True only when the interval excludes 1.
    """

    ratio: float | None
    lower: float | None
    upper: float | None
    p_value: float | None
    confidence: float
    lsoas_most_deprived: int
    count_most_deprived: float
    population_most_deprived: float
    rate_most_deprived: float | None
    lsoas_least_deprived: int
    count_least_deprived: float
    population_least_deprived: float
    rate_least_deprived: float | None
    method: str | None = None
    reason: str | None = None
    note: str = ""
    significant: bool = False
    family: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: floats rounded (p-value to 4 significant figures), NaN and infinity as None."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if isinstance(value, float):
                if not math.isfinite(value):
                    value = None
                elif key == "p_value":
                    value = float(f"{value:.4g}")
                elif value.is_integer() and key.startswith(("count", "population")):
                    value = int(value)
                else:
                    value = round(value, 4)
            out[key] = value
        return out


def quintile_rate_ratio(lsoa: pd.DataFrame, *, months_with_data: float, confidence: float = 0.95) -> QuintileRatio:
    """Rate ratio, most deprived quintile (deciles 1-2) against least deprived (deciles 9-10), from the
    LSOA-level count model with a person-years offset (`vru.analysis.group_ratio.lsoa_rate_ratio`), so one
    busy LSOA does not make a quintile "significantly" higher. `lsoa` is as for `rate_by_decile`. None
    with a reason if either quintile has no population in the area."""
    frame = _lsoa_frame(lsoa)
    frame = frame.assign(person_years=person_years(frame["population"].to_numpy(), months_with_data))
    most = frame[frame["imd_decile"].isin(MOST_DEPRIVED)]
    least = frame[frame["imd_decile"].isin(LEAST_DEPRIVED)]
    pop_a, pop_b = float(most["population"].sum()), float(least["population"].sum())
    count_a, count_b = float(most["count"].sum()), float(least["count"].sum())
    common = dict(
        confidence=confidence,
        lsoas_most_deprived=len(most),
        count_most_deprived=count_a,
        population_most_deprived=pop_a,
        rate_most_deprived=annual_rate(count_a, pop_a, months_with_data, per=PER).rate if pop_a > 0 else None,
        lsoas_least_deprived=len(least),
        count_least_deprived=count_b,
        population_least_deprived=pop_b,
        rate_least_deprived=annual_rate(count_b, pop_b, months_with_data, per=PER).rate if pop_b > 0 else None,
    )
    empty = [
        name
        for name, pop in (
            ("most deprived quintile (deciles 1-2)", pop_a),
            ("least deprived quintile (deciles 9-10)", pop_b),
        )
        if pop <= 0
    ]
    if empty:
        return QuintileRatio(
            ratio=None,
            lower=None,
            upper=None,
            p_value=None,
            reason="no population in the area's " + " or ".join(empty),
            **common,
        )
    result = lsoa_rate_ratio(
        most["count"], most["person_years"], least["count"], least["person_years"], per=PER, confidence=confidence
    )
    return QuintileRatio(
        ratio=result.ratio,
        lower=result.lower,
        upper=result.upper,
        p_value=result.p_value,
        method=result.method,
        note=result.note,
        significant=result.significant,
        family=result.family,
        **common,
    )


def domain_correlations(
    frame: pd.DataFrame, rate_column: str = "rate_per_1000", domains: Sequence[str] | None = None
) -> pd.DataFrame:
    """Spearman rank correlation between the LSOA rate and each deprivation domain, across LSOAs.

    `frame` has one row per LSOA with `rate_column` and the domain columns (scores, ranks or deciles;
    by default every numeric column other than the rate, count, population and imd_decile). Watch the
    direction: for scores a higher value is more deprived, for ranks and deciles 1 is the most deprived,
    so the same association has opposite signs. Rows missing either value are left out pairwise.

    Returns columns domain, spearman_rho, p_value, n (LSOAs used) and circular (True for the Crime domain
    and the overall IMD, which are built partly from recorded crime); rho and p are missing (NaN; None
    from `to_records`) when n < 3 or either column is constant. These are ecological correlations
    between areas: they do not show that deprived individuals are more often involved (module
    docstring), and rates of small populations are noisy.
    """
    if rate_column not in frame.columns:
        raise ValueError(f"no rate column {rate_column!r}")
    if domains is None:
        excluded = {rate_column, "count", "population", "imd_decile", "lower", "upper"}
        domains = [
            column
            for column in frame.columns
            if column not in excluded and pd.api.types.is_numeric_dtype(frame[column])
        ]
    rows = []
    rate = pd.to_numeric(frame[rate_column], errors="coerce")
    for domain in domains:
        if domain not in frame.columns:
            raise ValueError(f"no domain column {domain!r}")
        values = pd.to_numeric(frame[domain], errors="coerce")
        both = rate.notna() & values.notna()
        n = int(both.sum())
        rho = p_value = None
        if n >= 3 and rate[both].nunique() > 1 and values[both].nunique() > 1:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", stats.ConstantInputWarning)
                result = stats.spearmanr(rate[both], values[both])
            if np.isfinite(result.statistic):
                rho, p_value = float(result.statistic), float(result.pvalue)
        rows.append(
            {"domain": domain, "spearman_rho": rho, "p_value": p_value, "n": n, "circular": is_circular(domain)}
        )
    out = pd.DataFrame(rows, columns=["domain", "spearman_rho", "p_value", "n", "circular"])
    out.attrs["caveat"] = "ecological (area-level) correlation; not an individual-level association"
    out.attrs["circularity"] = CIRCULARITY_CAVEAT
    return out


CIRCULARITY_CAVEAT = (
    "The IMD Crime domain is built from recorded crime (and the overall IMD includes it), so its correlation "
    "with recorded violence is partly the same data measured twice: it is shown for completeness, not as evidence."
)


def is_circular(domain: str) -> bool:
    """True for the IMD domains built (wholly or partly) from recorded crime: Crime and the overall IMD."""
    name = domain.lower()
    return name.startswith("crime") or name.startswith("imd")


# Rates keep 2 decimals; rho 4; p-values 4 significant figures (vru.analysis.records).
to_records = functools.partial(records.to_records, digits={"rate_per_1000": 2, "lower": 2, "upper": 2})
