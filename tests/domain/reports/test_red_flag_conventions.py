"""Red flags raised, or held back, by what the report text tells around a warning sign.

Sentences written for these tests; the decisions they exercise are in
knowledge/triage/red_flags.yaml and knowledge/reports/signs.yaml with their sources.
"""

import pytest
from tests.support.report_cases import flags_reader

_flags = flags_reader(
    days=200,
    procedure="laminectomy",
    levels={"cervical": ["C4-C5"], "thoracic": ["T8-T9"], "lumbar": ["L3-L4"]},
)


def test_a_felt_fever_with_no_reading_taken_does_not_raise_infection_alone() -> None:
    assert _flags("Felt feverish overnight; has not checked her temperature.", days=10) == []
    assert _flags("He reports fevers but there is no thermometer at home.", days=10) == []
    assert _flags("Feverish overnight, temperature 38.6 this morning.", days=10) == ["infection"]


def test_a_fever_with_a_urinary_source_does_not_raise_infection_alone() -> None:
    assert _flags("T 38.4. Dysuria since yesterday; MSU grew Klebsiella.", days=6) == []
    assert _flags("T 38.4, urine dipstick nitrites positive. Wound clean.", days=6) == []


def test_a_retention_followed_by_normal_voiding_after_the_catheter_is_not_cauda_equina() -> None:
    settled = "IDC (placed day 1 for a retention of 900 mL) out day 3; voids 300 mL, PVR 20 mL."
    assert _flags(settled, days=30) == []
    assert _flags("Retention of 800 mL today, catheterised.", days=2) == ["cauda_equina"]


def test_clumsy_hands_explained_by_carpal_tunnel_syndrome_are_not_myelopathy() -> None:
    explained = "Dropping things. Nerve conduction: bilateral carpal tunnel syndrome."
    assert _flags(explained, region="cervical") == []
    assert _flags("Dropping things. Hoffmann positive.", region="cervical") == ["myelopathy"]


def test_a_cord_sign_still_present_but_getting_better_does_not_raise_myelopathy() -> None:
    recovering = "Still clumsy with buttons but steadily improving since the operation."
    assert _flags(recovering, region="cervical", days=40) == []
    assert _flags("Still clumsy with buttons.", region="cervical", days=40) == ["myelopathy"]


def test_a_reflex_lost_since_an_earlier_review_counts_beside_a_displaced_screw() -> None:
    report = (
        "CT: the right L4 screw has backed out by 6 mm. New numbness over the right medial shin; "
        "the right knee jerk is now absent."
    )
    assert _flags(report, procedure="fusion", days=90) == ["hardware_failure_with_deficit"]


@pytest.mark.parametrize(
    ("report", "flag"),
    [
        ("Wound bringing out fluid since Monday.", "infection"),
        ("?early infection at the exit site - faint pinkness, no discharge.", "infection"),
        (
            "The delivery van he was driving overturned last week; since then new severe pain.",
            "fracture",
        ),
    ],
)
def test_common_wordings_of_a_warning_sign_raise_its_flag(report: str, flag: str) -> None:
    assert flag in _flags(report, days=20)


def test_a_raised_marker_judged_non_infective_or_in_a_well_healed_patient_is_for_repeating() -> (
    None
):
    judged = (
        "CRP climbed again on day 7 (D3 150, D5 90, D7 125); thought non-infective (chest clear)."
    )
    assert _flags(judged, procedure="fusion", days=9) == []
    well = "ESR 52 mm/h at 9 weeks. Patient well, wound fully healed; recheck in a fortnight."
    assert _flags(well, days=63) == []
    assert _flags("ESR 52 mm/h at 9 weeks.", days=63) == ["infection"]


def test_a_queried_saddle_numbness_with_normal_perianal_testing_is_not_cauda_equina() -> None:
    assert _flags("?saddle tingling, unsure. Perianal pin prick: normal.", days=2) == []
    assert _flags("?saddle tingling, unsure.", days=2) == ["cauda_equina"]


def test_upper_motor_neurone_signs_persisting_or_put_down_to_a_known_disease_are_not_new() -> None:
    assert _flags("Clonus at both ankles persists; walking well.", region="thoracic") == []
    explained = "Upgoing plantars and brisk jerks due to his known multiple sclerosis."
    assert _flags(explained) == []


def test_a_muscle_grade_with_a_plus_is_power_not_a_brisk_reflex() -> None:
    assert _flags("Triceps 4+/5, grip 5/5.", region="cervical", days=3) == []


def test_a_fall_dated_weeks_back_with_new_pain_raises_fracture() -> None:
    assert "fracture" in _flags("Fall 2 weeks ago, new sharp pain at the top of the rods since.")


def test_a_discharge_checklist_is_not_wound_discharge() -> None:
    assert _flags("Discharge checklist: wound reviewed, clips out.", days=12) == []


@pytest.mark.parametrize(
    "report",
    [
        "At 06:00 he could still lift his right leg off the bed; now unable to.",
        "Was able to stand with the frame yesterday, today cannot stand at all.",
        "Now unable to raise either arm, was managing to lift them this morning.",
        "Tingling is spreading up from the feet to the thighs.",
        "Numbness now up to the waist.",
    ],
)
def test_a_deficit_worsening_in_hours_or_spreading_is_progressive(report: str) -> None:
    assert "progressive_neurological_deficit" in _flags(report, days=2)


@pytest.mark.parametrize(
    "report",
    [
        "Could walk yesterday, today cannot because of pain.",
        "No spreading numbness.",
        "Numbness in the left foot, not spreading.",
    ],
)
def test_pain_limiting_walking_or_a_numbness_not_spreading_is_not_progressive(report: str) -> None:
    assert "progressive_neurological_deficit" not in _flags(report, days=2)


def test_an_abscess_compressing_the_sac_without_a_cauda_equina_sign_is_infection_only() -> None:
    """Issue 16 (precision20): the imaging-only cauda equina branch is the haematoma's."""
    abscess = (
        "MRI: enhancing ventral epidural abscess L3-L4, 9 mm, severely compressing the thecal sac."
    )
    assert _flags(abscess, days=35) == ["infection"]
    haematoma = "MRI: dorsal epidural haematoma L3-L4 with severe compression of the thecal sac."
    assert "cauda_equina" in _flags(haematoma, days=3)
    with_retention = abscess + " Bladder scan 900 mL, unable to void."
    assert "cauda_equina" in _flags(with_retention, days=35)


def test_a_haematoma_with_weakness_and_retention_is_cauda_equina_not_progressive() -> None:
    clinical = (
        "Day 1 laminectomy, new bilateral leg weakness and retention. MRI: dorsal epidural "
        "haematoma L3-L5 severely compressing the thecal sac."
    )
    flags = _flags(clinical, days=1)
    assert "cauda_equina" in flags and "progressive_neurological_deficit" not in flags
    thoracic = "New leg weakness since this morning. MRI: epidural haematoma T8-T9 on the cord."
    assert "progressive_neurological_deficit" in _flags(thoracic, region="thoracic", days=3)


def test_a_raised_esr_beside_a_normal_crp_in_the_esr_window_is_for_repeating() -> None:
    assert _flags("ESR 45 (6 weeks post op). CRP 4. WCC 6.9.", days=45) == []
    assert _flags("ESR 45 at 7 weeks. CRP 38.", days=49) == ["infection"]
    assert _flags("ESR 45 at 7 weeks.", days=49) == ["infection"]
