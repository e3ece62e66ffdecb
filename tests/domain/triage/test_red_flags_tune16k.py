"""tune16k: a red flag's ``unless`` keeps it down, and the red-flag rules of the thirteenth blind
set's clinical voices (part A) read their signs as red_flags.yaml says."""

from collections.abc import Callable

import pytest

from spinetrack.domain.triage.facts import Facts
from spinetrack.domain.triage.red_flags import RedFlagRules, raised_red_flags
from spinetrack.domain.triage.rules_check import checked_rules

FactsBuilder = Callable[..., Facts]


def flags(facts: Facts) -> list[str]:
    rules = checked_rules()
    return [f.id for f in raised_red_flags(rules.red_flags, rules.vocabulary.urgencies, facts)]


def _one_rule(unless: dict[str, str] | None) -> RedFlagRules:
    rule: dict[str, object] = {
        "id": "myelopathy",
        "urgency": "urgent",
        "criteria": {"type": "finding", "id": "hyperreflexia"},
        "action": "Urgent: refer to the spinal team.",
        "sources": ["a source"],
    }
    if unless is not None:
        rule["unless"] = unless
    return RedFlagRules.model_validate({"red_flags": [rule]})


def test_unless_keeps_a_flag_down_whose_criteria_hold(make_facts: FactsBuilder) -> None:
    facts = make_facts(findings={"hyperreflexia"}, signs={"noncompressive_cord_cause"})
    urgencies = checked_rules().vocabulary.urgencies
    kept = _one_rule({"type": "sign", "id": "noncompressive_cord_cause"})
    plain = _one_rule(None)
    assert raised_red_flags(kept, urgencies, facts) == []
    assert [f.id for f in raised_red_flags(plain, urgencies, facts)] == ["myelopathy"]


def test_unless_that_does_not_hold_leaves_the_flag(make_facts: FactsBuilder) -> None:
    facts = make_facts(findings={"hyperreflexia"})
    urgencies = checked_rules().vocabulary.urgencies
    kept = _one_rule({"type": "sign", "id": "noncompressive_cord_cause"})
    assert [f.id for f in raised_red_flags(kept, urgencies, facts)] == ["myelopathy"]


def test_a_named_non_compressive_cord_disease_keeps_myelopathy_down(
    make_facts: FactsBuilder,
) -> None:
    cord = {"findings": {"hyperreflexia", "gait_disturbance"}, "region": "cervical"}
    assert "myelopathy" in flags(make_facts(**cord))
    with_cause = make_facts(**cord, signs={"noncompressive_cord_cause", "cord_signal_change"})
    assert "myelopathy" not in flags(with_cause)


def test_a_worsening_deficit_with_such_a_cause_is_still_progressive(
    make_facts: FactsBuilder,
) -> None:
    facts = make_facts(
        region="cervical",
        findings={"gait_disturbance", "hyperreflexia"},
        signs={"noncompressive_cord_cause", "gait_worsening"},
    )
    assert flags(facts) == ["progressive_neurological_deficit"]


def test_a_worsening_gait_is_progressive_only_beside_a_non_compressive_cause(
    make_facts: FactsBuilder,
) -> None:
    alone = make_facts(region="cervical", signs={"gait_worsening"})
    assert "progressive_neurological_deficit" not in flags(alone)
    caused = make_facts(region="cervical", signs={"gait_worsening", "noncompressive_cord_cause"})
    assert "progressive_neurological_deficit" in flags(caused)


def test_an_escalated_walking_aid_raises_progressive_deficit(make_facts: FactsBuilder) -> None:
    assert "progressive_neurological_deficit" in flags(make_facts(signs={"function_worsening"}))


@pytest.mark.parametrize(
    ("signs", "raised"),
    [
        ({"compression_excluded", "sacral_function_normal"}, False),
        # flags16d's reading of the tenth and twelfth sets: the MRI alone answers the retention
        ({"compression_excluded"}, False),
        ({"compression_excluded", "thecal_sac_compression"}, True),
        ({"sacral_function_normal"}, True),
        (set(), True),
    ],
)
def test_retention_with_imaging_and_saddle_normal_is_no_cauda_equina(
    make_facts: FactsBuilder, signs: set[str], raised: bool
) -> None:
    facts = make_facts(findings={"urinary_retention"}, signs=signs)
    assert ("cauda_equina" in flags(facts)) is raised


def test_established_bladder_and_bowel_care_is_no_new_sphincter_change(
    make_facts: FactsBuilder,
) -> None:
    routine = {"sphincter_management_established"}
    sphincter = {"bladder_dysfunction", "bowel_dysfunction", "bilateral_limb_symptoms"}
    assert "cauda_equina" in flags(make_facts(findings=sphincter))
    assert "cauda_equina" not in flags(make_facts(findings=sphincter, signs=routine))
    retention = make_facts(findings=sphincter | {"urinary_retention"}, signs=routine)
    assert "cauda_equina" in flags(retention)
