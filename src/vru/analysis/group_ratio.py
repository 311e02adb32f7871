"""Rate ratio between two groups of LSOAs that allows for LSOAs differing more than chance would.

The exact conditional test in `vru.analysis.rates.rate_ratio` treats every crime as independent: one
town-centre LSOA with hundreds of crimes then makes a group "significantly" higher. Here each LSOA is one
observation: a count model (`vru.analysis.count_models`: Poisson, negative binomial when over-dispersed)
of the LSOA counts with log(person-years) as the offset and one indicator for group a. The rate ratio is
exp(coefficient) with its Wald interval. A ratio whose interval includes 1 is not a finding.

Used for the most- against least-deprived quintile, LSOAs with licensed premises against those without,
and an area against the *rest* of its force (never a total that contains the area).
Pure functions, no I/O. Method: docs/methods-spatial.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from vru.analysis.count_models import fit_count_glm
from vru.analysis.rates import _ToDict

__all__ = ["GroupRatio", "lsoa_rate_ratio"]

METHOD = (
    "count regression over LSOAs (Poisson; negative binomial when over-dispersed) with log(person-years) "
    "offset; Wald interval of the group coefficient"
)


@dataclass(frozen=True)
class GroupRatio(_ToDict):
    """Rate ratio of group a to group b from an LSOA-level model. `significant` is True only when the
    interval excludes 1. Rates are pooled (count / person-years x per)."""

    ratio: float | None
    lower: float | None
    upper: float | None
    p_value: float | None
    significant: bool
    family: str | None
    alpha: float | None
    dispersion: float | None
    lsoas_a: int
    lsoas_b: int
    count_a: float
    count_b: float
    person_years_a: float
    person_years_b: float
    rate_a: float | None
    rate_b: float | None
    per: float
    confidence: float
    method: str
    note: str = ""


def _clean(counts, exposure, side: str) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(counts, dtype=float)
    e = np.asarray(exposure, dtype=float)
    if y.shape != e.shape or y.ndim != 1:
        raise ValueError(f"group {side}: counts and person-years must be one-dimensional and the same length")
    if np.any(~np.isfinite(y)) or np.any(y < 0) or np.any(y != np.floor(y)):
        raise ValueError(f"group {side}: counts must be non-negative whole numbers")
    keep = np.isfinite(e) & (e > 0)
    return y[keep], e[keep]


def lsoa_rate_ratio(
    counts_a, person_years_a, counts_b, person_years_b, per: float = 1000, confidence: float = 0.95
) -> GroupRatio:
    """Rate ratio of LSOA group a to group b: each LSOA's count and person-years (see
    `vru.analysis.rates.person_years`). LSOAs with no positive person-years are left out."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), got {confidence}")
    ya, ea = _clean(counts_a, person_years_a, "a")
    yb, eb = _clean(counts_b, person_years_b, "b")
    common = dict(
        lsoas_a=len(ya),
        lsoas_b=len(yb),
        count_a=float(ya.sum()),
        count_b=float(yb.sum()),
        person_years_a=float(ea.sum()),
        person_years_b=float(eb.sum()),
        rate_a=float(ya.sum() / ea.sum() * per) if len(ya) else None,
        rate_b=float(yb.sum() / eb.sum() * per) if len(yb) else None,
        per=per,
        confidence=confidence,
        method=METHOD,
    )
    empty = dict(ratio=None, lower=None, upper=None, p_value=None, significant=False, family=None, alpha=None)
    if len(ya) < 2 or len(yb) < 2:
        return GroupRatio(**empty, dispersion=None, note="fewer than 2 LSOAs with residents in a group", **common)
    if ya.sum() == 0 or yb.sum() == 0:
        return GroupRatio(
            **empty, dispersion=None, note="no incidents in one group: the ratio cannot be estimated", **common
        )
    y = np.concatenate([ya, yb])
    group = np.concatenate([np.ones(len(ya)), np.zeros(len(yb))])
    X = np.column_stack([np.ones(len(y)), group])
    fit = fit_count_glm(y, X, offset=np.log(np.concatenate([ea, eb])))
    b, se = float(fit.params[1]), math.sqrt(float(fit.cov[1, 1]))
    z = stats.norm.ppf(0.5 + confidence / 2)
    lower, upper = math.exp(b - z * se), math.exp(b + z * se)
    return GroupRatio(
        ratio=math.exp(b),
        lower=lower,
        upper=upper,
        p_value=float(2 * stats.norm.sf(abs(b / se))) if se > 0 else None,
        significant=bool(lower > 1 or upper < 1),
        family=fit.family,
        alpha=fit.alpha,
        dispersion=fit.dispersion,
        note=fit.note,
        **common,
    )
