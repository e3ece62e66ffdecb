"""Percent-of-maximum scoring (ODI, NDI): the answered items' sum over the most they could add up to,
so a skipped item lowers the denominator instead of counting as zero."""

from collections.abc import Mapping

from spinetrack.domain.instruments.definition import InstrumentDefinition, PercentOfMaxRule
from spinetrack.domain.instruments.result import Score
from spinetrack.domain.instruments.rounding import half_up


def _rule(definition: InstrumentDefinition) -> PercentOfMaxRule:
    if not isinstance(definition.scoring, PercentOfMaxRule):
        raise ValueError(f"{definition.id} is not scored as a percentage of the maximum")
    return definition.scoring


def check(definition: InstrumentDefinition) -> None:
    rule = _rule(definition)
    if any(item.min != 0 for item in definition.items):
        raise ValueError("percent_of_max needs every item to start at 0")
    if len({item.max for item in definition.items}) != 1:
        raise ValueError("percent_of_max needs every item to have the same maximum")
    if rule.max_missing >= len(definition.items):
        raise ValueError("max_missing must leave at least one item to score")


def compute(definition: InstrumentDefinition, values: Mapping[str, int]) -> Score:
    rule = _rule(definition)
    items = len(definition.items)
    answered = len(values)
    missing = items - answered
    if missing > rule.max_missing:
        reason = f"{missing} of {items} items missing; at most {rule.max_missing} may be missing"
        return Score(definition.id, "insufficient", answered, reason=reason)
    total = sum(values.values())
    top = definition.items[0].max
    # In hundredths: percent = total / (top x answered) x 100, raw = total x items / answered.
    percent = half_up(100 * 100 * total, top * answered)
    raw = half_up(100 * items * total, answered)
    return Score(definition.id, "ok", answered, raw=raw / 100, percent=percent / 100)


def outcome_range(definition: InstrumentDefinition) -> tuple[float, float]:
    return (0.0, 100.0)


def outcome_score(score: Score) -> float | None:
    return score.percent
