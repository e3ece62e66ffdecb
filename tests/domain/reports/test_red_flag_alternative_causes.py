"""Red flags against their look-alikes from the eighth blind set (flags8 pass).

A finding with another named cause (a fever from gout, breathlessness from a pulmonary embolism,
weight loss from dysphagia), a sphincter state that predates the operation or stays unchanged, a
cord sign as it was at admission, a safety-netting letter and a fracture away from the spine must
not raise the flag the bare finding would; the true member of each pair still does. The sentences
were written for these tests. Rules and sources: knowledge/triage/red_flags.yaml,
knowledge/reports/signs.yaml, finding_terms.yaml and context_modifiers.yaml (flags8 entries).
"""

import pytest
from tests.support.report_cases import flags_reader

_flags = flags_reader(days=30)


@pytest.mark.parametrize(
    "report",
    [
        "Temp 38.4. Hot swollen ankle, gout crystals on the aspirate. Spinal wound dry and clean.",
        "Febrile 38.3 from C. difficile diarrhoea; the wound is healed and not red.",
        "Temperature 38.5 - ?exudative tonsillitis, neck wound clean.",
        "Temp 38.2 on day 3. Chest film: right lower lobe collapse. Wound dry.",
        "Heel pressure ulcer with surrounding cellulitis, temp 38.1; spinal wound healed.",
    ],
)
def test_a_fever_with_another_named_source_and_a_clean_wound_is_not_infection(
    report: str,
) -> None:
    assert "infection" not in _flags(report, days=9)


def test_a_fever_without_another_source_is_infection() -> None:
    assert "infection" in _flags("Temp 38.4 and the back aches more. Wound dry.", days=9)


def test_breathlessness_from_a_proven_embolism_is_not_airway() -> None:
    report = "Breathless on exertion. Neck flat. CTPA shows bilateral PE."
    assert "airway_compromise" not in _flags(report, region="cervical", days=10)
    assert "airway_compromise" in _flags(
        "Breathless on exertion since this morning.", region="cervical", days=10
    )


def test_copd_breathlessness_with_the_neck_not_swollen_is_not_airway() -> None:
    report = "Known COPD. A bit breathless on the stairs; neck not swollen, no stridor."
    assert "airway_compromise" not in _flags(report, region="cervical", days=20)


def test_a_swelling_the_patient_believes_in_that_the_examination_denies_is_not_airway() -> None:
    report = "She thinks her neck is swollen; on examination a hypertrophic scar, no swelling of the neck."
    assert "airway_compromise" not in _flags(report, region="cervical", days=60)


@pytest.mark.parametrize(
    "report",
    [
        "Stress incontinence since 2012, unchanged after the operation. No saddle numbness.",
        "Her bladder has always been weak since she had the children; saddle sensation normal.",
        "Crohn's disease with urgency and occasional incontinence for 8 years, unchanged.",
    ],
)
def test_a_sphincter_state_that_predates_the_operation_is_not_cauda_equina(report: str) -> None:
    assert "cauda_equina" not in _flags(report, days=120)


def test_a_new_incontinence_is_still_cauda_equina() -> None:
    assert "cauda_equina" in _flags("New urinary incontinence since Tuesday.", days=120)


def test_a_residual_saddle_numbness_unchanged_for_a_year_is_not_cauda_equina() -> None:
    report = "After the decompression perineal sensation has stayed reduced, the same for a year."
    assert "cauda_equina" not in _flags(report, days=400)
    assert "cauda_equina" in _flags("Perineal sensation reduced since yesterday.", days=400)


def test_a_lay_normal_wipe_excuses_an_urgency() -> None:
    report = "Rushing to the toilet and leaked once. Wipes normally and feels it."
    assert "cauda_equina" not in _flags(report, days=120)


def test_a_questionnaire_answered_no_in_quotes_raises_nothing() -> None:
    report = 'Any problems passing water? "No." Any numbness between the legs? "No."'
    assert _flags(report, days=600) == []


def test_retention_from_a_thoracic_cord_lesion_after_lumbar_surgery_is_not_cauda_equina() -> None:
    report = (
        "Legs weak for two days. Numb from the umbilicus down. Bladder scan 900 ml. "
        "MRI: T9 metastasis compressing the cord."
    )
    flags = _flags(report, days=120)
    assert "cauda_equina" not in flags
    assert "myelopathy" in flags


def test_brisk_reflexes_as_at_admission_are_not_myelopathy() -> None:
    report = "Knee reflexes brisk both sides, as at admission. Power full, walking independently."
    assert "myelopathy" not in _flags(report, region="thoracic", days=180)
    assert "myelopathy" in _flags("Knee reflexes brisk both sides.", region="thoracic", days=180)


def test_power_stable_across_reviews_is_not_new_weakness() -> None:
    report = (
        "Walks with a frame, wide based. Power stable across the last four reviews "
        "(knee extension 4/5 both sides)."
    )
    assert "myelopathy" not in _flags(report, region="thoracic", days=150)


@pytest.mark.parametrize(
    "report",
    [
        "Difficulty swallowing solids for two months, food sticks, and she has lost 6 kg.",
        "Weight down 3 kg since the operation a week ago; she is just not hungry on the ward.",
        "Letter to GP: swallowing normal again. Please re-refer if there is new choking or weight loss.",
    ],
)
def test_weight_loss_with_a_named_cause_or_as_advice_is_not_malignancy(report: str) -> None:
    assert "malignancy" not in _flags(report, region="cervical", days=60)


def test_unexplained_weight_loss_is_still_malignancy() -> None:
    assert "malignancy" in _flags("Lost 7 kg in two months without trying.", days=200)


def test_falling_grip_strength_in_kg_is_not_weight_loss() -> None:
    report = "Grip dynamometry has fallen 30 kg -> 24 kg; hand clumsy, Hoffmann positive."
    assert "malignancy" not in _flags(report, region="cervical", days=150)


def test_a_hip_fracture_with_a_non_tender_spine_is_not_a_spinal_fracture_flag() -> None:
    report = "Fell at home yesterday, new groin pain since. X-ray: neck of femur fracture. Spine not tender."
    assert "fracture" not in _flags(report, days=90)
    report = "Fell at home yesterday, new low back pain since. Spine not tender."
    assert "fracture" in _flags(report, days=90)


def test_a_stitch_abscess_that_discharged_and_healed_is_not_infection() -> None:
    report = "Wound dry today, no redness, afebrile. The stitch abscess had discharged and healed."
    assert "infection" not in _flags(report, days=35)
