"""Red flags are raised by their criteria and by nothing else; emergencies lead."""

from collections.abc import Callable
from typing import Any

import pytest

from spinetrack.domain.triage import assess
from spinetrack.domain.triage.facts import Facts
from spinetrack.domain.triage.red_flags import raised_red_flags
from spinetrack.domain.triage.rules_check import checked_rules

CaseBuilder = Callable[..., dict[str, Any]]
FactsBuilder = Callable[..., Facts]


def flags(facts: Facts) -> list[str]:
    rules = checked_rules()
    return [f.id for f in raised_red_flags(rules.red_flags, rules.vocabulary.urgencies, facts)]


RAISED: list[tuple[str, dict[str, Any], str]] = [
    ("saddle anaesthesia", {"findings": {"saddle_anesthesia"}}, "cauda_equina"),
    ("isolated urinary retention", {"findings": {"urinary_retention"}}, "cauda_equina"),
    ("new bladder dysfunction", {"findings": {"bladder_dysfunction"}}, "cauda_equina"),
    ("bowel dysfunction", {"findings": {"bowel_dysfunction"}}, "cauda_equina"),
    (
        "anal tone reduced with perianal sensation intact",
        {
            "findings": {"bowel_dysfunction"},
            "signs": {"anal_tone_reduced", "sacral_function_normal"},
        },
        "cauda_equina",
    ),
    (
        "progressive weakness",
        {"findings": {"progressive_weakness"}},
        "progressive_neurological_deficit",
    ),
    (
        "new weakness with a collection",
        {"findings": {"new_weakness", "mri_epidural_collection"}},
        "progressive_neurological_deficit",
    ),
    ("neck swelling", {"region": "cervical", "findings": {"neck_swelling"}}, "airway_compromise"),
    (
        "breathing difficulty",
        {"region": "cervical", "findings": {"breathing_difficulty"}},
        "airway_compromise",
    ),
    ("fever", {"findings": {"fever"}}, "infection"),
    ("wound drainage", {"findings": {"wound_drainage"}}, "infection"),
    ("wound erythema", {"findings": {"wound_erythema"}}, "infection"),
    ("second CRP rise", {"findings": {"crp_second_rise"}}, "infection"),
    ("discitis on MRI", {"findings": {"mri_discitis"}}, "infection"),
    ("two raised markers", {"findings": {"crp_elevated", "esr_elevated"}}, "infection"),
    ("hyperreflexia in any region", {"findings": {"hyperreflexia"}}, "myelopathy"),
    (
        "clumsy hands and gait",
        {"region": "cervical", "findings": {"hand_clumsiness", "gait_disturbance"}},
        "myelopathy",
    ),
    (
        "sphincter sign in the neck",
        {"region": "cervical", "findings": {"bladder_dysfunction"}},
        "myelopathy",
    ),
    (
        "broken hardware with weakness",
        {"findings": {"hardware_breakage", "new_weakness"}},
        "hardware_failure_with_deficit",
    ),
    (
        "displaced hardware with hyperreflexia",
        {"findings": {"hardware_displacement", "hyperreflexia"}},
        "hardware_failure_with_deficit",
    ),
    ("unexplained weight loss", {"findings": {"unexplained_weight_loss"}}, "malignancy"),
    (
        "cancer history with night pain",
        {"findings": {"history_of_cancer", "night_pain"}},
        "malignancy",
    ),
    ("significant trauma", {"findings": {"significant_trauma"}}, "fracture"),
    (
        "a cancer only suspected now",
        {"findings": {"history_of_cancer"}, "uncertain_findings": frozenset({"history_of_cancer"})},
        "malignancy",
    ),
    (
        "displaced hardware with clumsy hands",
        {"region": "cervical", "findings": {"hardware_displacement", "hand_clumsiness"}},
        "hardware_failure_with_deficit",
    ),
    (
        "broken hardware with new bladder dysfunction",
        {"findings": {"hardware_breakage", "bladder_dysfunction"}},
        "hardware_failure_with_deficit",
    ),
    (
        "raised ESR at two months",
        {"findings": {"esr_elevated"}, "days_since_surgery": 60},
        "infection",
    ),
    (
        "raised CRP four weeks after surgery",
        {"findings": {"crp_elevated"}, "days_since_surgery": 30},
        "infection",
    ),
    (
        "night sweats in the first three months",
        {"findings": {"night_sweats"}, "days_since_surgery": 20},
        "infection",
    ),
    (
        "night sweats with immunosuppression",
        {"findings": {"night_sweats", "immunosuppression"}},
        "infection",
    ),
    ("a collection called an abscess", {"signs": {"infected_collection"}}, "infection"),
    (
        "haematoma compressing the thecal sac",
        {"findings": {"mri_epidural_collection"}, "signs": {"thecal_sac_compression"}},
        "cauda_equina",
    ),
    (
        "cord signal change",
        {"region": "cervical", "signs": {"cord_signal_change"}},
        "myelopathy",
    ),
    ("a sensory level in any region", {"signs": {"sensory_level"}}, "myelopathy"),
    (
        "new hand clumsiness in the neck",
        {"region": "cervical", "findings": {"hand_clumsiness"}},
        "myelopathy",
    ),
    (
        "any epidural collection, a haematoma included",
        {"findings": {"mri_epidural_collection"}},
        "infection",
    ),
    (
        "a suggested epidural collection",
        {
            "findings": {"mri_epidural_collection"},
            "uncertain_findings": frozenset({"mri_epidural_collection"}),
        },
        "infection",
    ),
    (
        "wound redness stated",
        {"findings": {"wound_erythema"}},
        "infection",
    ),
    (
        "raised CRP at three weeks after a discectomy",
        {"findings": {"crp_elevated"}, "days_since_surgery": 21, "index_procedure": "discectomy"},
        "infection",
    ),
    (
        "weak legs after a thoracic operation above the conus",
        {
            "region": "thoracic",
            "index_levels": ("T7-T8",),
            "findings": {"bilateral_limb_symptoms", "new_weakness"},
        },
        "myelopathy",
    ),
    (
        "a fall read from a report with new pain after it",
        {"findings": {"falls"}, "case_findings": frozenset(), "signs": {"new_pain"}},
        "fracture",
    ),
    (
        "a trauma read from a report with new pain after it",
        {
            "findings": {"significant_trauma"},
            "case_findings": frozenset(),
            "signs": {"new_pain"},
        },
        "fracture",
    ),
    (
        "hyperreflexia stated unchanged, with another cord sign",
        {
            "region": "cervical",
            "findings": {"hyperreflexia", "hand_clumsiness", "gait_disturbance"},
            "signs": {"stable_cord_signs"},
        },
        "myelopathy",
    ),
]


