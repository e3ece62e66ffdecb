"""Red flags of issue 16's flags16 pass: causes, treatments, denials, checklists and tables.

Each pair holds the look-alike that must not raise a flag and the true case that still does. The
sentences were written for these tests (no corpus text). Rules: knowledge/triage/red_flags.yaml;
signs: knowledge/reports/signs.yaml; wording: finding_terms.yaml, stated_causes.yaml.
"""

import pytest
from tests.support.report_cases import flags_reader

_flags = flags_reader(days=30)


# --- weight loss with a cause told after a dash or in brackets -------------------------------


@pytest.mark.parametrize(
    "report",
    [
        "Weight down 4 kg - bad bout of norovirus, eating normally again.",
        "Has lost 3 kg (unwell with a chest infection over Christmas).",
        "Lost 5 kg since the operation - lives alone and has not been cooking.",
        "She is 4 kg lighter - took up cycling to work and cut out beer.",
    ],
)
def test_weight_loss_with_a_stated_cause_is_not_malignancy(report: str) -> None:
    assert "malignancy" not in _flags(report, days=200)


@pytest.mark.parametrize(
    "report",
    [
        "Weight loss 7 kg - for CT chest, abdomen and pelvis.",
        "Lost 6 kg (unintentional) over two months.",
        "Weight 60 kg (was 68 kg at the pre-op assessment); not dieting.",
        "Lost 8 kg - ?cause, bloods requested.",
    ],
)
def test_weight_loss_with_a_plan_or_an_amount_after_the_dash_stays_malignancy(
    report: str,
) -> None:
    assert "malignancy" in _flags(report, days=200)


# --- infection: explained fevers, markers, sweats, treatment -----------------------------------


def test_a_raised_crp_beside_a_fever_from_a_proven_source_elsewhere_is_not_infection() -> None:
    report = (
        "Temp 38.6, dysuria, urine grew E. coli - pyelonephritis. CRP 70, WCC 14. Wound healed."
    )
    assert "infection" not in _flags(report, days=40)


def test_two_raised_markers_with_a_cause_named_but_no_fever_still_raise_infection() -> None:
    assert "infection" in _flags("WCC 13.4 and CRP 15; she is also treating a UTI.", days=150)


def test_two_raised_markers_in_a_well_patient_with_a_healed_wound_are_for_repeating() -> None:
    report = "CRP 19 mg/L, ESR 40 mm/h. Wound healed, afebrile, feels well - repeat next week."
    assert "infection" not in _flags(report, days=25)
    assert "infection" in _flags("CRP 19 mg/L, ESR 40 mm/h at 3 weeks.", days=25)


def test_night_sweats_with_a_subjective_fever_raise_infection_late() -> None:
    report = "Soaking night sweats for ten days and feels feverish, no thermometer at home."
    assert "infection" in _flags(report, days=170)
    assert "infection" not in _flags("Soaking night sweats for ten days.", days=170)


@pytest.mark.parametrize(
    "report",
    [
        "Night sweats most nights; she is perimenopausal and has hot flushes.",
        "Night sweats due to his lymphoma, now being restaged by haematology.",
    ],
)
def test_night_sweats_with_another_cause_are_not_infection(report: str) -> None:
    assert "infection" not in _flags(report, days=40)


@pytest.mark.parametrize(
    "report",
    [
        "Week 3 of IV vancomycin for a deep wound infection; wound now dry, CRP 12.",
        "Spondylodiscitis at the operated level; continue oral antibiotics for six more weeks.",
        "Remains on anti-tuberculous therapy, month 4, afebrile and gaining weight.",
    ],
)
def test_an_operated_site_infection_still_on_treatment_raises_infection(report: str) -> None:
    assert "infection" in _flags(report, days=60)


@pytest.mark.parametrize(
    "report",
    [
        "Started on amoxicillin by the GP for a chest infection; wound healed.",
        "On nitrofurantoin for cystitis; the wound is healed.",
    ],
)
def test_an_antibiotic_for_an_infection_away_from_the_spine_raises_nothing(report: str) -> None:
    assert "infection" not in _flags(report, days=200)


def test_two_or_more_positive_deep_samples_counted_raise_infection() -> None:
    report = (
        "Explanted rods sent. Culture: Staphylococcus epidermidis; 4/5 tissue samples positive."
    )
    assert "infection" in _flags(report, days=400)


