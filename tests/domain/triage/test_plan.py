"""Work-up: decisive tests first, each naming the causes it tests. Treatments: leading causes only,
conservative first, and only where they fit."""

from collections.abc import Callable
from typing import Any

from spinetrack.domain.triage import assess
from spinetrack.domain.triage.facts import Facts
from spinetrack.domain.triage.plan import assemble_treatments, assemble_workup, cause_workup
from spinetrack.domain.triage.rules_check import checked_rules

CaseBuilder = Callable[..., dict[str, Any]]
FactsBuilder = Callable[..., Facts]


def test_work_up_puts_decisive_tests_first_then_follows_the_ranking() -> None:
    items = assemble_workup(checked_rules().workup, ["pseudarthrosis", "infection"])
    assert [i.id for i in items] == [
        "ct_fine_cut",
        "mri_with_gadolinium",
        "disc_biopsy",
        "flexion_extension_xray",
        "inflammatory_markers",
        "blood_cultures",
    ]
    shared = next(i for i in items if i.id == "inflammatory_markers")
    assert shared.for_ == ["pseudarthrosis", "infection"]
    assert len(shared.sources) == len(set(shared.sources)) >= 2


def test_work_up_of_one_cause_keeps_its_own_order() -> None:
    assert cause_workup(checked_rules().workup, "pseudarthrosis") == [
        "ct_fine_cut",
        "flexion_extension_xray",
        "inflammatory_markers",
    ]
    assert cause_workup(checked_rules().workup, "not_a_cause") == []


def test_work_up_covers_exactly_the_listed_causes(make_case: CaseBuilder) -> None:
    assessment = assess(make_case(findings=["ct_no_bridging_bone", "psychological_distress"]))
    listed = {c.id for c in assessment.causes}
    tested = {cause for item in assessment.workup for cause in item.for_}
    assert tested == listed
    assert {t for c in assessment.causes for t in c.workup} == {i.id for i in assessment.workup}


def test_treatments_fit_only_the_three_leading_causes(make_facts: FactsBuilder) -> None:
    ranked = ["pseudarthrosis", "implant_failure", "infection", "psychosocial_factors"]
    options = assemble_treatments(checked_rules().treatments, ranked, make_facts())
    fitted = {cause for option in options for cause in option.for_}
    assert fitted == {"pseudarthrosis", "implant_failure", "infection"}


def test_treatments_go_from_conservative_to_surgical(make_facts: FactsBuilder) -> None:
    ranked = ["recurrent_disc_herniation", "stenosis"]
    options = assemble_treatments(checked_rules().treatments, ranked, make_facts())
    assert [o.step for o in options] == sorted(o.step for o in options)
    therapy = next(o for o in options if o.id == "physical_therapy")
    assert therapy.for_ == ["recurrent_disc_herniation", "stenosis"] and therapy.step == 1


def test_disc_replacement_is_offered_for_adjacent_disease_in_the_neck_only(
    make_facts: FactsBuilder,
) -> None:
    rules = checked_rules().treatments

    def ids(**facts: Any) -> list[str]:
        options = assemble_treatments(rules, ["adjacent_segment_disease"], make_facts(**facts))
        return [o.id for o in options]

    assert "disc_replacement" in ids(region="cervical")
    assert "disc_replacement" not in ids(region="lumbar")
    assert "epidural_steroid_injection" not in ids()
    assert "epidural_steroid_injection" in ids(findings={"new_distribution_radicular"})


def test_no_cause_means_no_work_up_and_no_options(make_case: CaseBuilder) -> None:
    assessment = assess(make_case(findings=["smoker"]))
    assert assessment.causes == [] and assessment.workup == [] and assessment.treatments == []
