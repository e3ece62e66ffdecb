"""ScorePoint: one scored response placed in time, the input of outcome classification. It refuses an
unknown instrument, a fractional day or a score off the instrument's scale, so no bad value is judged."""

import math
from dataclasses import dataclass
from functools import cache

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments.registry import get_instrument, method_of


@cache
def score_range(instrument: str) -> tuple[float, float]:
    """The scale outcome scores of an instrument lie on (ODI/NDI: percent). Kept once known: the
    registry and its definitions are fixed for the process, and every point asks (an unknown
    instrument raises, and is not kept)."""
    return method_of(instrument).outcome_range(get_instrument(instrument))


@dataclass(frozen=True, slots=True)
class ScorePoint:
    instrument: str
    days_after_surgery: int
    score: float
    """ODI and NDI on the percent scale (0-100); COMI and NRS as scored (0-10)."""

    def __post_init__(self) -> None:
        low, high = score_range(self.instrument)
        days = self.days_after_surgery
        if isinstance(days, bool) or not isinstance(days, int):
            raise InvalidInput("days_after_surgery", f"{days!r} is not a whole number of days")
        value = self.score
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput("score", f"{value!r} is not a number")
        finite = isinstance(value, int) or math.isfinite(value)
        if not (finite and low <= value <= high):
            raise InvalidInput(
                "score", f"{value} is outside {low:g}-{high:g} for {self.instrument}"
            )