@pytest.mark.parametrize(("facts", "flag"), [r[1:] for r in RAISED], ids=[r[0] for r in RAISED])
def test_the_criteria_raise_the_flag(
    make_facts: FactsBuilder, facts: dict[str, Any], flag: str
) -> None:
    assert flag in flags(make_facts(**facts))


QUIET: list[tuple[str, dict[str, Any], str]] = [
    (
        "sphincter signs in the neck are cord signs",
        {"region": "cervical", "findings": {"urinary_retention"}},
        "cauda_equina",
    ),
    ("new weakness alone", {"findings": {"new_weakness"}}, "progressive_neurological_deficit"),
    ("neck swelling after lumbar surgery", {"findings": {"neck_swelling"}}, "airway_compromise"),
    ("dysphagia alone", {"region": "cervical", "findings": {"dysphagia"}}, "airway_compromise"),
    ("one raised marker", {"findings": {"crp_elevated"}}, "infection"),
    ("night sweats alone", {"findings": {"night_sweats"}}, "infection"),
    ("gait and falls in a lumbar case", {"findings": {"gait_disturbance", "falls"}}, "myelopathy"),
    (
        "one gait sign in the neck",
        {"region": "cervical", "findings": {"gait_disturbance"}},
        "myelopathy",
    ),
    (
        "hand clumsiness said to be improving since surgery",
        {"region": "cervical", "findings": {"hand_clumsiness"}, "signs": {"stable_cord_signs"}},
        "myelopathy",
    ),
    (
        "hand clumsiness after lumbar surgery",
        {"region": "lumbar", "findings": {"hand_clumsiness"}},
        "myelopathy",
    ),
    (
        "wound redness only suggested",
        {"findings": {"wound_erythema"}, "uncertain_findings": frozenset({"wound_erythema"})},
        "infection",
    ),
    (
        "weak legs after a thoracic fusion reaching the conus",
        {
            "region": "thoracic",
            "index_levels": ("T11-T12", "T12-L1"),
            "findings": {"bilateral_limb_symptoms", "new_weakness"},
        },
        "myelopathy",
    ),
    (
        "raised CRP at three weeks after a fusion is still the early curve",
        {"findings": {"crp_elevated"}, "days_since_surgery": 21, "index_procedure": "fusion"},
        "infection",
    ),
    (
        "raised CRP at ten days after a discectomy is still the early curve",
        {"findings": {"crp_elevated"}, "days_since_surgery": 10, "index_procedure": "discectomy"},
        "infection",
    ),
    (
        "a collection evacuated the day after surgery was the operation's blood",
        {
            "findings": {"mri_epidural_collection"},
            "signs": {"collection_evacuated"},
            "days_since_surgery": 1,
        },
        "infection",
    ),
    (
        "a fall with no pain after it",
        {"findings": {"falls"}, "case_findings": frozenset()},
        "fracture",
    ),
    (
        "broken hardware without a deficit",
        {"findings": {"hardware_breakage", "dermatomal_numbness"}},
        "hardware_failure_with_deficit",
    ),
    ("past cancer alone", {"findings": {"history_of_cancer"}}, "malignancy"),
    (
        "raised ESR at four weeks is still the early curve",
        {"findings": {"esr_elevated"}, "days_since_surgery": 30},
        "infection",
    ),
    (
        "raised ESR alone at six months in a well patient",
        {"findings": {"esr_elevated"}, "days_since_surgery": 180},
        "infection",
    ),
    ("night pain without cancer", {"findings": {"night_pain"}}, "malignancy"),
    ("new falls are not trauma", {"findings": {"falls"}}, "fracture"),
    (
        "a trauma read from a report without pain after it",
        {"findings": {"significant_trauma"}, "case_findings": frozenset()},
        "fracture",
    ),
    (
        "a trauma after which imaging showed no fracture",
        {"findings": {"significant_trauma"}, "signs": {"fracture_excluded"}},
        "fracture",
    ),
    (
        "hyperreflexia stated unchanged since before surgery",
        {"findings": {"hyperreflexia"}, "signs": {"stable_cord_signs"}},
        "myelopathy",
    ),
    (
        "weight loss put down to a named cause",
        {"findings": {"unexplained_weight_loss"}, "signs": {"weight_loss_explained"}},
        "malignancy",
    ),
    (
        "night sweats long after surgery",
        {"findings": {"night_sweats"}, "days_since_surgery": 400},
        "infection",
    ),
    (
        "a haematoma without compression is not cauda equina",
        {"findings": {"mri_epidural_collection"}},
        "cauda_equina",
    ),
    (
        "a disc compressing the sac is not cauda equina",
        {"findings": {"mri_disc_material"}, "signs": {"thecal_sac_compression"}},
        "cauda_equina",
    ),
    (
        "cord compression alone on imaging",
        {"region": "cervical", "signs": {"cord_compression"}},
        "myelopathy",
    ),
    (
        "an abscess compressing the cord is infection, not myelopathy",
        {
            "region": "thoracic",
            "findings": {"mri_epidural_collection"},
            "signs": {"cord_compression", "infected_collection"},
        },
        "myelopathy",
    ),
    (
        "bowel dysfunction with anal tone and saddle sensation normal",
        {"findings": {"bowel_dysfunction"}, "signs": {"sacral_function_normal"}},
        "cauda_equina",
    ),
    (
        "reduced anal tone in the neck is the cord's, not cauda equina",
        {"region": "cervical", "signs": {"anal_tone_reduced"}},
        "cauda_equina",
    ),
    (
        "thoracic retention with a sensory level is the cord",
        {"region": "thoracic", "findings": {"urinary_retention"}, "signs": {"sensory_level"}},
        "cauda_equina",
    ),
]


