"""Each condition type of the rule vocabulary holds exactly when its docstring says it does."""

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from spinetrack.domain.triage.conditions import CONDITION_TYPES, Condition
from spinetrack.domain.triage.facts import Facts

FactsBuilder = Callable[..., Facts]

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


def cond(data: dict[str, Any]) -> Condition:
    return CONDITION.validate_python(data)


def finding(id_: str) -> dict[str, str]:
    return {"type": "finding", "id": id_}


def test_a_finding_holds_only_when_the_case_lists_it(make_facts: FactsBuilder) -> None:
    rule = cond(finding("smoker"))
    assert rule.holds(make_facts(findings={"smoker"}))
    assert not rule.holds(make_facts(findings={"diabetes"}))
    assert rule.supporting_findings(make_facts(findings={"smoker"})) == ["smoker"]


def test_a_listed_finding_holds_only_when_the_case_itself_lists_it(
    make_facts: FactsBuilder,
) -> None:
    rule = cond({"type": "finding", "id": "smoker", "listed": True})
    read_from_a_report = make_facts(findings={"smoker"}, case_findings=frozenset())
    listed = make_facts(findings={"smoker"}, case_findings=frozenset({"smoker"}))
    assert not rule.holds(read_from_a_report)
    assert rule.supporting_findings(read_from_a_report) == []
    assert rule.holds(listed)
    assert cond(finding("smoker")).holds(read_from_a_report)


def test_a_sign_holds_only_when_the_reports_state_it(make_facts: FactsBuilder) -> None:
    rule = cond({"type": "sign", "id": "sensory_level"})
    assert rule.holds(make_facts(signs={"sensory_level"}))
    assert not rule.holds(make_facts(findings={"hyperreflexia"}))
    [named] = rule.supporting_findings(make_facts(signs={"sensory_level"}))
    assert named.startswith("report: ") and "sensory_level" not in named
    assert list(rule.references()) == []


def test_an_unknown_course_never_matches(make_facts: FactsBuilder) -> None:
    rule = cond({"type": "course", "one_of": ["never_improved", "improving"]})
    assert rule.holds(make_facts(course="improving"))
    assert not rule.holds(make_facts(course="gradual_worsening"))
    assert not rule.holds(make_facts(course=None))


def test_procedure_reads_the_index_surgery_unless_told_any(make_facts: FactsBuilder) -> None:
    facts = make_facts(index_procedure="discectomy", procedures={"fusion", "discectomy"})
    assert not cond({"type": "procedure", "one_of": ["fusion"]}).holds(facts)
    assert cond({"type": "procedure", "one_of": ["fusion"], "surgery": "any"}).holds(facts)


def test_instrumented_region_and_level(make_facts: FactsBuilder) -> None:
    assert cond({"type": "instrumented"}).holds(make_facts())
    assert not cond({"type": "instrumented"}).holds(make_facts(index_instrumented=False))
    assert cond({"type": "region", "one_of": ["cervical", "lumbar"]}).holds(make_facts())
    assert not cond({"type": "region", "one_of": ["cervical"]}).holds(make_facts())
    to_sacrum = cond({"type": "level", "vertebra": "S1"})
    assert to_sacrum.holds(make_facts(index_levels=("L4-L5", "L5-S1")))
    assert not to_sacrum.holds(make_facts(index_levels=("L4-L5",)))
    assert not to_sacrum.holds(make_facts(index_levels=()))


@pytest.mark.parametrize(
    ("axial", "limb", "axial_leads", "limb_leads"),
    [(7, 3, True, False), (2, 8, False, True), (5, 5, False, False), (None, 4, False, False)],
)
def test_pain_pattern_needs_one_score_clearly_higher(
    make_facts: FactsBuilder,
    axial: int | None,
    limb: int | None,
    axial_leads: bool,
    limb_leads: bool,
) -> None:
    facts = make_facts(axial_pain=axial, limb_pain=limb)
    assert cond({"type": "pain_pattern", "predominant": "axial"}).holds(facts) is axial_leads
    assert cond({"type": "pain_pattern", "predominant": "limb"}).holds(facts) is limb_leads


def test_pain_score_reads_the_named_site(make_facts: FactsBuilder) -> None:
    rule = cond({"type": "pain_score", "site": "axial", "at_least": 5})
    assert rule.holds(make_facts(axial_pain=5, limb_pain=0))
    assert not rule.holds(make_facts(axial_pain=4, limb_pain=9))
    assert not rule.holds(make_facts(axial_pain=None))


