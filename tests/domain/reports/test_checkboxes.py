"""Tick boxes of template notes: what a ticked or unticked option says (checkboxes.py)."""

import pytest

from spinetrack.domain.reports import find_in_reports
from spinetrack.domain.reports.checkboxes import read_boxes


def _found(text: str) -> dict[str, str]:
    return {m.id: m.certainty for m in find_in_reports([text])}


@pytest.mark.parametrize(
    "text",
    [
        "Bladder: [x] normal [ ] retention",
        "Saddle numbness   Y [ ]  N [x]\nFever   Y [ ]  N [x]",
        "Red flags: Saddle anaesthesia - No. Sphincter disturbance - No. Fever - No.",
        "Active infection / fever: N\nContrast allergy: N",
        "Neck swelling: [x] none [ ] present",
        "Checklist: [x] neurological deficit [ ] bladder [ ] fever [ ] weight loss",
    ],
)
def test_a_form_that_ticks_no_or_leaves_a_box_empty_states_no_red_flag_finding(text: str) -> None:
    found = _found(text)
    for finding in ("urinary_retention", "saddle_anesthesia", "fever", "neck_swelling"):
        assert finding not in found, (text, found)
    assert "unexplained_weight_loss" not in found


def test_a_ticked_abnormal_option_is_read_and_the_unticked_normal_one_is_not() -> None:
    assert _found("Perianal sensation: [ ] normal [x] reduced - patchy L side") == {
        "saddle_anesthesia": "affirmed"
    }
    assert "dysphagia" in _found("Dysphagia (solids): [ ] none [x] mild [ ] moderate")


def test_a_yes_ticked_pair_keeps_its_label() -> None:
    assert "fever" in _found("Fever   Y [x]  N [ ]  38.6 at home")


def test_reading_the_boxes_keeps_every_character_in_place() -> None:
    text = "Saddle numbness  Y [ ]  N [x]\nBladder: [x] normal [ ] retention\n[ ] fever"
    read = read_boxes(text)
    assert len(read) == len(text)
    assert read.count("\n") == text.count("\n")
    assert "retention" not in read and "fever" not in read
    assert read_boxes("No boxes here.") == "No boxes here."


def test_a_line_that_runs_on_in_lower_case_is_not_a_form_answer() -> None:
    assert "wound_drainage" not in _found("Swabs sent - no\npus encountered.")