def test_a_temperature_bound_on_a_checklist_is_not_a_fever() -> None:
    report = "Temperature < 38 for the last 24 h ......... Y\nPVR < 100 ml ......... Y (PVR 60)"
    assert "infection" not in _flags(report, days=10)


def test_a_lab_high_flag_is_not_hours() -> None:
    assert "infection" in _flags("WCC 17.9 H. CRP 210 H.", days=14)


# --- cauda equina: a denied saddle numbness, a sphincter change from a drug ---------------------


def test_bed_wetting_with_saddle_numbness_denied_is_not_cauda_equina() -> None:
    report = "Wet the bed once on a new diuretic. Denies saddle numbness. Legs unchanged."
    assert "cauda_equina" not in _flags(report, days=20)
    assert "cauda_equina" in _flags("Wet the bed once. Legs unchanged.", days=20)


def test_a_negation_from_a_wider_scope_is_no_denial_of_saddle_numbness() -> None:
    report = (
        "Cannot feel when his bowels open and has soiled himself, and the skin round the back "
        "passage is numb; buying incontinence pads."
    )
    assert "cauda_equina" in _flags(report, days=120)


def test_bowel_urgency_dated_from_a_new_drug_is_not_cauda_equina() -> None:
    report = "Loose stools and faecal urgency since starting metformin, no accidents."
    assert "cauda_equina" not in _flags(report, days=40)


# --- airway, relatives, the back of the neck -------------------------------------------------


@pytest.mark.parametrize(
    "report",
    [
        "Phone call: my neck has gone puffy beside the scar since this afternoon.",
        "Text from her son: my mum had her neck op on Monday and her neck is getting puffy.",
    ],
)
def test_a_puffy_neck_after_anterior_surgery_is_airway(report: str) -> None:
    assert "airway_compromise" in _flags(report, region="cervical", days=3)


def test_a_swollen_wound_at_the_back_of_the_neck_is_not_airway() -> None:
    report = "The wound at the back of the neck is swollen and red."
    assert "airway_compromise" not in _flags(report, region="cervical", days=20)


def test_breathlessness_from_heart_failure_with_a_flat_scar_is_not_airway() -> None:
    report = (
        "Breathless on the stairs, ankles swollen; heart failure. The neck scar is fine and flat."
    )
    assert "airway_compromise" not in _flags(report, region="cervical", days=30)


# --- myelopathy, malignancy, fracture --------------------------------------------------------


def test_clonus_in_lay_words_after_thoracic_surgery_is_myelopathy() -> None:
    report = "His feet shake uncontrollably when he puts his feet on the floor."
    assert "myelopathy" in _flags(report, region="thoracic", days=90)


def test_writing_with_difficulty_and_an_unsteady_gait_are_myelopathy() -> None:
    report = "Writes with difficulty now; finger-escape sign on the left; gait unsteady."
    assert "myelopathy" in _flags(report, region="cervical", days=150)


def test_new_bone_lesions_at_two_levels_raise_malignancy_but_a_new_root_lesion_does_not() -> None:
    assert "malignancy" in _flags("Staging CT: new T11 and L2 lesions.", days=200)
    assert "malignancy" in _flags("New marrow lesions in T10 and L1.", days=200)
    assert "malignancy" not in _flags("EMG: possible new L5 lesion.", days=60)


def test_a_blow_to_the_head_with_new_neck_pain_raises_fracture() -> None:
    report = "Struck the back of her head on a cupboard door; new neck pain since."
    assert "fracture" in _flags(report, region="cervical", days=60)


# --- hardware: a screw placed through the pedicle wall has not moved ----------------------------


def test_a_screw_breach_with_a_new_deficit_is_not_hardware_failure() -> None:
    report = "Day 1: new EHL weakness 3/5. CT: the L5 screw breaches the medial pedicle wall."
    assert "hardware_failure_with_deficit" not in _flags(report, days=1)
    backed_out = "New EHL weakness 3/5. XR: the L5 screw has backed out by 6 mm."
    assert "hardware_failure_with_deficit" in _flags(backed_out, days=200)


# --- forms and tables ------------------------------------------------------------------------


def test_a_field_ticked_no_does_not_negate_the_next_field_on_its_line() -> None:
    report = "Fell in the garden today.\nHead strike Y [ ] N [x]   New pain Y [x] N [ ] low back."
    assert "fracture" in _flags(report, days=10)


