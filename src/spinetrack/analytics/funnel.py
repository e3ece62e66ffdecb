"""Funnel plots: each unit's rate against the number of its cases, with control limits around the
overall rate that narrow as the number grows, so chance variation is not read as a difference.

Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat Med
2005;24(8):1185-1202. The limits are exact binomial quantiles of Binomial(n, p0) at 2.5/97.5 %
("warning", about 2 SD) and 0.1/99.9 % ("alarm", about 3 SD), made continuous with the paper's
interpolation (Appendix A.1.1): r_p is the smallest r with P(R <= r) >= p, and the limit is
(r_p - alpha) / n with alpha = (P(R <= r_p) - p) / (P(R <= r_p) - P(R <= r_p - 1)). Unlike the
normal approximation it needs no clipping and is right for small n and rates near 0 or 1.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import binom  # type: ignore[import-untyped]

WARNING = 0.95
ALARM = 0.998
LIMITS = (WARNING, ALARM)

FloatArray = npt.NDArray[np.float64]


def binomial_limit(p0: float, n: npt.ArrayLike, p: float) -> FloatArray:
    """The interpolated ``p`` quantile of Binomial(n, p0) / n (Spiegelhalter 2005, A.1.1)."""
    cases = np.asarray(n, dtype=np.float64)
    r = binom.ppf(p, cases, p0)
    at = binom.cdf(r, cases, p0)
    below = binom.cdf(r - 1, cases, p0)
    step = at - below
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(step > 0, (at - p) / step, 0.0)
    return np.asarray(np.clip((r - alpha) / cases, 0.0, 1.0), dtype=np.float64)


def control_limits(p0: float, n: npt.ArrayLike, confidence: float) -> tuple[FloatArray, FloatArray]:
    """Lower and upper control limits at each number of cases ``n`` (n > 0)."""
    if not 0 <= p0 <= 1:
        raise ValueError("p0 must be a proportion")
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    cases = np.asarray(n, dtype=np.float64)
    if np.any(cases <= 0):
        raise ValueError("every n must be positive")
    tail = (1 - confidence) / 2
    return binomial_limit(p0, cases, tail), binomial_limit(p0, cases, 1 - tail)


@dataclass(frozen=True, slots=True)
class FunnelPoint:
    unit: str
    n: int
    events: int
    rate: float
    position: str
    """'within', 'above 95 %', 'above 99.8 %', 'below 95 %' or 'below 99.8 %'."""


def classify(p0: float, unit: str, events: int, n: int, rate: float | None = None) -> FunnelPoint:
    """Place a unit on the funnel; ``rate`` overrides events/n (an adjusted rate, for example)."""
    value = events / n if rate is None else rate
    position = "within"
    for confidence in LIMITS:
        low, high = control_limits(p0, [n], confidence)
        label = f"{confidence * 100:g} %"
        if value > high[0]:
            position = f"above {label}"
        elif value < low[0]:
            position = f"below {label}"
    return FunnelPoint(unit, n, events, value, position)


def funnel_curve(
    p0: float, largest: int, confidence: float, points: int = 200
) -> dict[str, list[float]]:
    """The limit lines from n = 1 to ``largest`` (for drawing), on a log-spaced grid."""
    grid = np.unique(np.round(np.geomspace(1, max(largest, 2), points)))
    low, high = control_limits(p0, grid, confidence)
    return {"n": grid.tolist(), "low": low.tolist(), "high": high.tolist()}
