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
from spinetrack.domain.triage.plan import (
    assemble_treatments,
    assemble_workup,
    cause_workup,
    hold_back,
    known_tests,
    without_known,
)
from spinetrack.domain.triage.psps2 import psps2_status
from spinetrack.domain.triage.record_context import complication_evidence, plan_context
from spinetrack.domain.triage.red_flags import raised_red_flags
from spinetrack.domain.triage.rules import Rules
from spinetrack.domain.triage.rules_check import checked_rules


def _likely(rules: Rules, scored: ScoredCause, rank: int, known: set[str]) -> LikelyCause:
    scoring = rules.causes.scoring
    score = score_of(scoring, scored.net)
    return LikelyCause(
        id=scored.rule.id,
        rank=rank,
        likelihood=likelihood_of(scoring, score),
        score=score,
        evidence_for=scored.evidence_for,
        evidence_against=scored.evidence_against,
        workup=[w for w in cause_workup(rules.workup, scored.rule.id) if w not in known],
        sources=list(scored.rule.sources) + list(scored.extra_sources),
    )


def assess(case: Case | Mapping[str, object]) -> Assessment:
    """The assessment of one case; raises InvalidCase, naming the field, if the case is not valid."""
    checked = parse_case(case)
    rules = checked_rules()
    rejected = {(r.report, r.id) for r in checked.rejected_report_findings}
    surgeries = [(surgery.procedure, surgery.levels) for surgery in checked.surgeries]
    text = extract_findings(checked.reports, rejected, surgeries)
    facts = facts_of(
        checked,
        [finding.id for finding in text.extracted],
        uncertain=text.uncertain,
        signs=text.signs,
    )
    ranked = rank_causes(rules.causes, facts, complication_evidence(checked.complications))
    cause_ids = [scored.rule.id for scored in ranked]
    context = plan_context()
    known = known_tests(context, facts)
    known_ids = {item.id for item in known}
    red_flags = raised_red_flags(rules.red_flags, rules.vocabulary.urgencies, facts)
    treatments = assemble_treatments(rules.treatments, cause_ids, facts)
    return Assessment(
        case_id=checked.case_id,
        rules_version=rules_version(),
        months_since_surgery=facts.months_since_surgery,
        psps2=psps2_status(rules.psps2, facts),
        red_flags=red_flags,
        causes=[
            _likely(rules, scored, rank, known_ids) for rank, scored in enumerate(ranked, start=1)
        ],
        workup=without_known(assemble_workup(rules.workup, cause_ids), known),
        treatments=hold_back(context, treatments, bool(red_flags)),
        extracted_findings=text.extracted,
        already_known=known,
    )
