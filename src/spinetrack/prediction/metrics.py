"""Performance of predicted probabilities against observed binary outcomes: discrimination (C with
DeLong's interval), calibration at the levels of Van Calster's hierarchy (calibration-in-the-large,
slope, a smoothed flexible curve and its integrated calibration index), the Brier score and net
benefit for a decision curve. Every figure comes with a 95 % interval."""

from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata  # type: ignore[import-untyped]

from spinetrack.prediction.arrays import Array
from spinetrack.prediction.design import rcs_basis
from spinetrack.prediction.fitting import expit, fit_cumulative

Z95 = 1.959963984540054
_EDGE = 1e-6


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float]:
        return {"value": self.value, "low": self.low, "high": self.high}


def _wald(value: float, se: float) -> Estimate:
    return Estimate(value, value - Z95 * se, value + Z95 * se)


def linear_predictor(p: Array) -> Array:
    q = np.clip(p, _EDGE, 1.0 - _EDGE)
    lp: Array = np.log(q) - np.log1p(-q)
    return lp


def c_statistic(p: Array, y: Array) -> Estimate:
    """Area under the ROC curve with DeLong's variance (from placement values via midranks)."""
    positive, negative = p[y == 1], p[y == 0]
    m, n = positive.size, negative.size
    if m == 0 or n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"))
    ranks = rankdata(np.concatenate([positive, negative]))
    within_pos, within_neg = rankdata(positive), rankdata(negative)
    v10 = (ranks[:m] - within_pos) / n
    v01 = 1.0 - (ranks[m:] - within_neg) / m
    auc = float(np.mean(v10))
    se = np.sqrt(np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n) if m > 1 and n > 1 else 0.0
    return Estimate(auc, max(0.0, auc - Z95 * se), min(1.0, auc + Z95 * se))


def c_value(p: Array, y: Array) -> float:
    """The C statistic alone (Mann-Whitney), for the bootstrap."""
    m = int(np.sum(y == 1))
    n = y.size - m
    ranks = rankdata(p)
    return float((np.sum(ranks[y == 1]) - m * (m + 1) / 2.0) / (m * n))


_IDENTITY_SLOPE = np.array([0.0, 1.0])
_IDENTITY_INTERCEPT = np.array([0.0])
"""Newton starts at perfect calibration, where a sensible model's figures lie near: two or three
steps instead of six from zero (the bootstrap repeats these fits hundreds of times)."""


def calibration_slope(p: Array, y: Array, interval: bool = True) -> Estimate:
    """The slope of logit(p) in a logistic recalibration model (1 = ideal)."""
    fit = fit_cumulative(
        linear_predictor(p)[:, None],
        y,
        2,
        start=_IDENTITY_SLOPE,
        tolerance=1e-7,
        covariance=interval,
    )
    se = float(np.sqrt(fit.covariance[1, 1])) if interval else 0.0
    return _wald(float(fit.coef[0]), se)


def calibration_intercept(p: Array, y: Array, interval: bool = True) -> Estimate:
    """Calibration-in-the-large: the intercept with logit(p) as offset (0 = ideal)."""
    fit = fit_cumulative(
        np.zeros((p.size, 0)),
        y,
        2,
        start=_IDENTITY_INTERCEPT,
        offset=linear_predictor(p),
        tolerance=1e-7,
        covariance=interval,
    )
    se = float(np.sqrt(fit.covariance[0, 0])) if interval else 0.0
    return _wald(float(fit.intercepts[0]), se)


def brier(p: Array, y: Array) -> Estimate:
    squared = (p - y) ** 2
    se = float(np.std(squared, ddof=1) / np.sqrt(squared.size)) if squared.size > 1 else 0.0
    return _wald(float(np.mean(squared)), se)


@dataclass(frozen=True)
class Curve:
    """A smoothed calibration curve: a logistic model of the outcome on a restricted cubic spline
    of logit(p) (one of the smoothers of Austin and Steyerberg)."""

    knots: tuple[float, ...]
    center: Array
    theta: Array
    covariance: Array

    def design(self, p: Array) -> Array:
        lp = linear_predictor(p)
        basis = rcs_basis(lp, self.knots) if self.knots else lp[:, None]
        return basis - self.center

    def observed(self, p: Array) -> Array:
        return np.asarray(expit(self.theta[0] + self.design(p) @ self.theta[1:]))

    def band(self, p: Array) -> tuple[Array, Array]:
        x = np.concatenate([np.ones((p.size, 1)), self.design(p)], axis=1)
        eta = x @ self.theta
        se = np.sqrt(np.einsum("ij,jk,ik->i", x, self.covariance, x))
        return expit(eta - Z95 * se), expit(eta + Z95 * se)


