"""Findings told in phrasing families no blind writer used (vocab16b, issue 16).

Each family was written from how radiologists, pain doctors, nurses and patients say the finding,
before any development-set miss was read: a study called normal in another school's words
("regular post-operative findings", "MRI NAD", an adequate decompression and no residual
stenosis), fluid charted beside the wound, pain that breaks sleep or is worse at rest, a medial
branch block told positive, concordant or followed by radiofrequency, bone lost around a screw,
a fusion that failed told as arthrodesis or graft resorption, matted roots, fibrosis around the
sac, a CRP that fell and climbed. The look-alikes each family could catch stay unread: a lesion
ruled out at one level only, a drain's output, a night named for a medicine or a splint or broken
by the bladder, a baby or pins and needles, pain at night that settles on moving, blocks that gave
too little relief, were only planned or were discordant, calf pain that standing still
relieves, two comparative blocks of which one gave too little. The sentences are written for
these tests, not taken from the corpus.
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
        # normal imaging, in other schools' words
        ("Regular post-operative findings without evidence of complications.", "normal_imaging"),
        ("Conclusion: no pathological findings.", "normal_imaging"),
        ("Lumbar MRI: NAD.", "normal_imaging"),
        ("Impression: Adequate decompression. No residual stenosis.", "normal_imaging"),
        ("Age-appropriate degenerative change only; no neural compression.", "normal_imaging"),
        ("I cannot find a structural cause for his pain on the scan.", "normal_imaging"),
        ("Status post L4-5 laminectomy without evidence of complication.", "normal_imaging"),
        ("The scan looked fine.", "normal_imaging"),
        ("There is no clear surgical target.", "normal_imaging"),
        ("Findings within normal limits for the postoperative spine.", "normal_imaging"),
        ("Expected appearances following decompression.", "normal_imaging"),
        ("No post-operative complication is identified.", "normal_imaging"),
        ("Appearances are in keeping with the expected post-operative state.", "normal_imaging"),
        ("The scan didn't show anything wrong.", "normal_imaging"),
        ("No structural abnormality.", "normal_imaging"),
        ("Conclusion: nil significant.", "normal_imaging"),
        ("No acute osseous abnormality.", "normal_imaging"),
        ("Findings are within normal limits.", "normal_imaging"),
        ("Nothing acute on the CT.", "normal_imaging"),
        ("There is nothing on the scan that needs operating on.", "normal_imaging"),
        ("No interval complication.", "normal_imaging"),
        # wound drainage, charted or told beside the wound
        ("Wound: small amount of straw-coloured fluid on the gauze.", "wound_drainage"),
        ("Exudate: haemoserous, moderate.", "wound_drainage"),
        ("Incision moist with a little seepage at the lower end.", "wound_drainage"),
        ("Fluctuant swelling, clear fluid leaking from the inferior pole.", "wound_drainage"),
        ("Persistent incisional drainage on day 7.", "wound_drainage"),
        ("Mepilex saturated, changed this morning.", "wound_drainage"),
        ("The wound is oozy at the bottom end.", "wound_drainage"),
        ("Suppurating wound.", "wound_drainage"),
        ("Small amount of haemoserous exudate.", "wound_drainage"),
        ("Clear fluid trickling from the incision.", "wound_drainage"),
        ("Discharging cutaneous fistula at the lower end of the incision.", "wound_drainage"),
        # night pain: breaks sleep, worse at rest, day and night
        ("Sleep disturbed by back pain most nights.", "night_pain"),
        ("Poor sleep due to the leg pain.", "night_pain"),
        ("Sleep is poor because of his back.", "night_pain"),
        ("Kept awake by the leg pain.", "night_pain"),
        ("She hasn't slept properly for a week with the pain.", "night_pain"),
        ("Her back pain is much worse at rest.", "night_pain"),
        ("Severe neck pain, unrelieved by lying down.", "night_pain"),
        ("He cannot settle even lying still in bed.", "night_pain"),
        ("The thoracic ache is there day and night.", "night_pain"),
        ("Constant back pain, waking her most nights.", "night_pain"),
        ("Wakes him every night and does not ease when he changes position.", "night_pain"),
        # medial branch blocks told positive in words
        ("Previous medial branch blocks were positive.", "mbb_positive"),
        ("Concordant relief after bilateral L3-5 medial branch blocks.", "mbb_positive"),
        (
            "Good response to diagnostic facet nerve blocks; proceed to radiofrequency.",
            "mbb_positive",
        ),
        ("Two concordant positive blocks, listed for RF denervation.", "mbb_positive"),
        ("Following L4/5 MBB, NRS 8 -> 2.", "mbb_positive"),
        ("Positive response to bilateral L4/5 and L5/S1 MBB.", "mbb_positive"),
        ("Diagnostic blocks confirmed facet-mediated pain.", "mbb_positive"),
        ("MBB: positive.", "mbb_positive"),
        ("Diagnostic blocks (MBB L4-S1) - positive x2.", "mbb_positive"),
        ("SIJ block: positive.", "sij_block_positive"),
        (
            "Complete relief for the duration of the local anaesthetic following medial branch blocks.",
            "mbb_positive",
        ),
        ("Excellent relief from the right sacroiliac joint injection.", "sij_block_positive"),
        (
            "Comparative L SIJ blocks: lignocaine 80% for 2 h, bupivacaine 85% for 7 h.",
            "sij_block_positive",
        ),
        ("Comparative SIJ blocks: right 90% and 85%, left 20% and 10%.", "sij_block_positive"),
        (
            "Comparative L4/5 MBB. Block 1 (lidocaine 2%): 80% relief. Block 2 (bupivacaine 0.5%): 90%.",
            "mbb_positive",
        ),
        # imaging and hardware
        ("Osteolysis around the right L4 screw.", "screw_lucency"),
        ("Bone resorption around the pedicle screws.", "screw_lucency"),
        ("Windscreen-wiper lucency at both S1 screws.", "screw_lucency"),
        ("Failed arthrodesis at L4/5.", "ct_no_bridging_bone"),
        ("Incomplete incorporation of the graft.", "ct_no_bridging_bone"),
        ("The posterolateral graft has largely resorbed.", "ct_no_bridging_bone"),
        ("Matted nerve roots in the lower sac.", "mri_clumped_roots"),
        ("Extensive fibrosis around the thecal sac.", "mri_enhancing_scar"),
        ("Recurrent HNP L5-S1.", "mri_disc_material"),
        (
            "The slip is mobile, 3 mm on extension and 9 mm on flexion.",
            "motion_on_flexion_extension",
        ),
        ("Plate lift-off at C6.", "hardware_displacement"),
        (
            "Flexion-extension films show 4 mm of slip movement at L2-3.",
            "motion_on_flexion_extension",
        ),
        ("The slip changes by 4 mm between flexion and extension.", "motion_on_flexion_extension"),
        ("Perihardware lucency at L5.", "screw_lucency"),
        ("No solid arthrodesis across L4-5.", "ct_no_bridging_bone"),
        ("Fusion mass is discontinuous.", "ct_no_bridging_bone"),
        ("Postoperative haematoma in the laminectomy bed.", "mri_epidural_collection"),
        ("Avid enhancement of the disc space and adjacent endplates at L4-5.", "mri_discitis"),
        ("Granulation tissue encases the traversing root.", "mri_enhancing_scar"),
        ("Appearances favour epidural fibrosis.", "mri_enhancing_scar"),
        ("The tissue in the lateral recess enhances uniformly.", "mri_enhancing_scar"),
        ("Reduced walking tolerance due to leg symptoms.", "neurogenic_claudication"),
        (
            "The buttock pain is on the right, worse getting up from a chair.",
            "unilateral_buttock_pain",
        ),
        ("L buttock and posterior thigh ache, nothing below the knee.", "unilateral_buttock_pain"),
        (
            "FABER, thigh thrust and compression tests reproduce her pain.",
            "sij_provocation_positive",
        ),
        ("Prone press-up provokes central back pain.", "extension_pain"),
        # a figure from before the operation in brackets compares; the finding is today's
        (
            "Walks 15 min now before both legs ache (pre-op 5 min), sits to ease.",
            "neurogenic_claudication",
        ),
        ("Wound dry, but a small area of redness at the lower end.", "wound_erythema"),
        ("CRP fell to 40 on day 3 but climbed to 110 on day 6.", "crp_second_rise"),
        ("Bimodal CRP curve after the fusion.", "crp_second_rise"),
    ],
)
def test_each_family_is_read(sentence: str, finding: str) -> None:
    assert finding in _found(sentence)


@pytest.mark.parametrize(
    ("sentence", "finding"),
    [
        # a lesion ruled out at one level is not a normal study
        (
            "No compressive lesion at L3/4; recurrent disc extrusion at L4/5 compressing the S1 root.",
            "normal_imaging",
        ),
        ("Findings: hardware in satisfactory position.", "normal_imaging"),
        ("No pathological findings at L2/3.", "normal_imaging"),
        ("Hip XR NAD.", "normal_imaging"),
        ("CXR nil acute.", "normal_imaging"),
        ("Neurological findings within normal limits.", "normal_imaging"),
        ("No structural abnormality at L2/3; severe stenosis at L4/5.", "normal_imaging"),
        ("No pathological findings except mild L4/5 stenosis.", "normal_imaging"),
        ("No fibrosis around the thecal sac.", "mri_enhancing_scar"),
        ("Flexion-extension: 1 mm of movement at L4/5.", "motion_on_flexion_extension"),
        ("R buttock and posterior thigh pain radiating to the foot.", "unilateral_buttock_pain"),
        ("Wound appearances satisfactory.", "normal_imaging"),
        ("MRI looks fine apart from a new disc bulge at L3/4.", "normal_imaging"),
        # fluid that is not the wound's
        ("Drain output 200 ml overnight.", "wound_drainage"),
        ("Wound clean and dry; IV fluids stopped.", "wound_drainage"),
        ("Pus aspirate from the prevertebral collection sent to microbiology.", "wound_drainage"),
        ("Soft fluid bulge under the wound, getting bigger.", "wound_drainage"),
        ("Bulging, fluctuant wound, ?fluid underneath.", "wound_drainage"),
        # nights that are not the pain's, and night pain that moving settles
        ("Takes amitriptyline at night for the pain.", "night_pain"),
        ("Tingling in the hands wakes her at night.", "night_pain"),
        ("Pain at night wakes him, settles when he changes position.", "night_pain"),
        ("Night pain that eases once she gets up and moves about.", "night_pain"),
        ("Back pain after a week of night shifts.", "night_pain"),
        ("Back pain 3/10, doesn't wake him.", "night_pain"),
        ("Wakes twice at night to pass urine.", "night_pain"),
        ("The baby wakes her at night.", "night_pain"),
        ("Wakes at night with pins and needles in both hands.", "night_pain"),
        ("Woken at night by cramp in the calves.", "night_pain"),
        ("Pain controlled at night with co-codamol.", "night_pain"),
        ("Ask about night pain at next review.", "night_pain"),
        ("Night pain denied; sleeps well.", "night_pain"),
        ("Rest pain 1/10, activity pain 6/10.", "night_pain"),
        ("Sleep is not disturbed by pain.", "night_pain"),
        ("Rest pain in the left foot with absent pedal pulses; vascular referral.", "night_pain"),
        ("Pain overnight controlled with PCA.", "night_pain"),
        ("Pain team review overnight: epidural running.", "night_pain"),
        ("On the first night after surgery she had leg pain.", "night_pain"),
        ("Pain at night is no worse than during the day.", "night_pain"),
        ("New burning pain down the left leg since waking from surgery.", "night_pain"),
        # blocks that were not positive, or not medial branch blocks
        ("Medial branch blocks gave no relief.", "mbb_positive"),
        ("Medial branch blocks: negative.", "mbb_positive"),
        ("Plan: diagnostic medial branch blocks.", "mbb_positive"),
        ("Transforaminal epidural at L5 gave good relief.", "mbb_positive"),
        ("SIJ injection gave 80% relief.", "mbb_positive"),
        # comparative blocks are positive only when both are
        ("Diagnostic L4-5 MBB x2: 55% and 30% relief.", "mbb_positive"),
        ("L4/5 MBB: VAS 7 to 6.", "mbb_positive"),
        (
            "Lumbar MBB: 90% relief after the first block, 30% after the confirmatory one.",
            "mbb_positive",
        ),
        ("Medial branch blocks planned; if >80% relief, proceed to RF.", "mbb_positive"),
        ("Medial branch block gave 60% relief, discordant with the anaesthetic.", "mbb_positive"),
        ("SIJ block 80% relief, discordant.", "sij_block_positive"),
        (
            "L SIJ comparative blocks: lidocaine 80% for 1 h, bupivacaine 50% for 3 h.",
            "sij_block_positive",
        ),
        ("Comparative SIJ blocks: right 80% and 85%, left 20% and 10%.", "mbb_positive"),
        # vascular claudication
        (
            "Calf pain on walking relieved by standing still, absent foot pulses.",
            "neurogenic_claudication",
        ),
    ],
)
def test_look_alikes_stay_unread(sentence: str, finding: str) -> None:
    assert finding not in _found(sentence)


@pytest.mark.parametrize(
    ("sentence", "finding"),
    [
        # scar weighed against disc is a differential: each is possible
        ("Intermediate tissue at L4/5: scar versus recurrent disc.", "mri_enhancing_scar"),
        ("Intermediate tissue at L4/5: scar versus recurrent disc.", "mri_disc_material"),
        ("Recurrent disc vs scar at L4/5.", "mri_disc_material"),
    ],
)
def test_a_differential_is_uncertain(sentence: str, finding: str) -> None:
    assert _found(sentence).get(finding) == "uncertain"


def test_a_symptom_denied_at_the_end_of_its_clause_is_negated() -> None:
    assert "saddle_anesthesia" not in _found("Saddle anaesthesia denied.")
    assert "saddle_anesthesia" in _found("He denied any trauma but has saddle numbness.")