@pytest.mark.parametrize(("facts", "flag"), [q[1:] for q in QUIET], ids=[q[0] for q in QUIET])
def test_near_misses_do_not_raise_the_flag(
    make_facts: FactsBuilder, facts: dict[str, Any], flag: str
) -> None:
    assert flag not in flags(make_facts(**facts))


def test_a_case_without_warning_signs_raises_nothing(make_facts: FactsBuilder) -> None:
    findings = {
        "mechanical_pain",
        "smoker",
        "diabetes",
        "ct_no_bridging_bone",
        "psychological_distress",
    }
    assert flags(make_facts(findings=findings)) == []


def test_a_sign_is_named_as_evidence(make_facts: FactsBuilder) -> None:
    rules = checked_rules()
    facts = make_facts(region="cervical", signs=frozenset({"cord_signal_change"}))
    (myelopathy,) = raised_red_flags(rules.red_flags, rules.vocabulary.urgencies, facts)
    from spinetrack.domain.reports.signs import sign_evidence

    [evidence] = myelopathy.evidence
    assert evidence == sign_evidence("cord_signal_change")
    assert evidence.startswith("report: ") and "spinal cord" in evidence


def test_emergencies_come_before_urgent_flags(make_facts: FactsBuilder) -> None:
    raised = flags(make_facts(findings={"fever", "significant_trauma", "urinary_retention"}))
    assert raised == ["cauda_equina", "infection", "fracture"]


def test_the_evidence_lists_the_findings_that_raised_the_flag(make_case: CaseBuilder) -> None:
    case = make_case(
        findings=["smoker", "crp_elevated", "fever", "esr_elevated", "mechanical_pain"]
    )
    (infection,) = assess(case).red_flags
    assert infection.id == "infection" and infection.urgency == "urgent"
    assert infection.evidence == ["fever", "crp_elevated", "esr_elevated"]
    assert infection.action.startswith("Urgent") and infection.sources


def test_every_vocabulary_red_flag_has_a_rule_with_an_action_and_sources() -> None:
    rules = checked_rules()
    assert {f.id for f in rules.red_flags.red_flags} == set(rules.vocabulary.red_flags)
    for flag in rules.red_flags.red_flags:
        assert flag.action and flag.sources
