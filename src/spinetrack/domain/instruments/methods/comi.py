"""COMI scoring: each item rescaled to 0..domain_max, combined per domain (the higher pain, the mean
disability), then the mean of the domains. Exact fractions, so rounding is decided, not guessed."""

from collections.abc import Mapping
from fractions import Fraction

from spinetrack.domain.instruments.definition import (
    ComiDomain,
    ComiRule,
    InstrumentDefinition,
)
from spinetrack.domain.instruments.result import Score
from spinetrack.domain.instruments.rounding import half_up


def _rule(definition: InstrumentDefinition) -> ComiRule:
    if not isinstance(definition.scoring, ComiRule):
        raise ValueError(f"{definition.id} is not scored by COMI domains")
    return definition.scoring


def check(definition: InstrumentDefinition) -> None:
    rule = _rule(definition)
    in_domains = [item for domain in rule.domains for item in domain.items]
    items = [item.id for item in definition.items]
    if sorted(in_domains) != sorted(items):
        raise ValueError("every item must belong to exactly one domain")


def _domain_value(
    definition: InstrumentDefinition, domain: ComiDomain, values: Mapping[str, int]
) -> Fraction | None:
    top = _rule(definition).domain_max
    scaled = []
    for item_id in domain.items:
        if item_id in values:
            item = definition.item(item_id)
            scaled.append(Fraction((values[item_id] - item.min) * top, item.max - item.min))
    if not scaled:
        return None
    if domain.combine == "max":
        return max(scaled)
    return sum(scaled, Fraction(0)) / len(scaled)


def compute(definition: InstrumentDefinition, values: Mapping[str, int]) -> Score:
    rule = _rule(definition)
    domains = {d.id: _domain_value(definition, d, values) for d in rule.domains}
    empty = [name for name, value in domains.items() if value is None]
    if empty:
        reason = f"no answer in the {', '.join(empty)} domain{'s' if len(empty) > 1 else ''}"
        return Score(definition.id, "insufficient", len(values), reason=reason)
    mean = sum((v for v in domains.values() if v is not None), Fraction(0)) / len(domains)
    raw = half_up(mean.numerator * 100, mean.denominator)
    return Score(definition.id, "ok", len(values), raw=raw / 100)


def outcome_range(definition: InstrumentDefinition) -> tuple[float, float]:
    return (0.0, float(_rule(definition).domain_max))


def outcome_score(score: Score) -> float | None:
    return score.raw
