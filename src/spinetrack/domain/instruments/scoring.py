"""Score one response to an instrument: refuse any value outside its item's range or not a whole
number (the response is then invalid, never clipped), then let the instrument's method score it."""

import math
from collections.abc import Mapping

from spinetrack.domain.instruments.definition import Item
from spinetrack.domain.instruments.registry import get_instrument, method_of
from spinetrack.domain.instruments.result import Score


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def value_problem(item: Item, value: object) -> str | None:
    """Why a given answer cannot be scored, or None when it is a whole number in range."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{value!r} is not a number"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a number"
    if value != math.floor(value):
        return f"{_number(value)} is not a whole number"
    if not item.min <= value <= item.max:
        return f"{_number(value)} is outside {item.min}-{item.max}"
    return None


def score(instrument_id: str, answers: Mapping[str, float | int | None]) -> Score:
    """Score one response. Keys that are not items of the instrument are ignored."""
    definition = get_instrument(instrument_id)
    values: dict[str, int] = {}
    problems = []
    answered = 0
    for item in definition.items:
        value = answers.get(item.id)
        if value is None:
            continue
        answered += 1
        problem = value_problem(item, value)
        if problem is None:
            values[item.id] = int(value)
        else:
            problems.append(f"{item.id}: {problem}")
    if problems:
        return Score(definition.id, "invalid", answered, reason="; ".join(problems))
    return method_of(instrument_id).compute(definition, values)


def answers_needed(instrument_id: str) -> int | None:
    """How many items must be answered for a score, from the instrument's scoring rule: all but
    ``max_missing`` (ODI, NDI), the one item (pain NRS); None where the rule counts by domain
    (COMI), whose response is scored when every domain has an answer."""
    definition = get_instrument(instrument_id)
    rule = definition.scoring
    if rule.method == "percent_of_max":
        return len(definition.items) - rule.max_missing
    if rule.method == "single_item":
        return 1
    return None
