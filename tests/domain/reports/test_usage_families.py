"""Families of wording for findings, written from clinical usage (vocab18), with their look-alikes.

Each sentence is the project's own. The reader must extract exactly the findings listed, with the
certainty given (findings not listed must not be extracted).
"""

import pytest

from spinetrack.domain.reports import find_in_reports


def _found(text: str) -> dict[str, str]:
    return {m.id: m.certainty for m in find_in_reports([text])}


@pytest.mark.parametrize(
    "text",
    [
        "Her lower back aches by the end of a shift on the checkout.",
        "Backache builds through the day and is gone by the morning.",
        "Neck ache with long spells of computer work.",
        "Low back pain after 20 minutes of sitting in the car.",
        "Axial pain: present, character - mechanical.",
        "Back pain is stable and mechanical.",
        "Lumbago made worse by the load of carrying his toddler.",
    ],
)
def test_back_pain_that_builds_with_load_posture_or_the_day_is_mechanical(text: str) -> None:
    assert _found(text) == {"mechanical_pain": "affirmed"}


def test_a_weakness_getting_worse_through_the_day_is_not_mechanical_pain() -> None:
    found = _found(
        "Left EHL 4/5 this morning, now 2/5: the weakness is getting worse through the day."
    )
    assert "mechanical_pain" not in found
    assert found.get("progressive_weakness") == "affirmed"


@pytest.mark.parametrize(
    "text",
    [
        "The sciatica is back down the outside of his shin, just as before his discectomy.",
        "Right arm pain into the thumb, unchanged from before surgery.",
        "Arm pain is back, in the same C6 dermatome.",
        "The pain takes the same path as before, buttock to heel.",
        "Calf pain exactly as it did before his discectomy.",
        "Her sciatica follows the same course as previously.",
    ],
)
def test_limb_pain_placed_where_it_was_before_surgery_is_the_same_distribution(text: str) -> None:
    assert "same_distribution_radicular" in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Reflexes remain brisk, the same as before the operation.",
        "A trip on the kerb yesterday; the back is the same as before the trip.",
        "Both legs feel heavy after ten minutes walking, like before the op.",
        "The thigh pain is at the front rather than down the back as it was before the operation.",
    ],
)
def test_same_as_before_said_of_reflexes_a_fall_or_claudication_is_not_radicular(
    text: str,
) -> None:
    assert "same_distribution_radicular" not in _found(text)


def test_a_symptom_that_returned_weeks_ago_is_current_not_history() -> None:
    found = _found("The same leg pain she had before the operation returned 5 weeks ago.")
    assert found.get("same_distribution_radicular") == "affirmed"


@pytest.mark.parametrize(
    "text",
    [
        "WorkCover Queensland claimant, seen for an independent examination.",
        "ESIC claim under process.",
        "Claim status: accepted, weekly payments continuing.",
        "A court case against the employer is listed for next year.",
        "He has instructed a lawyer about the accident at the depot.",
        "He is on a workers comp claim and has not returned to work.",
    ],
)
def test_claims_told_by_scheme_status_lawyer_or_court_are_compensation(text: str) -> None:
    assert _found(text).get("compensation_claim") == "affirmed"


@pytest.mark.parametrize(
    "text",
    [
        "WCC 13.0 on day 1, in keeping with a stress response.",
        "Longstanding stress incontinence since her twins were born.",
        "Stress-dose hydrocortisone at induction.",
        "Post-operative stress leucocytosis.",
    ],
)
def test_stress_of_the_body_or_bladder_is_not_psychological_distress(text: str) -> None:
    assert "psychological_distress" not in _found(text)


def test_stress_of_the_mind_is_psychological_distress() -> None:
    found = _found("She is under a lot of stress since losing her job.")
    assert found.get("psychological_distress") == "affirmed"


@pytest.mark.parametrize(
    "text",
    [
        "Psoriatic arthritis treated with methotrexate 20 mg weekly.",
        "On baricitinib for rheumatoid arthritis.",
        "Dexamethasone 4 mg bd for his cord compression, weaning.",
    ],
)
def test_disease_modifying_drugs_and_a_steroid_course_are_immunosuppression(text: str) -> None:
    assert _found(text).get("immunosuppression") == "affirmed"


@pytest.mark.parametrize(
    "text",
    [
        "Dexamethasone 8 mg given at induction for nausea.",
        "Stridor settled after nebulised adrenaline and dexamethasone.",
        "Q: Does the member take steroids, biologics or other immune suppressants?  No.",
    ],
)
def test_a_single_theatre_dose_or_a_question_answered_no_is_not_immunosuppression(
    text: str,
) -> None:
    assert "immunosuppression" not in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "After the L4-5 fusion, the L3-4 disc above has degenerated.",
        "Adjacent L2-3 degenerated after the L3-5 fusion.",
        "L3/4, the segment cranial to the spondylodesis, shows facet arthrosis.",
    ],
)
def test_degeneration_beside_a_fusion_in_other_words_is_adjacent(text: str) -> None:
    assert _found(text).get("adjacent_level_degeneration") == "affirmed"


def test_a_fracture_below_the_construct_is_not_adjacent_degeneration() -> None:
    found = _found("New L2 wedge fracture below the construct with 25% height loss.")
    assert "adjacent_level_degeneration" not in found


def test_a_negation_before_and_new_does_not_reach_the_new_finding() -> None:
    found = _found(
        "The C5-6 disc replacement no longer moves, and new disc degeneration at C6-7 below it."
    )
    assert found.get("adjacent_level_degeneration") == "affirmed"


