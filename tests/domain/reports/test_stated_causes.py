"""A finding explained by a stated cause, judged by where the cause lies (cause16).

knowledge/reports/stated_causes.yaml holds no diagnosis: a cause is read as the spine's or the
operation's when a word of the spine, the wound, an implant or a level names it, as a cancer when
a cancer word does, and as elsewhere when any other word does. These tests use causes no corpus set
names, and check both members of each pair: the cause elsewhere stops the flag the bare finding
would raise; the same finding tied to the spine, or to nothing, still raises it. The sentences
were written for these tests.
"""

import pytest
from tests.support.report_cases import flags_reader

from spinetrack.domain.reports.cause_words import classify, parse_causes

_flags = flags_reader(days=30)


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("ascending cholangitis", "elsewhere"),
        ("a dental abscess", "elsewhere"),
        ("sacral pressure ulcer", "elsewhere"),
        ("the l4 / 5 disc", "spine"),
        ("a deep wound infection", "spine"),
        ("loose pedicle screws", "spine"),
        ("lumbar", "spine"),
        ("metastatic disease", "cancer"),
        ("unknown source", "empty"),
        ("day 3", "empty"),
        ("no consolidation", "empty"),
        ("fracture of the neck of femur", "elsewhere"),
    ],
)
def test_a_cause_is_judged_by_its_words_not_by_a_list_of_diagnoses(words: str, kind: str) -> None:
    assert classify(words.split()) == kind


@pytest.mark.parametrize(
    "report",
    [
        "Temp 38.6 on day 8, thought to be a dental abscess. Wound dry and clean.",
        "Febrile 38.4 secondary to acute cholangitis; the wound is healed.",
        "Temp 38.9. Wound clean. Impression: mumps parotitis.",
        "S: earache, hot\nO: T 38.4, wound clean\nImp: acute otitis media\nP: amoxicillin",
        "Cellulitis of the left shin causing a temperature of 38.5. Spinal wound dry.",
    ],
)
def test_a_fever_from_a_cause_outside_the_spine_is_not_infection(report: str) -> None:
    assert "infection" not in _flags(report, days=9)


@pytest.mark.parametrize(
    "report",
    [
        "Temp 38.6 on day 8, thought to be from the L4/5 disc space.",
        "Febrile 38.4, not due to the cholangitis.",
        "Temp 38.9. Impression: deep infection around the screws.",
        "Temp 38.7 - ?UTI ?collection at the operated level.",
        "Temp 38.5 overnight, cause unknown.",
        "S: feels hot\nO: T 38.4, wound dry\nImp: ?deep infection at L5/S1\nP: MRI",
    ],
)
def test_a_fever_tied_to_the_spine_or_to_nothing_is_still_infection(report: str) -> None:
    assert "infection" in _flags(report, days=9)


def test_breathlessness_from_a_cause_in_the_chest_is_not_airway_but_the_neck_is() -> None:
    assert "airway_compromise" not in _flags(
        "Breathless since this morning; CTPA shows emboli in both lower lobes.",
        region="cervical",
        days=10,
    )
    assert "airway_compromise" in _flags(
        "Breathless since this morning, likely from the swelling at the front of the neck.",
        region="cervical",
        days=10,
    )


def test_observations_under_an_assessment_heading_are_no_cause() -> None:
    report = (
        "S: breathless since 02:00, 6 h after ACDF.\n"
        "A: RR 24, SpO2 93% on air, speaking in short sentences.\nR: please attend."
    )
    assert "airway_compromise" in _flags(report, region="cervical", days=1)


def test_weight_loss_put_down_to_a_cause_is_not_malignancy_but_a_cancer_cause_is() -> None:
    assert "malignancy" not in _flags("Lost 6 kg since March because of painful mouth ulcers.")
    assert "malignancy" in _flags("Lost 6 kg since March, unintentional, cause not found.")


def test_a_fracture_away_from_the_spine_with_a_non_tender_spine_is_not_the_fracture_flag() -> None:
    elsewhere = "Fell on the ice yesterday, new pain. Fracture of the left distal fibula on X-ray. Spine not tender."
    spinal = (
        "Fell on the ice yesterday, new pain. Fracture of the L1 body on X-ray. Spine not tender."
    )
    assert "fracture" not in _flags(elsewhere)
    assert "fracture" in _flags(spinal)


def test_every_explained_finding_names_a_sign_that_the_rules_know() -> None:
    rules = parse_causes()
    assert {e.finding for e in rules.explains} >= {"fever", "breathing_difficulty"}
