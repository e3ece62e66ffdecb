"""Can a rule's condition ever hold? The static check behind "unreachable rule" in the rules check.

It looks for contradictions among the parts of one ``all_of`` (nested ones flattened): two regions,
a finding both required and excluded, time windows that do not overlap, a pain score outside 0-10,
axial and limb both predominant. It does not combine alternatives across ``any_of``, so it may miss
a contradiction but never calls a condition that can hold unreachable.
"""

import math
from collections.abc import Iterator, Sequence

from spinetrack.domain.triage.conditions import (
    Age,
    AllOf,
    AnyOf,
    AtLeast,
    Condition,
    CourseIs,
    DaysSinceSurgery,
    MonthsSinceSurgery,
    Not,
    PainPattern,
    PainScore,
    ProcedureIs,
    RangeCondition,
    RegionIs,
)
from spinetrack.domain.triage.facts import DAYS_PER_MONTH

Interval = tuple[float, float]
_NEVER_MISSING = (DaysSinceSurgery, MonthsSinceSurgery)
# The values a case can give: pain 0-10 inclusive, age 0-120, intervals from 0 (ranges are [low, high)).
_DOMAIN: dict[str, Interval] = {
    "pain_score:axial": (0.0, math.nextafter(10.0, math.inf)),
    "pain_score:limb": (0.0, math.nextafter(10.0, math.inf)),
    "age": (0.0, 121.0),
}


def _interval(rng: RangeCondition) -> tuple[str, Interval]:
    """The range as an interval on a shared axis: both timing conditions are counted in days."""
    low = -math.inf if rng.at_least is None else rng.at_least
    high = math.inf if rng.below is None else rng.below
    if isinstance(rng, MonthsSinceSurgery):
        return "timing", (low * DAYS_PER_MONTH, high * DAYS_PER_MONTH)
    if isinstance(rng, DaysSinceSurgery):
        return "timing", (low, high)
    if isinstance(rng, PainScore):
        return f"pain_score:{rng.site}", (low, high)
    return ("age" if isinstance(rng, Age) else "pain_free_interval_days"), (low, high)


def _meets_domain(axis: str, interval: Interval) -> bool:
    low, high = _DOMAIN.get(axis, (0.0, math.inf))
    return max(low, interval[0]) < min(high, interval[1])


def _flatten(parts: Sequence[Condition]) -> Iterator[Condition]:
    for part in parts:
        if isinstance(part, AllOf):
            yield from _flatten(part.of)
        else:
            yield part


def _negated_twin(parts: list[Condition]) -> bool:
    positives = [p for p in parts if not isinstance(p, Not)]
    return any(isinstance(p, Not) and p.of in positives for p in parts)


def _disjoint_choices(parts: list[Condition]) -> bool:
    choices = [
        [set(p.one_of) for p in parts if isinstance(p, RegionIs)],
        [set(p.one_of) for p in parts if isinstance(p, CourseIs)],
        [set(p.one_of) for p in parts if isinstance(p, ProcedureIs) and p.surgery == "index"],
    ]
    return any(sets and not set.intersection(*sets) for sets in choices)


def _disjoint_ranges(parts: list[Condition]) -> bool:
    axes: dict[str, Interval] = {}
    for part in parts:
        if isinstance(part, RangeCondition):
            axis, (low, high) = _interval(part)
            known_low, known_high = axes.get(axis, (-math.inf, math.inf))
            axes[axis] = (max(low, known_low), min(high, known_high))
    return any(not _meets_domain(axis, interval) for axis, interval in axes.items())


def _opposite_patterns(parts: list[Condition]) -> bool:
    return len({p.predominant for p in parts if isinstance(p, PainPattern)}) > 1


_CONFLICTS = (_negated_twin, _disjoint_choices, _disjoint_ranges, _opposite_patterns)


def _always(condition: Condition) -> bool:
    """True only when the condition holds for every case (so ``not`` of it never does)."""
    if isinstance(condition, _NEVER_MISSING):
        _, (low, high) = _interval(condition)
        return low <= 0 and high == math.inf
    if isinstance(condition, Not):
        return not can_hold(condition.of)
    if isinstance(condition, AnyOf):
        return any(_always(c) for c in condition.of)
    if isinstance(condition, AllOf):
        return all(_always(c) for c in condition.of)
    return False


def can_hold(condition: Condition) -> bool:
    """Whether some case could make the condition hold (conservatively: True when unsure)."""
    if isinstance(condition, AllOf):
        parts = list(_flatten(condition.of))
        return all(can_hold(p) for p in parts) and not any(c(parts) for c in _CONFLICTS)
    if isinstance(condition, AnyOf):
        return any(can_hold(c) for c in condition.of)
    if isinstance(condition, AtLeast):
        return sum(1 for c in condition.of if can_hold(c)) >= condition.n
    if isinstance(condition, Not):
        return not _always(condition.of)
    if isinstance(condition, RangeCondition):
        return _meets_domain(*_interval(condition))
    return True


def can_hold_together(*conditions: Condition | None) -> bool:
    """Whether all the given conditions (None = no condition) could hold in one case."""
    parts: list[Condition] = [c for c in conditions if c is not None]
    return can_hold(AllOf(type="all_of", of=parts)) if parts else True
