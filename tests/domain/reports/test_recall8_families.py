"""Findings told in the eighth blind writer's word families (recall8).

Each family is one reason the eighth set's wording was missed: a weakness dated from the operation,
a swallow told by what happens to food, drink or saliva, a neck that "balloons", limb pain said to
be "back", pain put on one side below the belt, a grade recorded "at discharge" as the start of a
series, a complication named as a "risk", expected post-operative change with nothing else, a
sensation table, hours without a wee, red wound edges, a back that "hurts" all the time, a
weakness found on day 1 or "not at baseline", tingling (not pain) that wakes at night, an old
complete paraplegia, and a straight leg raise told by its angle. Each is read once, by a word
group or a rule, and the look-alikes each family could catch by mistake stay unread. The
sentences are written for these tests, not taken from the corpus.
"""

import pytest

from spinetrack.domain.reports import find_in_reports


def _found(sentence: str) -> dict[str, str]:
    """The findings read as present (affirmed or uncertain), with their status."""
    return {
        m.id: m.status for m in find_in_reports([sentence]) if m.status in {"affirmed", "uncertain"}
    }


@pytest.mark.parametrize(
    ("sentence", "finding"),
    [
        ("His left hamstrings have been weak since the operation.", "new_weakness"),
        ("Right foot weak since the morning after surgery, physio continuing.", "new_weakness"),
        ("The calf weakness began after the discectomy and is slowly improving.", "new_weakness"),
        (
            "Both knees weak since the laminectomy and 'getting worse' according to her son.",
            "progressive_weakness",
        ),
        (
            "Tibialis anterior 5/5 at discharge, 4/5 at 3 weeks, 3/5 at 6 weeks and 2/5 today.",
            "progressive_weakness",
        ),
        ("Wife reports he is choking on drinks at every meal.", "dysphagia"),
        ("Nurse notes she cannot manage her saliva this evening.", "dysphagia"),
        ("Barium swallow: contrast residue pooling in the valleculae.", "dysphagia"),
        ('Mother says his neck is "ballooning" on the right.', "neck_swelling"),
        ("Sciatica is back since Tuesday, down the left calf.", "same_distribution_radicular"),
        (
            "A dull pain on the right just below the belt line, never past the buttock.",
            "unilateral_buttock_pain",
        ),
        (
            "CT: expected post-operative change, no collection and no canal compromise.",
            "normal_imaging",
        ),
        ("Sensation: reduced over the right lateral calf.", "dermatomal_numbness"),
        ("Says she hasn't had a wee since lunchtime.", "urinary_retention"),
        ("Lumbar wound inspected: edges warm and red.", "wound_erythema"),
        ("Her neck hurts all the time, day and night.", "constant_pain"),
        ("Numb and aching calf, worse at night.", "night_pain"),
        ("SLR right 40 degrees, hamstrings tight.", "straight_leg_raise_positive"),
        (
            "Right wrist drop for about ten days now and steadily getting worse.",
            "progressive_weakness",
        ),
        ("Paraplegia developed over six hours this afternoon.", "bilateral_limb_symptoms"),
        ("Quadriceps weakness noted on day 2, physio informed.", "new_weakness"),
        ("EHL 4/5 on the left (not at baseline).", "new_weakness"),
        ("New triceps weakness (4/5), not present at the 6-month review.", "new_weakness"),
        ("Both arms have gradually become weaker since June.", "bilateral_limb_symptoms"),
    ],
)
def test_reads_the_family(sentence: str, finding: str) -> None:
    assert finding in _found(sentence)


@pytest.mark.parametrize(
    ("sentence", "finding"),
    [
        # a weakness from before the operation, one it cured, or one put down to pain
        ("Leg weakness resolved after the operation.", "new_weakness"),
        ("The foot drop from before surgery was unchanged after it.", "new_weakness"),
        ("No weakness since the operation.", "new_weakness"),
        # a fall is not the operation
        ("Leg weakness since the fall on Sunday.", "new_weakness"),
        # coughing up phlegm is a chest, not a swallow
        ("Coughing up green phlegm for three days.", "dysphagia"),
        # a swollen wound or a swollen face is not the neck
        ("Lips and tongue swollen after the antibiotic, neck not swollen.", "neck_swelling"),
        # the back, not the leg, being "back"
        ("Back pain is back after gardening.", "same_distribution_radicular"),
        # buttock pain that runs into the leg, both buttocks, or an injection site
        (
            "Pain from the left buttock down the back of the thigh to the calf.",
            "unilateral_buttock_pain",
        ),
        ("Aching in both buttocks, worse on the left.", "unilateral_buttock_pain"),
        (
            "A right-sided ache below the belt at the bone graft harvest site.",
            "unilateral_buttock_pain",
        ),
        # one stumble over an obstacle is a trip, not a gait
        ("Stumbled over the doorstep on Friday, did not fall.", "gait_disturbance"),
        # expected change beside a finding is not a normal study
        ("Expected post-operative change; new disc extrusion at L2-3.", "normal_imaging"),
        # tingling that wakes her at night is a paraesthesia, not night pain
        ("Pins and needles in both hands that wake her, eased by shaking them.", "night_pain"),
        # a complete paraplegia from an old injury is a settled state
        ("L1 complete paraplegia since the car crash in 2015.", "bilateral_limb_symptoms"),
        # a raise to a full angle, or a low angle said to be negative
        ("SLR 85 degrees both legs.", "straight_leg_raise_positive"),
        ("SLR L 50 degrees, negative.", "straight_leg_raise_positive"),
        # a raise stopped without leg pain
        ("SLR 55 deg no leg pain.", "straight_leg_raise_positive"),
        # the pain, not the weakness, getting worse
        ("Left ankle weakness since May, back pain getting worse.", "progressive_weakness"),
        # a complication named as a risk
        ("We discussed his non-union risk as a smoker.", "ct_no_bridging_bone"),
    ],
)
def test_leaves_the_look_alike(sentence: str, finding: str) -> None:
    assert finding not in _found(sentence)


def test_a_risk_factor_is_still_had() -> None:
    found = _found("Diabetes is her main risk factor for infection.")
    assert found.get("diabetes") == "affirmed"
