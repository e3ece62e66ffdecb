"""Red flags against their look-alikes, from report text (issue 16, flags19 pass).

Each test pairs a wording that must raise a flag with one that must not; the vignettes were
written for these tests. The rules and their sources are in knowledge/triage/red_flags.yaml and
knowledge/reports/signs.yaml.
"""

import pytest
from tests.support.report_cases import flags_reader

_flags = flags_reader(days=30)


@pytest.mark.parametrize(
    "report",
    [
        "Known COPD. Short of breath on exertion as always. Neck soft and flat, swallowing fine.",
        "Wheezy and breathless since the evening; known asthma. Neck flat, drain 10 mL.",
        "Feels she cannot get a deep breath. Neck soft, no stridor. Settled with reassurance.",
        "SOB, COPD exacerbation suspected. Neck inspected - no swelling, wound dry.",
    ],
)
def test_breathlessness_with_a_normal_neck_and_a_known_cause_is_not_airway(report: str) -> None:
    assert "airway_compromise" not in _flags(report, region="cervical", days=1)


@pytest.mark.parametrize(
    "report",
    [
        # a known lung disease alone does not rule out a haematoma
        "Known COPD. New shortness of breath tonight, worse than usual.",
        # a flat neck alone does not explain breathlessness
        "Short of breath and restless. Neck flat.",
        # a swollen neck raises it whatever else is named
        "Known asthma, wheezy. Neck swollen on the left of the wound.",
        # stridor raises it beside a flat neck and a named cause
        "Known COPD and anxious. Neck flat and soft, but soft inspiratory stridor now.",
    ],
)
def test_breathlessness_without_both_a_normal_neck_and_a_cause_is_airway(report: str) -> None:
    assert "airway_compromise" in _flags(report, region="cervical", days=1)


def test_a_front_of_neck_swelling_told_in_plain_words_is_airway() -> None:
    report = "Front of neck red and swollen around the wound; swelling extends across the midline."
    assert "airway_compromise" in _flags(report, region="cervical", days=8)
    assert "airway_compromise" not in _flags(
        "Front of neck normal, posterior neck aching.", region="cervical", days=8
    )


@pytest.mark.parametrize(
    "report",
    [
        "Foot drop since yesterday; the numb patch on his foot is now spreading up the shin.",
        "Numbness over the outer calf, new last week and larger today.",
        "Deteriorating neurological signs through the afternoon.",
    ],
)
def test_a_deficit_told_as_spreading_is_progressive(report: str) -> None:
    assert "progressive_neurological_deficit" in _flags(report, procedure="discectomy", days=10)


def test_a_numb_patch_the_same_size_is_not_progressive() -> None:
    report = "Numb patch on the top of the foot, the same size as yesterday."
    assert "progressive_neurological_deficit" not in _flags(report, procedure="discectomy")


def test_a_broken_screw_with_a_numb_strip_that_grows_is_hardware_failure_with_deficit() -> None:
    growing = (
        "X-ray: fractured L5 screw. Numbness down the outer shin, larger today than last month."
    )
    still = "X-ray: fractured L5 screw. Numbness down the outer shin as before the operation."
    assert "hardware_failure_with_deficit" in _flags(growing, days=200)
    assert "hardware_failure_with_deficit" not in _flags(still, days=200)


def test_a_screw_breach_unchanged_since_the_operation_is_not_a_displaced_screw() -> None:
    report = (
        "New EHL weakness 3/5 since waking from surgery. CT: right L5 screw breaching the "
        "medial wall by 4 mm (unchanged position since surgery)."
    )
    assert "hardware_failure_with_deficit" not in _flags(report, days=3)


def test_clumsy_hands_and_gait_both_improving_are_not_myelopathy() -> None:
    improving = (
        "Gait still wide-based but better each week. Still clumsy with buttons but improving."
    )
    relapse = (
        "Clumsiness improved for a few months, but she now drops cups and her gait has "
        "deteriorated again."
    )
    assert "myelopathy" not in _flags(improving, region="cervical", procedure="laminectomy")
    assert "myelopathy" in _flags(relapse, region="cervical", procedure="laminectomy")


def test_brisk_reflexes_as_before_the_operation_are_not_myelopathy() -> None:
    report = "Reflexes brisk as pre-op, no change. Power 5/5 throughout."
    assert "myelopathy" not in _flags(report, region="cervical", procedure="decompression")
    assert "myelopathy" in _flags("Reflexes newly brisk.", region="cervical")


def test_a_saddle_patch_shrinking_after_a_treated_syndrome_is_not_cauda_equina() -> None:
    shrinking = (
        "Day 2 after decompression for cauda equina syndrome. Perianal numbness persists on the "
        "right, a smaller area than yesterday. Voiding, residual 30 mL."
    )
    assert "cauda_equina" not in _flags(shrinking, procedure="discectomy", days=2)
    assert "cauda_equina" in _flags("New perianal numbness since this morning.", days=2)


@pytest.mark.parametrize(
    "report",
    [
        "Q1 Any numbness between the legs? -> NO\nQ2 Fever? -> NO",
        "Redness around the wound? N\nDischarge? N",
        "Written cauda equina advice: any saddle numbness or bladder change - go to ED.",
        "His poor stream goes back about eight years, well before his back operation.",
        "Four years ago she presented with retention and saddle numbness; fully recovered.",
    ],
)
def test_form_answers_warning_advice_and_old_episodes_raise_nothing(report: str) -> None:
    assert _flags(report, procedure="discectomy", days=60) == []


def test_neck_soft_tissue_swelling_is_not_a_soft_neck() -> None:
    report = "Known COPD, breathless. Neck soft-tissue swelling on the right of the incision."
    assert "airway_compromise" in _flags(report, region="cervical", days=1)
