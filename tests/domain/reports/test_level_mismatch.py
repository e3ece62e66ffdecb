"""Wrong-level surgery read by comparing the level operated with the level seen or symptomatic."""

import copy
from typing import Any

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import load_yaml
from spinetrack.domain.reports import find_in_reports, read_mentions
from spinetrack.domain.reports.case_levels import case_levels
from spinetrack.domain.reports.level_mismatch import (
    MISMATCH_FILE,
    parse_level_mismatch,
    read_mismatch,
)
from spinetrack.domain.reports.levels import level_mentions

L34, L45 = (22, 23), (23, 24)


def _read(text: str, *intended: tuple[int, int]) -> list[str]:
    found = read_mismatch([(0, text, level_mentions(text))], frozenset(intended))
    return [text[start:end] for start, end in found]


def _statuses(text: str, procedure: str, *levels: str) -> set[str]:
    case = case_levels([(procedure, list(levels))])
    return {m.status for m in read_mentions([text], case) if m.id == "wrong_level_operated"}


def test_an_operation_seen_at_another_level_than_the_one_operated_is_wrong_level() -> None:
    assert _read("The laminotomy defect is at L3-4.", L45) == ["L3-4"]
    assert _read("Decompression was performed at L3/4; L4/5 untouched.", L45) == ["L3/4"]
    assert _read("Surgery appears to have been at L3-4.", L45) == ["L3-4"]
    assert _read("L3/4 was decompressed.", L45) == ["L3/4"]


def test_an_operation_seen_at_the_operated_level_is_not() -> None:
    assert _read("The laminotomy defect is at L4-5 with granulation tissue.", L45) == []
    assert _read("Post-operative changes at L3-4 and L4-5.", L34, L45) == []


def test_symptoms_placed_at_a_level_nobody_operated_are_wrong_level() -> None:
    report = "The operated level is L4/5, while her symptoms point to an L5/S1 disc."
    assert _read(report, L45) == ["L5/S1", "L4/5"]
    assert _read("The symptomatic level was L4/5.", L45) == []


def test_nothing_is_read_without_an_operated_level() -> None:
    assert _read("The laminotomy defect is at L3-4.") == []


def test_the_report_itself_can_name_the_level_meant() -> None:
    report = (
        "Operation notes state L4-5 left discectomy. Findings: the laminotomy defect is at L3-4."
    )
    assert "wrong_level_operated" in {m.id for m in find_in_reports([report])}


def test_hedges_and_negation_read_the_level_as_any_term() -> None:
    hedged = "On review the upper decompression may have been at L2/3 rather than L3/4."
    assert _statuses(hedged, "laminectomy", "L3-L4", "L4-L5") == {"uncertain"}
    assert _statuses("Decompression was performed at L3/4.", "laminectomy", "L4-L5") == {"affirmed"}


def test_words_that_do_not_compile_are_a_load_error() -> None:
    data: Any = copy.deepcopy(load_yaml(MISMATCH_FILE))
    data["done_at_words"] = "(unclosed"
    with pytest.raises(KnowledgeError):
        parse_level_mismatch(data)


def test_a_symptomatic_level_set_against_the_level_seen_operated_needs_no_record() -> None:
    report = "The symptomatic level was L3/4 but L4/5 was decompressed."
    assert _read(report) == ["L3/4", "L4/5"]
    assert _read("L4/5 was decompressed.") == []


def test_an_operation_dated_to_another_time_is_not_the_one_followed_up() -> None:
    report = "Post-operative changes at L3/4 from the 2015 decompression."
    assert _read(report, L45) == []
