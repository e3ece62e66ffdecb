"""Single-item scoring (pain NRS): the answer is the score."""

from collections.abc import Mapping

from spinetrack.domain.instruments.definition import InstrumentDefinition, SingleItemRule
from spinetrack.domain.instruments.result import Score


def check(definition: InstrumentDefinition) -> None:
    if not isinstance(definition.scoring, SingleItemRule):
        raise ValueError(f"{definition.id} is not a single-item instrument")
    if len(definition.items) != 1:
        raise ValueError("single_item needs exactly one item")


def compute(definition: InstrumentDefinition, values: Mapping[str, int]) -> Score:
    item = definition.items[0]
    if item.id not in values:
        return Score(definition.id, "insufficient", 0, reason=f"{item.id} is not answered")
    return Score(definition.id, "ok", 1, raw=float(values[item.id]))


def outcome_range(definition: InstrumentDefinition) -> tuple[float, float]:
    item = definition.items[0]
    return (float(item.min), float(item.max))


def outcome_score(score: Score) -> float | None:
    return score.raw
