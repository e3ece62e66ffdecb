"""Funnel plots: each unit's rate against the number of its cases, with control limits around the
overall rate that narrow as the number grows, so chance variation is not read as a difference.

Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat Med
2005;24(8):1185-1202. The limits are the overall proportion p0 ± z·sqrt(p0(1-p0)/n) (the normal
approximation of section 3.1), with z for two-sided 95 % (≈2 SD, "warning") and 99.8 % (≈3 SD,
"alarm") limits, as in that paper; they are clipped to 0..1.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from spinetrack.analytics.intervals import z_value

WARNING = 0.95
ALARM = 0.998
LIMITS = (WARNING, ALARM)

FloatArray = npt.NDArray[np.float64]


def control_limits(p0: float, n: npt.ArrayLike, confidence: float) -> tuple[FloatArray, FloatArray]:
    """Lower and upper control limits at each number of cases ``n`` (n > 0)."""
    if not 0 <= p0 <= 1:
        raise ValueError("p0 must be a proportion")
    cases = np.asarray(n, dtype=np.float64)
    if np.any(cases <= 0):
        raise ValueError("every n must be positive")
    half = z_value(confidence) * np.sqrt(p0 * (1 - p0) / cases)
    return np.clip(p0 - half, 0.0, 1.0), np.clip(p0 + half, 0.0, 1.0)


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
    grid = np.unique(np.geomspace(1, max(largest, 2), points))
    low, high = control_limits(p0, grid, confidence)
    return {"n": grid.tolist(), "low": low.tolist(), "high": high.tolist()}
