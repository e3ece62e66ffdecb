"""Likely causes of persisting pain: weighted evidence for and against each cause, then a ranking.

A cause is considered only when its ``requires`` holds (pseudarthrosis needs a fusion); its net
weight is the evidence for minus the evidence against that the case shows. Causes whose net weight
reaches the listing threshold are ranked, highest first; equal weights keep the file's order.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import Field, model_validator

from spinetrack.domain.knowledge import KnowledgeModel
from spinetrack.domain.sources import Sources
from spinetrack.domain.triage.assessment import Likelihood
from spinetrack.domain.triage.conditions import Condition, FindingIs
from spinetrack.domain.triage.facts import Facts
from spinetrack.domain.triage.record_context import ExtraEvidence


class Evidence(KnowledgeModel):
    """One piece of evidence: a condition, its weight, and the words that name it in the output.

    A single finding is named by its id; anything else (timing, course, pain) needs a ``label``.
    """

    when: Condition
    weight: float = Field(gt=0)
    label: str | None = None

    @model_validator(mode="after")
    def _named(self) -> "Evidence":
        if self.label is None and not isinstance(self.when, FindingIs):
            raise ValueError("evidence other than a single finding needs a label")
        return self

    @property
    def name(self) -> str:
        if self.label is not None:
            return self.label
        assert isinstance(self.when, FindingIs)
        return self.when.id


class CauseRule(KnowledgeModel):
    id: str
    requires: Condition | None = None
    evidence_for: list[Evidence] = Field(min_length=1)
    evidence_against: list[Evidence] = Field(default_factory=list)
    note: str | None = None
    sources: Sources


class Likelihoods(KnowledgeModel):
    high: float = Field(gt=0, lt=1)
    moderate: float = Field(gt=0, lt=1)


class Scoring(KnowledgeModel):
    """How net weights become the listing, the 0-1 score and the likelihood word."""

    listing_threshold: float = Field(gt=0)
    saturation: float = Field(gt=0)
    uncertain_weight: float = Field(gt=0, le=1)
    likelihood: Likelihoods
    note: str


class Phase(KnowledgeModel):
    name: str
    label: str
    below_days: int | None = None


class TimeCourse(KnowledgeModel):
    phases: list[Phase] = Field(min_length=1)
    sources: Sources


class CauseRules(KnowledgeModel):
    scoring: Scoring
    time_course: TimeCourse
    causes: list[CauseRule] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class ScoredCause:
    rule: CauseRule
    net: float
    evidence_for: list[str]
    evidence_against: list[str]
    extra_sources: tuple[str, ...] = ()
    """Sources of evidence the record gave (a recorded complication), beside the rule's own."""


def _matched(evidence: list[Evidence], facts: Facts) -> list[Evidence]:
    return [e for e in evidence if e.when.holds(facts)]


def _weight(evidence: Evidence, facts: Facts, uncertain_weight: float) -> float:
    """The evidence's weight, scaled down when only findings a report merely suggests hold it up."""
    support = evidence.when.supporting_findings(facts)
    if support and facts.uncertain_findings.issuperset(support):
        return evidence.weight * uncertain_weight
    return evidence.weight


def _score(
    rule: CauseRule, facts: Facts, uncertain_weight: float, extra: list[ExtraEvidence]
) -> ScoredCause | None:
    if rule.requires is not None and not rule.requires.holds(facts):
        return None
    for_ = _matched(rule.evidence_for, facts)
    if not for_ and not extra:
        return None
    against = _matched(rule.evidence_against, facts)
    weight_for = sum(_weight(e, facts, uncertain_weight) for e in for_)
    weight_for += sum(e.weight for e in extra)
    weight_against = sum(_weight(e, facts, uncertain_weight) for e in against)
    # Rounded so that sums of the same weights in another order compare equal.
    net = round(weight_for - weight_against, 6)
    sources = tuple(dict.fromkeys(s for e in extra for s in e.sources if s not in rule.sources))
    return ScoredCause(
        rule,
        net,
        [e.label for e in extra] + [e.name for e in for_],
        [e.name for e in against],
        sources,
    )


def rank_causes(
    rules: CauseRules, facts: Facts, extra: Mapping[str, list[ExtraEvidence]] | None = None
) -> list[ScoredCause]:
    """The listed causes, most likely first; ties keep the order of the rules file. ``extra`` is
    evidence the record gives a cause beyond its rule's conditions (recorded complications)."""
    more = extra or {}
    scored = [
        _score(rule, facts, rules.scoring.uncertain_weight, more.get(rule.id, []))
        for rule in rules.causes
    ]
    listed = [s for s in scored if s is not None and s.net >= rules.scoring.listing_threshold]
    # sorted() is stable, so equal weights stay in file order.
    return sorted(listed, key=lambda s: -s.net)


def score_of(scoring: Scoring, net: float) -> float:
    """A 0-1 score that grows with the net weight and saturates (half-way at ln 2 x saturation)."""
    return round(1 - math.exp(-net / scoring.saturation), 2)


def likelihood_of(scoring: Scoring, score: float) -> Likelihood:
    if score >= scoring.likelihood.high:
        return "high"
    if score >= scoring.likelihood.moderate:
        return "moderate"
    return "low"


def phase_of(time_course: TimeCourse, days: int) -> Phase:
    """The time-course phase (days, weeks, months, years) that ``days`` after surgery falls in."""
    for phase in time_course.phases:
        if phase.below_days is None or days < phase.below_days:
            return phase
    return time_course.phases[-1]
