"""Whether a negation in a value reading's sentence is about the value or about something else.

A value above its sourced threshold ("bladder scan 1100 mL", "CRP 96") is a measurement. ConText
gives it the status of any negation whose scope covers it, and a negation's scope runs on past the
noun it denies: in "no urine for 10 h, bladder scan 1100 mL" or "no redness or discharge, her CRP
is 96" the "no" is about the urine and the redness, not the measurement. A negation keeps a value
reading only when the words between them name nothing but the value: the analyte of a value rule,
numbers and units, and the link words of ``negation_reach`` in knowledge/reports/value_rules.yaml
("no rise in CRP, 38", "inflammatory markers not raised: CRP 12").
"""

import re

from spinetrack.domain.reports.values import ValueRules, value_rules

_MEASURE = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:x\s*10\^?9\s*/\s*l|mg/dl|mg/l|mm/h(?:r)?|mls?|cc|mm|cm|kg|°?c|%)?",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]", re.U)


def _namers(rules: ValueRules) -> list[str]:
    """The patterns whose words name a value: every rule's analyte, then the link words (``re``
    keeps them compiled; this runs only for a value reading that ConText negated)."""
    patterns = [rule.analyte for rule in rules.rules]
    if rules.negation_reach is not None:
        patterns.append(rules.negation_reach.link_words)
    return patterns


def names_value(between: str, rules: ValueRules | None = None) -> bool:
    """Whether the words between a negation and a value reading name only the value: with every
    analyte name, link word, number and unit taken out, no word is left."""
    rules = rules or value_rules()
    if rules.negation_reach is None:
        return True  # without the list, ConText's scope stands
    rest = between
    for pattern in _namers(rules):
        rest = re.sub(pattern, " ", rest, flags=re.I)
    rest = _MEASURE.sub(" ", rest)
    return _WORD.search(rest) is None