def test_age_is_false_when_unknown(make_facts: FactsBuilder) -> None:
    rule = cond({"type": "age", "at_least": 55})
    assert rule.holds(make_facts(age=55))
    assert not rule.holds(make_facts(age=54))
    assert not rule.holds(make_facts(age=None))


def test_ranges_are_half_open(make_facts: FactsBuilder) -> None:
    window = cond({"type": "days_since_surgery", "at_least": 7, "below": 92})
    assert not window.holds(make_facts(days_since_surgery=6))
    assert window.holds(make_facts(days_since_surgery=7))
    assert window.holds(make_facts(days_since_surgery=91))
    assert not window.holds(make_facts(days_since_surgery=92))


def test_months_compare_on_the_reported_one_decimal_value(make_facts: FactsBuilder) -> None:
    six_months = cond({"type": "months_since_surgery", "at_least": 6})
    # 182 days = 5.98 months, reported as 6.0: the rule and the number shown agree.
    assert six_months.holds(make_facts(days_since_surgery=182))
    assert not six_months.holds(make_facts(days_since_surgery=181))


def test_pain_free_interval_without_bounds_asks_whether_it_is_known(
    make_facts: FactsBuilder,
) -> None:
    known = cond({"type": "pain_free_interval_days"})
    assert known.holds(make_facts(pain_free_interval_days=0))
    assert not known.holds(make_facts(pain_free_interval_days=None))
    unknown = cond({"type": "not", "of": {"type": "pain_free_interval_days"}})
    assert unknown.holds(make_facts(pain_free_interval_days=None))
    more_than_six_months = cond({"type": "pain_free_interval_days", "at_least": 183})
    assert more_than_six_months.holds(make_facts(pain_free_interval_days=183))
    assert not more_than_six_months.holds(make_facts(pain_free_interval_days=182))


def test_compound_conditions(make_facts: FactsBuilder) -> None:
    facts = make_facts(findings={"fever", "crp_elevated"})
    parts = [finding("fever"), finding("crp_elevated"), finding("esr_elevated")]
    assert not cond({"type": "all_of", "of": parts}).holds(facts)
    assert cond({"type": "all_of", "of": parts[:2]}).holds(facts)
    assert cond({"type": "any_of", "of": parts[1:]}).holds(facts)
    assert cond({"type": "at_least", "n": 2, "of": parts}).holds(facts)
    assert not cond({"type": "at_least", "n": 3, "of": parts}).holds(facts)
    assert not cond({"type": "not", "of": finding("fever")}).holds(facts)


def test_supporting_findings_come_only_from_parts_that_hold(make_facts: FactsBuilder) -> None:
    facts = make_facts(findings={"fever", "wound_drainage"})
    rule = cond(
        {
            "type": "any_of",
            "of": [
                finding("wound_drainage"),
                {"type": "all_of", "of": [finding("fever"), finding("crp_elevated")]},
                {"type": "not", "of": finding("crp_elevated")},
            ],
        }
    )
    assert rule.supporting_findings(facts) == ["wound_drainage"]


def test_references_name_the_vocabulary_section_of_each_id() -> None:
    rule = cond(
        {
            "type": "all_of",
            "of": [
                finding("smoker"),
                {"type": "course", "one_of": ["improving"]},
                {"type": "procedure", "one_of": ["fusion"]},
                {"type": "not", "of": {"type": "region", "one_of": ["cervical"]}},
            ],
        }
    )
    assert sorted(rule.references()) == [
        ("courses", "improving"),
        ("findings", "smoker"),
        ("procedures", "fusion"),
        ("regions", "cervical"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"type": "findng", "id": "smoker"},
        {"type": "finding", "ident": "smoker"},
        {"type": "months_since_surgery"},
        {"type": "months_since_surgery", "at_least": 24, "below": 6},
        {"type": "at_least", "n": 0, "of": [{"type": "finding", "id": "smoker"}]},
        {"type": "any_of", "of": []},
        {"type": "level", "vertebra": "sacrum"},
        {"type": "pain_pattern", "predominant": "leg"},
        {"type": "sign", "id": "smoker"},
    ],
)
def test_a_misspelt_or_impossible_condition_does_not_load(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        cond(data)


def test_every_condition_type_documents_itself() -> None:
    for kind in CONDITION_TYPES:
        assert kind.__doc__ and len(kind.__doc__.split()) >= 5, kind.__name__
