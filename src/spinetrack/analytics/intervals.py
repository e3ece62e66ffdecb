"""Confidence intervals for proportions: the Wilson score interval, which keeps its coverage for
small groups and rates near 0 or 1, where the textbook (Wald) interval fails. Computed by
statsmodels (``proportion_confint(method="wilson")``), not by hand.

Wilson EB. Probable inference, the law of succession, and statistical inference. J Am Stat Assoc
1927;22(158):209-212. Recommended over the Wald interval by Brown LD, Cai TT, DasGupta A. Interval
estimation for a binomial proportion. Stat Sci 2001;16(2):101-133, and Newcombe RG. Two-sided
confidence intervals for the single proportion. Stat Med 1998;17(8):857-872 (method 3).
"""

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt
from statsmodels.stats.proportion import proportion_confint  # type: ignore[import-untyped]

CONFIDENCE = 0.95
"""The level every interval on the dashboard and in the report is computed at."""

FloatArray = npt.NDArray[np.float64]


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile for a confidence level (0.95 -> 1.959964)."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


@dataclass(frozen=True, slots=True)
class Proportion:
    """k of n, with its Wilson interval; ``share`` etc. are None when n is 0, and k (or n) is
    None when disclosure control withholds it (then nothing else is shown either)."""

    k: int | None
    n: int | None
    share: float | None
    low: float | None
    high: float | None

    @property
    def withheld(self) -> bool:
        return self.k is None or self.n is None


def withheld(n: int | None = None) -> Proportion:
    """A share disclosure control does not publish (``n`` may still be shown)."""
    return Proportion(None, n, None, None, None)


def wilson_bounds(
    k: npt.ArrayLike, n: npt.ArrayLike, confidence: float = CONFIDENCE
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper Wilson bounds for every (k, n) pair at once; NaN where n is 0."""
    successes = np.asarray(k, dtype=np.float64)
    trials = np.asarray(n, dtype=np.float64)
    if np.any(successes < 0) or np.any(successes > trials):
        raise ValueError("k must lie between 0 and n")
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    some = trials > 0
    low = np.full(trials.shape, np.nan)
    high = np.full(trials.shape, np.nan)
    if np.any(some):
        lo, hi = proportion_confint(
            successes[some], trials[some], alpha=1 - confidence, method="wilson"
        )
        share = successes[some] / trials[some]
        # The interval holds the observed share; at k = n (or 0) rounding could leave it a hair off.
        low[some] = np.clip(np.minimum(lo, share), 0.0, 1.0)
        high[some] = np.clip(np.maximum(hi, share), 0.0, 1.0)
    return low, high


def proportion(k: int | None, n: int | None, confidence: float = CONFIDENCE) -> Proportion:
    """k of n with its interval; withheld when either count is."""
    if k is None or n is None:
        return withheld(n)
    if n == 0:
        return Proportion(k, n, None, None, None)
    low, high = wilson_bounds([k], [n], confidence)
    return Proportion(k, n, k / n, float(low[0]), float(high[0]))
