"""Each LSOA's own excess over its expected count, with a false discovery rate.

Gi* asks whether an LSOA's *neighbourhood* is high; an LSOA can be in a hot spot while itself below the
area's average (a quiet street beside a busy centre). A place named as a priority must be high on its own:

* expected count = the LSOA's residents x the area's rate (total count / total residents), i.e. what the
  LSOA would have at the area's rate;
* the LSOAs' counts vary more than Poisson allows (town centres, snap points): an intercept-only count
  model with log(residents) offset (`vru.analysis.count_models`) measures that, and each LSOA's count is
  tested against a negative binomial with its expected count as the mean and that alpha (Poisson when
  there is no over-dispersion): one-sided p = P(count >= observed);
* Benjamini-Hochberg over all LSOAs; `high_on_its_own` when p_fdr <= alpha;
* the ratio's 95% interval inverts the same test: the means under which the observed count is not in
  either 2.5% tail of that distribution (the exact Poisson interval when there is no over-dispersion),
  divided by the expected count; so the interval and the test agree and allow for over-dispersion.

An LSOA with no residents has no expected count and is not tested (listed with a reason).
Pure functions, no I/O. Method: docs/methods-spatial.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from vru.analysis.count_models import fit_count_glm

__all__ = ["count_interval", "own_excess", "priority_places"]

_BISECTIONS = 100  # halvings of the log-mean bracket: far below any printed precision


def count_interval(
    counts: np.ndarray, nb_alpha: float | None, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Test-inverted interval for the mean of each count: the means mu for which the observed count is
    in neither (1 - confidence) / 2 tail of a negative binomial with mean mu and dispersion `nb_alpha`
    (variance mu + alpha mu^2), or of a Poisson when `nb_alpha` is None (the exact Garwood interval).
    The lower end is 0 for a count of 0."""
    y = np.asarray(counts, dtype=float)
    tail = (1 - confidence) / 2
    if not nb_alpha:
        lower = np.where(y > 0, stats.chi2.ppf(tail, 2 * y) / 2, 0.0)
        return lower, stats.chi2.ppf(1 - tail, 2 * y + 2) / 2
    size = 1 / nb_alpha

    def at_least(mu: np.ndarray) -> np.ndarray:  # P(Y >= y | mu): rises with mu
        return stats.nbinom.sf(y - 1, size, size / (size + mu))

    def at_most(mu: np.ndarray) -> np.ndarray:  # P(Y <= y | mu): falls with mu
        return stats.nbinom.cdf(y, size, size / (size + mu))

    def solve(probability, rising: bool) -> np.ndarray:
        low, high = np.full(len(y), -30.0), np.full(len(y), 30.0)  # log mean: 1e-13 to 1e13
        for _ in range(_BISECTIONS):
            middle = (low + high) / 2
            above = probability(np.exp(middle)) > tail
            # P(Y >= y) above the tail: the mean is already too high; P(Y <= y) above it: still too low
            too_high = above if rising else ~above
            high, low = np.where(too_high, middle, high), np.where(too_high, low, middle)
        return np.exp((low + high) / 2)

    lower = np.where(y > 0, solve(at_least, rising=True), 0.0)
    return lower, solve(at_most, rising=False)


def own_excess(counts: pd.Series, population: pd.Series, alpha: float = 0.05) -> pd.DataFrame:
    """One row per LSOA: code, count, population, expected, excess_ratio (count / expected) with its 95%
    interval (excess_lower, excess_upper), p_value (one-sided, count at least as high), p_fdr,
    high_on_its_own. attrs: area_rate, distribution, nb_alpha."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1 (exclusive), got {alpha}")
    frame = pd.DataFrame({"count": pd.Series(counts, dtype=float)}).join(
        pd.Series(population, dtype=float).rename("population"), how="left"
    )
    if frame["count"].isna().any() or (frame["count"] < 0).any():
        raise ValueError("counts must be non-negative (0 for an LSOA with no incidents)")
    frame.index = frame.index.astype(str)
    tested = frame["population"].gt(0)
    if tested.sum() < 2:
        raise ValueError("at least two LSOAs with residents are needed")
    area_rate = frame.loc[tested, "count"].sum() / frame.loc[tested, "population"].sum()
    frame["expected"] = np.where(tested, frame["population"] * area_rate, np.nan)
    y = frame.loc[tested, "count"].to_numpy()
    fit = fit_count_glm(y, np.ones((len(y), 1)), offset=np.log(frame.loc[tested, "population"].to_numpy()))
    nb_alpha = fit.alpha if fit.family == "negative_binomial" else None
    expected = frame.loc[tested, "expected"].to_numpy()
    if nb_alpha:
        size = 1 / nb_alpha
        p = stats.nbinom.sf(y - 1, size, size / (size + expected))
        distribution = f"negative binomial (alpha {nb_alpha:.3f}, from the LSOAs' own variation)"
    else:
        p = stats.poisson.sf(y - 1, expected)
        distribution = "Poisson (the LSOAs vary no more than chance)"
    frame["p_value"] = np.nan
    frame.loc[tested, "p_value"] = p
    frame["p_fdr"] = np.nan
    frame.loc[tested, "p_fdr"] = multipletests(p, method="fdr_bh")[1]
    frame["excess_ratio"] = frame["count"] / frame["expected"]
    frame["excess_lower"] = frame["excess_upper"] = np.nan
    low, high = count_interval(y, nb_alpha)
    frame.loc[tested, "excess_lower"] = low / expected
    frame.loc[tested, "excess_upper"] = high / expected
    frame["high_on_its_own"] = frame["p_fdr"].le(alpha) & (frame["count"] > frame["expected"])
    out = frame.rename_axis("code").reset_index()[
        [
            "code",
            "count",
            "population",
            "expected",
            "excess_ratio",
            "excess_lower",
            "excess_upper",
            "p_value",
            "p_fdr",
            "high_on_its_own",
        ]
    ]
    out.attrs.update(
        {
            "area_rate": float(area_rate),
            "distribution": distribution,
            "nb_alpha": nb_alpha,
            "alpha": alpha,
            "untested": frame.index[~tested].tolist(),
            "method": (
                "expected = residents x area rate; one-sided test of the count against it ("
                + distribution
                + "); Benjamini-Hochberg FDR"
            ),
        }
    )
    return out


def priority_places(excess: pd.DataFrame, hot_spot_codes: set[str] | None = None) -> pd.DataFrame:
    """LSOAs that can be named as priorities: high on their own (whatever Gi* says), largest excess first,
    with whether each also sits in a Gi* hot spot."""
    chosen = excess[excess["high_on_its_own"]].copy()
    chosen["in_hot_spot"] = chosen["code"].isin(hot_spot_codes or set())
    return chosen.sort_values(["excess_ratio", "code"], ascending=[False, True]).reset_index(drop=True)