def test_a_yes_no_form_table_reads_each_row_by_its_ticked_column() -> None:
    report = (
        "Question | Y | N\n"
        "Previous cancer | x |\n"
        "Unexplained weight loss | x |\n"
        "Night sweats |  | x\n"
    )
    assert "malignancy" in _flags(report, days=400)


def test_a_chart_column_of_no_answers_negates_its_header() -> None:
    report = "| hour | stridor | SpO2 |\n| 2 | N | 97 |\n| 4 | N | 98 |"
    assert "airway_compromise" not in _flags(report, region="cervical", days=1)


def test_a_box_left_empty_at_the_end_of_a_line_does_not_blank_the_next_line() -> None:
    report = (
        "Witnessed [x] unwitnessed [ ]\nSlipped in the bathroom. New pain Y [x] N [ ] in the back."
    )
    assert "fracture" in _flags(report, days=12)


def test_a_wound_that_has_gone_red_is_not_a_resolved_wound() -> None:
    report = (
        "The scar has started oozing yellow fluid onto the dressing and it's gone red around it."
    )
    assert "infection" in _flags(report, procedure="discectomy", days=10)


# --- second round: an evacuation on the day, a suspected cancer, a compressed cord -------------


def test_a_neck_haematoma_evacuated_on_the_day_of_an_anterior_operation_is_airway() -> None:
    report = (
        "Stridor and a tense neck at 3 hours; haematoma evacuated at the bedside, re-intubated."
    )
    assert "airway_compromise" in _flags(report, region="cervical", days=0)
    later = "Clinic: a neck haematoma was evacuated on day 0; neck flat, breathing normally."
    assert "airway_compromise" not in _flags(later, region="cervical", days=40)


def test_a_new_mass_imaging_calls_suspicious_is_malignancy() -> None:
    assert "malignancy" in _flags("Incidental 3 cm FDG-avid lung mass; biopsy booked.", days=200)
    assert "malignancy" not in _flags(
        "Incidental 4 mm lung nodule, for routine follow-up.", days=200
    )


def test_weakness_getting_worse_with_a_compressed_cord_is_myelopathy() -> None:
    report = "Known deposit compressing the cord at T8. Legs getting weaker each day this week."
    assert "myelopathy" in _flags(report, region="thoracic", days=20)


def test_the_indication_of_a_dural_repair_after_an_earlier_operation_is_current() -> None:
    report = (
        "OPERATION NOTE - dural repair\nIndex: L3/4 laminectomy 5 days ago.\n"
        "Indication: clear fluid leaking from the wound since yesterday.\nProcedure: primary repair."
    )
    assert "infection" in _flags(report, procedure="laminectomy", days=5)


def test_a_white_count_the_report_puts_down_to_steroids_is_for_repeating() -> None:
    report = "WBC 15.1, on prednisolone for asthma - likely steroid-related neutrophilia. CRP 12."
    assert "infection" not in _flags(report, procedure="laminectomy", days=91)
    assert "infection" in _flags("WBC 15.1. CRP 12.", procedure="laminectomy", days=91)


def test_a_crp_falling_at_every_step_to_under_half_is_settling() -> None:
    assert "infection" not in _flags("CRP 96 -> 44 -> 19 mg/L.", days=40)
    assert "infection" in _flags("CRP 19 mg/L.", days=40)
    assert "infection" in _flags("CRP 96 -> 44 -> 19 mg/L. Wound discharging pus.", days=40)


def test_intravenous_antibiotics_with_no_other_site_keep_the_flag_while_crp_falls() -> None:
    report = "Follow-up on IV abx: CRP 150 -> 70 -> 20 mg/L, responding."
    assert "infection" in _flags(report, days=45)
    assert "infection" not in _flags("On IV antibiotics for pneumonia; wound healed.", days=200)


def test_a_series_ends_where_the_next_test_begins() -> None:
    assert "infection" in _flags("ESR 64 mm/h (ref <20), CRP 22 mg/L, WCC 12.4 (4-11).", days=60)


def test_several_fields_answered_on_one_line_are_each_read_by_their_own_answer() -> None:
    assert "cauda_equina" not in _flags("Saddle numbness: N   Retention: N   Fever: Y", days=5)
    assert "cauda_equina" in _flags("Saddle numbness: Y   Retention: N   Fever: N", days=5)
    assert "infection" in _flags("Fever: Y   Saddle numbness: N", days=20)
