"""Red flags: the conditions after spine surgery that call for escalation, not for suggestion.

They are checked before anything else; every one whose criteria hold is reported, emergencies
first, each with the findings that raised it and the action to take.
"""

from pydantic import Field

from spinetrack.domain.knowledge import KnowledgeModel
from spinetrack.domain.sources import Sources
from spinetrack.domain.triage.assessment import RedFlag
from spinetrack.domain.triage.conditions import Condition
from spinetrack.domain.triage.facts import Facts


class RedFlagRule(KnowledgeModel):
    id: str
    urgency: str
    criteria: Condition
    unless: Condition | None = None
    """A condition that keeps the flag down although its criteria hold: a cause the reports name
    that the flag's action is not for (tune16k: a non-compressive cord disease and myelopathy)."""
    action: str = Field(min_length=10)
    note: str | None = None
    sources: Sources


class RedFlagRules(KnowledgeModel):
    red_flags: list[RedFlagRule] = Field(min_length=1)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def raised_red_flags(rules: RedFlagRules, urgencies: list[str], facts: Facts) -> list[RedFlag]:
    """Every red flag whose criteria hold: in the order of ``urgencies`` (most urgent first), then
    in the order of the rules file."""
    raised = [
        rule
        for rule in rules.red_flags
        if rule.criteria.holds(facts) and not (rule.unless and rule.unless.holds(facts))
    ]
    raised.sort(key=lambda rule: urgencies.index(rule.urgency))
    return [
        RedFlag(
            id=rule.id,
            urgency=rule.urgency,
            evidence=_unique(rule.criteria.supporting_findings(facts)),
            action=rule.action,
            sources=list(rule.sources),
        )
        for rule in raised
    ]
