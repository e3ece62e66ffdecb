"""Limb pain placed by its roots, now against before the operation."""

import copy
from typing import Any

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import load_yaml
from spinetrack.domain.reports import read_mentions
from spinetrack.domain.reports.case_levels import case_levels
from spinetrack.domain.reports.distribution import (
    DERMATOMES_FILE,
    parse_dermatomes,
    read_distribution,
    segment_roots,
)

L45, L5S1, C56 = (23, 24), (24, 25), (5, 6)


def _read(text: str, *operated: tuple[int, int]) -> set[str]:
    return {finding for finding, _, _ in read_distribution([(0, text)], frozenset(operated))}


def _statuses(text: str, finding: str, procedure: str = "", *levels: str) -> set[str]:
    case = case_levels([(procedure, list(levels))])
    return {m.status for m in read_mentions([text], case) if m.id == finding}


def test_pain_in_another_root_than_before_the_operation_is_a_new_distribution() -> None:
    assert _read(
        "New pain along the front of the shin to the big toe. Original S1 sciatica gone."
    ) == {"new_distribution_radicular"}
    assert _read(
        "New pain in the left arm to the little finger, whereas her pre-operative symptoms were C7."
    ) == {"new_distribution_radicular"}
    assert _read("Now pain down the front of the thigh, pre-op it was the S1 distribution.") == {
        "new_distribution_radicular"
    }


def test_a_report_that_tells_a_new_distribution_tells_no_same_one() -> None:
    report = "Pain now down the front of the thigh. Some calf pain persists. Pre-op it was S1."
    assert _read(report) == {"new_distribution_radicular"}


def test_pain_in_the_root_it_was_in_before_is_the_same_distribution() -> None:
    assert _read("Pain in the calf and sole; pre-op it was the S1 distribution.") == {
        "same_distribution_radicular"
    }
    assert _read("S1 pain never resolved post-op.") == {"same_distribution_radicular"}


def test_the_operated_level_stands_for_the_roots_before_when_the_report_names_none() -> None:
    assert _read("Her symptoms are L3 in distribution.", L45) == {"new_distribution_radicular"}
    assert _read("Pain down the shin to the big toe.", L45) == set()
    assert _read("Sciatica down the front of the thigh.", L5S1) == {"new_distribution_radicular"}
    assert _read("Sciatica down the front of the thigh.") == set()


def test_against_the_operated_level_only_pain_that_follows_a_root_is_placed() -> None:
    assert _read("Pain and swelling of the calf; Doppler: DVT.", L45) == set()
    assert _read("Burning band-like pain around the chest at T7.", (15, 16)) == set()


def test_a_clause_that_denies_the_old_distribution_places_nothing_before() -> None:
    report = (
        "Complete relief of S1 pain. She has developed anterior thigh pain to the knee - an L3/L4 "
        "distribution, not the original one."
    )
    assert _read(report) == {"new_distribution_radicular"}


def test_negation_reads_the_pain_word_as_any_term() -> None:
    report = "No pain down the front of the thigh. Pre-op it was the S1 distribution."
    assert _statuses(report, "new_distribution_radicular") == {"negated"}


def test_segments_reach_their_roots() -> None:
    assert segment_roots(frozenset({L45})) == {"L4", "L5"}
    assert segment_roots(frozenset({C56})) == {"C6"}
    assert segment_roots(frozenset({(10, 11)})) == frozenset()


def test_words_that_do_not_compile_are_a_load_error() -> None:
    data: Any = copy.deepcopy(load_yaml(DERMATOMES_FILE))
    data["places"][0]["words"] = "(unclosed"
    with pytest.raises(KnowledgeError):
        parse_dermatomes(data)


def test_in_a_wrong_level_report_the_level_meant_stands_for_the_roots_before() -> None:
    def meant(text: str, *segments: tuple[int, int]) -> set[str]:
        found = read_distribution([(0, text)], meant=frozenset(segments))
        return {finding for finding, _, _ in found}

    assert meant("Ongoing L5 radicular pain.", L45) == {"same_distribution_radicular"}
    assert meant("Ongoing L3 radicular pain.", L45) == set()
    assert meant("Pain down the shin.", L45) == set()  # placed by no root word


def test_pain_back_again_or_told_like_before_is_the_same_distribution() -> None:
    assert _read("Pain along the outer border of the foot has come back.") == {
        "same_distribution_radicular"
    }
    assert _read("L5 pain, ?recurrence.") == set()  # a question, not a recurrence told


def test_a_relative_clause_dates_the_pain_it_hangs_on() -> None:
    assert _read("His L5 leg pain, which he had before the operation, has returned.") == {
        "same_distribution_radicular"
    }
    assert _read("Pain now reaches the little finger, which it never did before surgery.") == set()


def test_claudicant_pain_is_placed_by_no_root() -> None:
    assert _read("Calf pain on walking 200 metres, like before the operation.") == set()
