"""Count regression with over-dispersion: the one rule every model in `vru.analysis` uses.

Poisson GLM first; when its Pearson chi2 / residual df exceeds `DISPERSION_THRESHOLD`, a negative
binomial (NB2, variance mu + alpha mu^2, alpha by maximum likelihood); when that does not converge,
quasi-Poisson (the Poisson estimates with their covariance scaled by the Pearson dispersion). A Poisson
fit whose dispersion is below 1 keeps its Poisson covariance (never narrower than Poisson).

Pure functions over numpy arrays, no I/O. Methods: docs/methods-temporal.md, docs/methods-spatial.md.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from statsmodels.discrete.discrete_model import NegativeBinomial

__all__ = ["DISPERSION_THRESHOLD", "OVERDISPERSION_RULE", "CountFit", "fit_count_glm", "fit_negative_binomial"]

DISPERSION_THRESHOLD = 1.5
OVERDISPERSION_RULE = (
    f"Poisson GLM first; negative binomial (NB2, alpha by maximum likelihood) when the Poisson Pearson "
    f"chi2 / residual df > {DISPERSION_THRESHOLD}"
)


def fit_negative_binomial(y, X, offset, poisson_fit, mean_mu):
    """NB2 by maximum likelihood (alpha estimated) from a Poisson fit's start: (params, cov, alpha), or
    None when it does not converge to a positive alpha with a usable covariance."""
    dispersion = poisson_fit.pearson_chi2 / max(poisson_fit.df_resid, 1)
    alpha0 = max((dispersion - 1) / max(mean_mu, 1e-9), 1e-3)
    model = NegativeBinomial(y, X, loglike_method="nb2", offset=offset)
    for method in ("newton", "bfgs"):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = model.fit(start_params=np.append(poisson_fit.params, alpha0), method=method, maxiter=500, disp=0)
        except (np.linalg.LinAlgError, ValueError, OverflowError):
            continue
        params = np.asarray(fit.params, dtype=float)
        cov = np.asarray(fit.cov_params(), dtype=float)
        if (
            fit.mle_retvals.get("converged", False)
            and np.all(np.isfinite(params))
            and np.all(np.isfinite(cov))
            and params[-1] > 0
            and np.all(np.diag(cov)[:-1] > 0)
        ):
            return params[:-1], cov[:-1, :-1], float(params[-1])
    return None


@dataclass(frozen=True)
class CountFit:
    params: np.ndarray
    cov: np.ndarray
    family: str  # "poisson", "negative_binomial" or "quasi_poisson"
    dispersion: float  # the Poisson fit's Pearson chi2 / residual df
    alpha: float | None  # NB2 alpha
    converged: bool
    note: str = ""


def fit_count_glm(y, X, offset=None) -> CountFit:
    """Fit counts `y` on design `X` (with its intercept) and log-exposure `offset` by the module's rule."""
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    offset = np.zeros(len(y)) if offset is None else np.asarray(offset, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        poisson = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit()
    df_resid = max(float(poisson.df_resid), 1.0)
    dispersion = float(poisson.pearson_chi2 / df_resid)
    params = np.asarray(poisson.params, dtype=float)
    cov = np.asarray(poisson.cov_params(), dtype=float)
    converged = bool(getattr(poisson, "converged", True))
    if dispersion <= DISPERSION_THRESHOLD:
        return CountFit(params, cov, "poisson", dispersion, None, converged)
    nb = fit_negative_binomial(y, X, offset, poisson, float(np.mean(poisson.mu)))
    if nb is not None:
        return CountFit(nb[0], nb[1], "negative_binomial", dispersion, nb[2], True)
    return CountFit(
        params,
        cov * dispersion,
        "quasi_poisson",
        dispersion,
        None,
        converged,
        note="the negative binomial fit did not converge: quasi-Poisson (Pearson scale) instead",
    )