@pytest.mark.parametrize(
    "text",
    [
        "Leg pain the same at rest, when walking and in bed: not changed by position.",
        "The ache is there whichever position she tries.",
        "He says it doesn't matter what he does, the pain stays at 7.",
        "Nothing changes it; the pain is the same day and night.",
    ],
)
def test_pain_that_position_or_activity_does_not_change_is_constant(text: str) -> None:
    assert _found(text).get("constant_pain") == "affirmed"


@pytest.mark.parametrize(
    "text",
    [
        "Thoracic pain at rest since the fall.",
        "The stimulator covers the resting pain well.",
        "Back is sorer this week, not better lying down.",
    ],
)
def test_pain_at_rest_or_not_eased_by_lying_is_not_mechanical(text: str) -> None:
    assert "mechanical_pain" not in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Right EHL three out of five, new since the operation.",
        "Sent for nerve studies for new R shoulder weakness.",
    ],
)
def test_new_weakness_told_with_a_grade_in_words_or_a_limb_segment(text: str) -> None:
    assert _found(text).get("new_weakness") == "affirmed"


@pytest.mark.parametrize(
    ("text", "certainty"),
    [
        ("Says she feels hopeless about the future.", "affirmed"),
        ("Panic disorder diagnosed last year, on escitalopram 10 mg.", "affirmed"),
        ("Strongly fear-avoidant on the questionnaire.", "affirmed"),
        ("Probably a psychological overlay to the pain behaviour.", "uncertain"),
    ],
)
def test_distress_told_by_its_signs_diagnosis_or_treatment(text: str, certainty: str) -> None:
    assert _found(text).get("psychological_distress") == certainty


def test_an_antidepressant_stopped_in_the_past_is_not_current_distress() -> None:
    found = _found("Treated with citalopram years ago, now off medication, mood good.")
    assert "psychological_distress" not in found


@pytest.mark.parametrize(
    "text",
    [
        "Knees bent while standing to keep upright.",
        "Hips and knees flexed when standing, SVA +80 mm.",
        "He cannot get his trunk upright without bending his knees.",
        "Can only stand upright by flexing both knees.",
    ],
)
def test_a_stoop_told_by_posture_in_standing_or_walking(text: str) -> None:
    assert _found(text).get("forward_stoop") == "affirmed"


@pytest.mark.parametrize(
    "text",
    [
        "Two local anaesthetic injections into the left sacroiliac joint gave 85% and 90% relief.",
        "Right SIJ: two concordant blocks, both with over 80% relief.",
    ],
)
def test_two_good_blocks_of_the_sacroiliac_joint_are_positive(text: str) -> None:
    assert "sij_block_positive" in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Positive sharp waves in the right tibialis anterior, none pre-op.",
        "Conclusion: active right L5 radiculopathy on needle study.",
    ],
)
def test_denervation_absent_before_surgery_or_an_active_root_lesion_is_new(text: str) -> None:
    assert _found(text).get("emg_new_denervation") == "affirmed"


def test_fibrillations_not_yet_expected_on_an_early_study_are_absent() -> None:
    assert "emg_new_denervation" not in _found("Day 5 study: fibrillations not yet expected.")


def test_a_pain_that_does_not_ease_does_not_negate_what_follows_it() -> None:
    found = _found(
        "Back pain that does not ease when she lies down, soaking night sweats, 5 kg weight loss."
    )
    assert found.get("night_sweats") == "affirmed"
    assert found.get("unexplained_weight_loss") == "affirmed"


def test_a_complaint_added_after_a_negated_clause_is_stated() -> None:
    found = _found("Pain which is not changing with position, and has lost 6 kg without trying.")
    assert found.get("unexplained_weight_loss") == "affirmed"


def test_a_new_radiculopathy_on_a_nerve_study_is_new_denervation_not_a_new_distribution() -> None:
    found = _found(
        "EMG: fibrillations in tibialis anterior, absent pre-op, consistent with a new L5 "
        "radiculopathy."
    )
    assert found.get("emg_new_denervation") == "affirmed"
    assert "new_distribution_radicular" not in found


@pytest.mark.parametrize(
    "text",
    [
        "IPG pocket (R buttock) clean and dry.",
        "Patchy numbness over the left buttock, unchanged.",
        "Pain from the L buttock down the back of the thigh to the calf.",
    ],
)
def test_a_buttock_named_as_a_place_or_radicular_pain_through_it_is_not_buttock_pain(
    text: str,
) -> None:
    assert "unilateral_buttock_pain" not in _found(text)


def test_a_symptom_that_has_disappeared_is_not_current() -> None:
    assert "neurogenic_claudication" not in _found("The claudication has disappeared.")


@pytest.mark.parametrize(
    "text",
    [
        "Right buttock/groin ache, worse on stairs.",
        "Her pain sits, she says, over the left buttock.",
        "Pain map: L buttock just below the PSIS.",
    ],
)
def test_pain_told_in_one_buttock_is_buttock_pain(text: str) -> None:
    assert _found(text).get("unilateral_buttock_pain") == "affirmed"


@pytest.mark.parametrize(
    "text",
    [
        "Pain now down the outer shin, this is new; before the operation it was in the calf.",
        "Aching pain over the inner knee and thigh, a new area for her.",
        "Burning pains in the left thumb, not the C7 pain that the operation fixed.",
        "Pain into the index finger, different from her previous C8 pain.",
    ],
)
def test_limb_pain_set_against_the_pain_before_surgery_is_a_new_distribution(text: str) -> None:
    assert "new_distribution_radicular" in _found(text)
