"""Causes are weighed only where they can apply, ranked by net evidence, and ties are stable."""

import random
from collections.abc import Callable
from typing import Any

import pytest

from spinetrack.domain.triage import assess
from spinetrack.domain.triage.causes import (
    CauseRules,
    likelihood_of,
    phase_of,
    rank_causes,
    score_of,
)
from spinetrack.domain.triage.facts import Facts
from spinetrack.domain.triage.rules_check import checked_rules

CaseBuilder = Callable[..., dict[str, Any]]
FactsBuilder = Callable[..., Facts]


def listed(facts: Facts) -> list[str]:
    return [s.rule.id for s in rank_causes(checked_rules().causes, facts)]


def test_pseudarthrosis_needs_a_fusion(make_facts: FactsBuilder) -> None:
    findings = {"ct_no_bridging_bone", "mechanical_pain"}
    assert "pseudarthrosis" in listed(make_facts(findings=findings))
    after_discectomy = make_facts(
        findings=findings, index_procedure="discectomy", procedures={"discectomy"}
    )
    assert "pseudarthrosis" not in listed(after_discectomy)


@pytest.mark.parametrize(
    ("procedure", "weighed"), [("fusion", True), ("disc_replacement", True), ("laminectomy", False)]
)
def test_adjacent_segment_disease_needs_a_fusion_or_arthroplasty(
    make_facts: FactsBuilder, procedure: str, weighed: bool
) -> None:
    facts = make_facts(
        findings={"adjacent_level_stenosis"}, index_procedure=procedure, procedures={procedure}
    )
    assert ("adjacent_segment_disease" in listed(facts)) is weighed


def test_an_old_fusion_counts_for_adjacent_segment_disease(make_facts: FactsBuilder) -> None:
    facts = make_facts(
        findings={"adjacent_level_stenosis"},
        index_procedure="discectomy",
        procedures={"fusion", "discectomy"},
    )
    assert "adjacent_segment_disease" in listed(facts)


@pytest.mark.parametrize(
    ("interval", "recurrent", "residual"), [(182, False, True), (183, True, False)]
)
def test_recurrence_needs_more_than_six_months_pain_free(
    make_facts: FactsBuilder, interval: int, recurrent: bool, residual: bool
) -> None:
    facts = make_facts(
        findings={"mri_disc_material", "same_distribution_radicular"},
        index_procedure="discectomy",
        procedures={"discectomy"},
        pain_free_interval_days=interval,
    )
    causes = listed(facts)
    assert ("recurrent_disc_herniation" in causes) is recurrent
    assert ("residual_disc" in causes) is residual


def test_sacroiliac_pain_is_weighed_in_lumbar_cases_only(make_facts: FactsBuilder) -> None:
    findings = {"sij_provocation_positive", "unilateral_buttock_pain"}
    assert "sacroiliac_joint_pain" in listed(make_facts(findings=findings))
    assert "sacroiliac_joint_pain" not in listed(make_facts(findings=findings, region="cervical"))


@pytest.mark.parametrize(("days", "weighed"), [(14, True), (15, False)])
def test_an_epidural_haematoma_is_weighed_in_the_first_two_weeks(
    make_facts: FactsBuilder, days: int, weighed: bool
) -> None:
    facts = make_facts(findings={"mri_epidural_collection"}, days_since_surgery=days)
    assert ("epidural_hematoma" in listed(facts)) is weighed


def test_a_single_supporting_feature_does_not_list_a_cause(make_facts: FactsBuilder) -> None:
    assert listed(make_facts(findings={"immunosuppression"})) == []


def test_evidence_against_is_named_and_lowers_the_score(make_case: CaseBuilder) -> None:
    findings = ["ct_no_bridging_bone", "mechanical_pain"]
    early = {c.id: c for c in assess(make_case(days=120, findings=findings)).causes}
    late = {c.id: c for c in assess(make_case(days=400, findings=findings)).causes}
    assert early["pseudarthrosis"].evidence_against == [
        "timing: under 6 months after fusion, too early to call it failed"
    ]
    assert early["pseudarthrosis"].score < late["pseudarthrosis"].score


def test_ranks_start_at_one_and_scores_never_rise(make_case: CaseBuilder) -> None:
    findings = [
        "screw_lucency",
        "mechanical_pain",
        "adjacent_level_degeneration",
        "psychological_distress",
    ]
    causes = assess(make_case(findings=findings, pain={"axial": 7, "limb": 2})).causes
    assert [c.rank for c in causes] == list(range(1, len(causes) + 1))
    assert [c.score for c in causes] == sorted((c.score for c in causes), reverse=True)


def test_the_order_of_findings_does_not_change_the_assessment(make_case: CaseBuilder) -> None:
    findings = ["screw_lucency", "mechanical_pain", "fever", "new_distribution_radicular", "smoker"]
    first = assess(make_case(findings=findings))
    for seed in range(5):
        shuffled = findings[:]
        random.Random(seed).shuffle(shuffled)
        assert assess(make_case(findings=shuffled)) == first


def _two_equal_causes(first: str, second: str) -> CauseRules:
    base = checked_rules().causes.model_dump()
    cause = {
        "evidence_for": [{"when": {"type": "finding", "id": "smoker"}, "weight": 2}],
        "sources": ["x et al"],
    }
    base["causes"] = [{"id": first, **cause}, {"id": second, **cause}]
    return CauseRules.model_validate(base)


def test_equal_weights_keep_the_order_of_the_rules_file(make_facts: FactsBuilder) -> None:
    facts = make_facts(findings={"smoker"})
    assert [s.rule.id for s in rank_causes(_two_equal_causes("b", "a"), facts)] == ["b", "a"]
    assert [s.rule.id for s in rank_causes(_two_equal_causes("a", "b"), facts)] == ["a", "b"]


@pytest.mark.parametrize(
    ("net", "score", "likelihood"), [(6, 0.70, "high"), (3, 0.45, "moderate"), (2, 0.33, "low")]
)
def test_net_weight_maps_to_score_and_likelihood(net: float, score: float, likelihood: str) -> None:
    scoring = checked_rules().causes.scoring
    assert score_of(scoring, net) == score
    assert likelihood_of(scoring, score) == likelihood


@pytest.mark.parametrize(
    ("days", "phase"),
    [(0, "days"), (6, "days"), (7, "weeks"), (90, "weeks"), (91, "months"), (730, "years")],
)
def test_the_time_course_phase(days: int, phase: str) -> None:
    assert phase_of(checked_rules().causes.time_course, days).name == phase


def test_every_listed_cause_names_its_evidence_work_up_and_sources(make_case: CaseBuilder) -> None:
    case = make_case(
        findings=[
            "ct_no_bridging_bone",
            "mechanical_pain",
            "extension_pain",
            "psychological_distress",
        ]
    )
    for cause in assess(case).causes:
        assert cause.evidence_for and cause.workup and cause.sources