def _curve_knots(lp: Array, count: int) -> tuple[float, ...]:
    quantiles = {
        3: (0.1, 0.5, 0.9),
        4: (0.05, 0.35, 0.65, 0.95),
        5: (0.05, 0.275, 0.5, 0.725, 0.95),
    }
    while count >= 3:
        knots = np.unique(np.quantile(lp, quantiles[count]))
        if knots.size == count:
            return tuple(float(k) for k in knots)
        count -= 1
    return ()


def _smoother(p: Array, y: Array, knots: int, band: bool) -> tuple[Curve, Array]:
    """The smoother and its design, started at the identity (observed = predicted): the linear
    column is logit(p) less its mean, so intercept = that mean, slope 1 and no bend reproduce p."""
    lp = linear_predictor(p)
    chosen = _curve_knots(lp, knots)
    basis = rcs_basis(lp, chosen) if chosen else lp[:, None]
    center = basis.mean(axis=0)
    basis -= center
    start = np.zeros(1 + basis.shape[1])
    start[0], start[1] = center[0], 1.0
    fit = fit_cumulative(basis, y, 2, penalty=1e-6, start=start, tolerance=1e-7, covariance=band)
    return Curve(chosen, center, fit.theta, fit.covariance), basis


def calibration_curve(p: Array, y: Array, knots: int) -> Curve:
    return _smoother(p, y, knots, band=True)[0]


def ici_value(p: Array, y: Array, knots: int) -> float:
    """Integrated calibration index: mean |p - smoothed observed proportion at p|."""
    curve, design = _smoother(p, y, knots, band=False)
    smoothed = expit(curve.theta[0] + design @ curve.theta[1:])
    return float(np.mean(np.abs(p - smoothed)))


def ici(p: Array, y: Array, knots: int, resamples: int, seed: int) -> Estimate:
    """ICI with a bootstrap percentile interval (it has no closed-form variance)."""
    value = ici_value(p, y, knots)
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(resamples):
        rows = rng.integers(0, p.size, p.size)
        if 0 < y[rows].sum() < p.size:
            draws.append(ici_value(p[rows], y[rows], knots))
    low, high = np.quantile(draws, [0.025, 0.975]) if draws else (value, value)
    return Estimate(value, float(low), float(high))


FIGURES = ("c_statistic", "calibration_slope", "calibration_intercept", "brier", "ici")


def point_figures(p: Array, y: Array, knots: int) -> dict[str, float]:
    """The five figures without intervals (what the bootstrap repeats)."""
    return {
        "c_statistic": c_value(p, y),
        "calibration_slope": calibration_slope(p, y, interval=False).value,
        "calibration_intercept": calibration_intercept(p, y, interval=False).value,
        "brier": float(np.mean((p - y) ** 2)),
        "ici": ici_value(p, y, knots),
    }


def figures(
    p: Array,
    y: Array,
    knots: int,
    resamples: int,
    seed: int,
    ici_draws: list[float] | None = None,
) -> dict[str, Estimate]:
    """The five figures, each with its 95 % interval. The ICI interval comes from ``resamples``
    bootstrap refits of the smoother, or from ``ici_draws`` already made (the fit's bootstrap,
    whose spread around its mean is laid around this ICI)."""
    if ici_draws:
        value = ici_value(p, y, knots)
        centre = float(np.mean(ici_draws))
        low, high = np.quantile(ici_draws, [0.025, 0.975])
        spread = Estimate(value, max(0.0, value - (centre - low)), value + (high - centre))
    else:
        spread = ici(p, y, knots, resamples, seed)
    return {
        "c_statistic": c_statistic(p, y),
        "calibration_slope": calibration_slope(p, y),
        "calibration_intercept": calibration_intercept(p, y),
        "brier": brier(p, y),
        "ici": spread,
    }


def curve_points(p: Array, y: Array, knots: int, count: int) -> list[dict[str, float]]:
    """Points of the smoothed calibration curve across the central 98 % of predictions."""
    curve = calibration_curve(p, y, knots)
    low, high = np.quantile(p, [0.01, 0.99])
    grid = np.linspace(float(low), float(high), count)
    low, high = curve.band(grid)
    observed = curve.observed(grid)
    return [
        {"predicted": float(g), "observed": float(o), "low": float(lo), "high": float(hi)}
        for g, o, lo, hi in zip(grid, observed, low, high, strict=True)
    ]


def decision_curve(p: Array, y: Array, thresholds: tuple[float, ...]) -> list[dict[str, float]]:
    """Net benefit of acting when p >= threshold, of acting for all and (0) for none."""
    n = p.size
    prevalence = float(np.mean(y))
    points = []
    for t in thresholds:
        act = p >= t
        true_pos = float(np.sum(act & (y == 1))) / n
        false_pos = float(np.sum(act & (y == 0))) / n
        odds = t / (1.0 - t)
        points.append(
            {
                "threshold": t,
                "model": true_pos - false_pos * odds,
                "all": prevalence - (1.0 - prevalence) * odds,
                "none": 0.0,
            }
        )
    return points
