"""PSPS-2 status follows the contract: 91 days, persisting pain, improving with low scores."""

from collections.abc import Callable
from typing import Any

import pytest

from spinetrack.domain.triage import assess
from spinetrack.domain.triage.facts import Facts
from spinetrack.domain.triage.psps2 import psps2_status
from spinetrack.domain.triage.rules_check import checked_rules

CaseBuilder = Callable[..., dict[str, Any]]
FactsBuilder = Callable[..., Facts]


def status(facts: Facts) -> str:
    return psps2_status(checked_rules().psps2, facts).status


def test_the_threshold_is_91_days() -> None:
    assert checked_rules().psps2.chronic_from_days == 91


@pytest.mark.parametrize(
    ("days", "expected"), [(0, "too_early"), (90, "too_early"), (91, "met"), (92, "met")]
)
def test_pain_is_chronic_from_day_91(make_facts: FactsBuilder, days: int, expected: str) -> None:
    assert status(make_facts(days_since_surgery=days, axial_pain=6, limb_pain=4)) == expected


def test_the_edge_holds_through_the_whole_engine(make_case: CaseBuilder) -> None:
    assert assess(make_case(days=90)).psps2.status == "too_early"
    assert assess(make_case(days=91)).psps2.status == "met"


def test_no_pain_reported_is_not_met(make_facts: FactsBuilder) -> None:
    assert status(make_facts(axial_pain=0, limb_pain=0)) == "not_met"
    assert status(make_facts(axial_pain=0, limb_pain=None)) == "not_met"


@pytest.mark.parametrize(
    ("axial", "limb", "expected"),
    [
        (3, 3, "not_met"),
        (0, 2, "not_met"),
        (4, 1, "met"),
        (3, None, "not_met"),
        (None, None, "met"),
    ],
)
def test_improving_with_both_scores_at_most_3_is_not_met(
    make_facts: FactsBuilder, axial: int | None, limb: int | None, expected: str
) -> None:
    facts = make_facts(course="improving", axial_pain=axial, limb_pain=limb)
    assert status(facts) == expected


def test_low_pain_that_is_not_improving_still_persists(make_facts: FactsBuilder) -> None:
    assert status(make_facts(course="gradual_worsening", axial_pain=2, limb_pain=2)) == "met"


def test_without_pain_scores_the_pain_is_taken_to_persist(make_facts: FactsBuilder) -> None:
    assert status(make_facts(axial_pain=None, limb_pain=None)) == "met"


def test_too_early_comes_before_not_met(make_facts: FactsBuilder) -> None:
    assert status(make_facts(days_since_surgery=30, axial_pain=0, limb_pain=0)) == "too_early"


def test_the_basis_gives_days_months_and_the_criterion(make_facts: FactsBuilder) -> None:
    result = psps2_status(checked_rules().psps2, make_facts(days_since_surgery=466))
    assert "466 days (15.3 months)" in result.basis
    assert "91 days" in result.basis and "MG30.21" in result.basis
    assert result.sources
