"""Which response counts at each time point: per instrument, the one closest to the window's nominal
day; on a tie the earlier day, then the first given. Responses outside every window are dropped."""

from collections.abc import Iterable

from spinetrack.domain.outcomes.points import ScorePoint
from spinetrack.domain.outcomes.windows import window_of

Series = dict[str, ScorePoint]
"""Time point id -> the response that counts there."""


def counted(points: Iterable[ScorePoint]) -> dict[str, Series]:
    """Instrument -> its counted response per time point (time points without one are absent)."""
    best: dict[tuple[str, str], tuple[tuple[int, int, int], ScorePoint]] = {}
    for order, point in enumerate(points):
        window = window_of(point.days_after_surgery)
        if window is None:
            continue
        day = point.days_after_surgery
        key = (abs(day - window.nominal), day, order)
        slot = (point.instrument, window.id)
        if slot not in best or key < best[slot][0]:
            best[slot] = (key, point)
    result: dict[str, Series] = {}
    for (instrument, timepoint), (_, point) in best.items():
        result.setdefault(instrument, {})[timepoint] = point
    return result
