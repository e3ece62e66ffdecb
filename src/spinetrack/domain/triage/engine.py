"""assess(case) -> Assessment: validate, raise red flags, rank causes, assemble the plan.

Deterministic: the same case and the same rules always give the same assessment.
"""

from collections.abc import Mapping

from spinetrack.domain.knowledge import rules_version
from spinetrack.domain.triage.assessment import Assessment, LikelyCause
from spinetrack.domain.triage.case import Case, parse_case
from spinetrack.domain.triage.causes import ScoredCause, likelihood_of, rank_causes, score_of
from spinetrack.domain.triage.extraction import extract_findings
from spinetrack.domain.triage.facts import facts_of
from spinetrack.domain.triage.plan import assemble_treatments, assemble_workup, cause_workup
from spinetrack.domain.triage.psps2 import psps2_status
from spinetrack.domain.triage.red_flags import raised_red_flags
from spinetrack.domain.triage.rules import Rules
from spinetrack.domain.triage.rules_check import checked_rules


def _likely(rules: Rules, scored: ScoredCause, rank: int) -> LikelyCause:
    scoring = rules.causes.scoring
    score = score_of(scoring, scored.net)
    return LikelyCause(
        id=scored.rule.id,
        rank=rank,
        likelihood=likelihood_of(scoring, score),
        score=score,
        evidence_for=scored.evidence_for,
        evidence_against=scored.evidence_against,
        workup=cause_workup(rules.workup, scored.rule.id),
        sources=list(scored.rule.sources),
    )


def assess(case: Case | Mapping[str, object]) -> Assessment:
    """The assessment of one case; raises InvalidCase, naming the field, if the case is not valid."""
    checked = parse_case(case)
    rules = checked_rules()
    text = extract_findings(checked.reports)
    facts = facts_of(
        checked,
        [finding.id for finding in text.extracted],
        uncertain=text.uncertain,
        signs=text.signs,
    )
    ranked = rank_causes(rules.causes, facts)
    cause_ids = [scored.rule.id for scored in ranked]
    return Assessment(
        case_id=checked.case_id,
        rules_version=rules_version(),
        months_since_surgery=facts.months_since_surgery,
        psps2=psps2_status(rules.psps2, facts),
        red_flags=raised_red_flags(rules.red_flags, rules.vocabulary.urgencies, facts),
        causes=[_likely(rules, scored, rank) for rank, scored in enumerate(ranked, start=1)],
        workup=assemble_workup(rules.workup, cause_ids),
        treatments=assemble_treatments(rules.treatments, cause_ids, facts),
        extracted_findings=text.extracted,
    )
