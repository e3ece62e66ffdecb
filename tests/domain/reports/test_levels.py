"""Level arithmetic: stenosis and degeneration placed by their level against the operated one."""

import copy
from typing import Any

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import load_yaml
from spinetrack.domain.reports import find_in_reports, read_mentions
from spinetrack.domain.reports.case_levels import case_levels
from spinetrack.domain.reports.levels import (
    LEVELS_FILE,
    level_mentions,
    parse_level_positions,
    read_levels,
)
from spinetrack.domain.triage.extraction import extract_findings


def _found(text: str) -> set[str]:
    return {m.id for m in find_in_reports([text])}


def test_levels_are_read_as_the_motion_segments_they_span() -> None:
    [c46, l5s1, t12l1] = level_mentions("C4-6 ACDF; L5/S1 disc; T12 to L1 fixation")
    assert c46.segments == {(4, 5), (5, 6)}
    assert l5s1.segments == {(24, 25)}
    assert t12l1.segments == {(19, 20)}
    assert level_mentions("L9-L10 and 12/5") == []


def test_stenosis_at_the_level_next_to_a_fusion_is_adjacent_level_stenosis() -> None:
    report = (
        "L4-L5 fusion with artefact. At L3-L4 there is a disc bulge with severe canal stenosis."
    )
    assert {"adjacent_level_stenosis", "adjacent_level_degeneration"} <= _found(report)


def test_stenosis_at_a_decompressed_level_is_operated_level_stenosis() -> None:
    report = (
        "Previous right C5-6 and C6-7 foraminotomies. Persistent severe C6-7 foraminal stenosis."
    )
    assert _found(report) == {"operated_level_stenosis"}


def test_a_level_next_to_a_decompression_only_is_not_adjacent() -> None:
    report = "L4-5 laminectomy. L3-4 shows moderate canal stenosis."
    assert _found(report) == set()


def test_a_level_written_beside_a_position_word_is_not_the_operated_one() -> None:
    report = "The segment immediately below the fusion (L5/S1) has foraminal narrowing."
    assert read_levels([(0, report)]) == []


def test_negation_applies_to_a_finding_placed_by_level() -> None:
    report = "Dynamic stabilisation device L4-5. L5-S1 disc desiccated but no stenosis."
    statuses = {(m.id, m.status) for m in read_mentions([report])}
    assert ("adjacent_level_stenosis", "negated") in statuses
    assert ("adjacent_level_degeneration", "affirmed") in statuses


def test_an_unknown_finding_is_a_load_error() -> None:
    data: Any = copy.deepcopy(load_yaml(LEVELS_FILE))
    data["findings"][0]["finding"] = "no_such_finding"
    with pytest.raises(KnowledgeError):
        parse_level_positions(data)


def test_what_a_report_says_of_a_level_it_called_adjacent_is_adjacent() -> None:
    report = "C3/4 adjacent segment: disc protrusion with canal stenosis. C3/4 disc desiccated."
    assert "adjacent_level_degeneration" in _found(report)
    report = "The segment below the fusion (L5/S1) has a disc protrusion. L5/S1 disc is dark."
    assert "adjacent_level_degeneration" in _found(report)
    assert "adjacent_level_degeneration" not in _found("C3/4 disc desiccated.")


def test_a_disc_herniation_is_placed_by_its_level_too() -> None:
    assert _found("New L3/4 disc protrusion; L4/5 TLIF in situ.") == {"adjacent_level_stenosis"}
    report = "Right L5/S1 hemilaminotomy. Recurrent L5/S1 paracentral extrusion. "
    assert "mri_disc_material" in _found(report + "The L5/S1 extrusion compresses the S1 root.")


def test_a_level_after_a_clause_break_does_not_belong_to_the_word_before_it() -> None:
    assert "mri_disc_material" not in _found("New L3/4 disc protrusion; L4/5 TLIF in situ.")


def _found_in_case(text: str, procedure: str, *levels: str) -> set[str]:
    return {m.id for m in find_in_reports([text], case_levels([(procedure, list(levels))]))}


def test_the_case_record_names_the_operated_level_a_report_leaves_out() -> None:
    report = "At L3-L4 there is a disc bulge with severe canal stenosis."
    assert _found(report) == set()
    found = _found_in_case(report, "fusion", "L4-L5")
    assert {"adjacent_level_stenosis", "adjacent_level_degeneration"} <= found
    assert _found_in_case("Recurrent canal stenosis at L4/5.", "laminectomy", "L4-L5") == {
        "operated_level_stenosis"
    }


def test_a_level_next_to_a_recorded_decompression_is_not_adjacent() -> None:
    assert _found_in_case("L3-4 shows moderate canal stenosis.", "laminectomy", "L4-L5") == set()
    assert (
        _found_in_case("L3-4 shows moderate canal stenosis.", "dynamic_stabilization", "L4-L5")
        == set()
    )


def test_the_reason_for_the_recorded_operation_is_not_a_finding_after_it() -> None:
    assert (
        _found_in_case("Summary: laminectomy for L4/5 stenosis.", "laminectomy", "L4-L5") == set()
    )
    report = "Indication: neurogenic claudication at L3-4 with\nmoderate stenosis."
    assert "operated_level_stenosis" not in _found_in_case(report, "decompression", "L3-L4")


def test_a_recorded_level_the_report_says_was_not_operated_places_nothing() -> None:
    report = (
        "The laminotomy defect is at L3-4. At L4-5 a left paracentral extrusion is present, "
        "unchanged from the pre-operative study."
    )
    found = _found_in_case(report, "discectomy", "L4-L5")
    assert "wrong_level_operated" in found
    assert "mri_disc_material" not in found


def test_the_level_meant_is_no_operated_level_when_the_report_names_the_operation() -> None:
    # tune16i: the report itself writes the intended level beside an operation word ("Operation
    # notes state L4-5 left discectomy", "after L4/L5 discectomy"); once it shows the operation
    # was elsewhere, the untreated disc there is not disc material at an operated level
    report = (
        "Clinical: persistent left sciatica after L4/L5 discectomy. Laminotomy defect is at "
        "L3/L4 on the left. The L4/L5 disc herniation with left L5 root compression is "
        "unchanged. Impression: the operated level appears to be L3/L4, not the symptomatic "
        "L4/L5 level."
    )
    found = _found_in_case(report, "discectomy", "L4-L5")
    assert "wrong_level_operated" in found
    assert "mri_disc_material" not in found


def test_a_finding_at_a_level_left_alone_is_not_at_the_operated_level() -> None:
    report = "L4-5 discectomy. Recurrent L4-5 extrusion with L4-5 foraminal stenosis."
    assert {r.finding for r in read_levels([(0, report)])} == {
        "mri_disc_material",
        "operated_level_stenosis",
    }
    assert read_levels([(0, report)], not_operated=frozenset({(23, 24)})) == []


def test_case_levels_keep_fused_and_operated_segments_apart() -> None:
    levels = case_levels([("fusion", ["L4-L5"]), ("discectomy", ["L5-S1"]), ("fusion", ["bad"])])
    assert levels.fused == {(23, 24)}
    assert levels.operated == {(23, 24), (24, 25)}
    assert not case_levels([])


def test_triage_hands_the_reader_the_case_s_operated_levels() -> None:
    report = "At L3-L4 there is a disc bulge with severe canal stenosis."
    assert extract_findings([report]).extracted == []
    text = extract_findings([report], surgeries=[("fusion", ["L4-L5"])])
    assert "adjacent_level_stenosis" in {f.id for f in text.extracted}
