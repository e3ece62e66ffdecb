"""Scope of negation, history, resolution and conditions (issue 16, leaks16b), in our own sentences.

Each case is one report: the findings in ``found`` must be read from it, those in ``left_out``
must not (told as over, as dating from before the operation unchanged, as the injury behind the
claim or the operation, as a condition, or as a question answered no). Rules:
knowledge/reports/resolution_cues.yaml (cues, pronoun_openers, predating) and
knowledge/reports/context_modifiers.yaml (the leaks16b block).
"""

import pytest

from spinetrack.domain.reports import find_in_reports

CASES: list[tuple[str, set[str], set[str]]] = [
    # a complaint over by "now", after a comma, "but" or "and"
    ("Swallowing was sticky for the first fortnight, fine now.", set(), {"dysphagia"}),
    (
        "Q. Wound red after you got home?  A. Yes for a few days; none now.",
        set(),
        {"wound_erythema"},
    ),
    (
        "He ran a temperature of 38.6 in the first week with a UTI, all better now.",
        set(),
        {"fever"},
    ),
    ("Numb left foot, right foot fine now.", {"dermatomal_numbness"}, set()),
    # a pronoun and a past verb that end it
    (
        "There was some ooze from the wound on day 4 but that stopped within a day.",
        set(),
        {"wound_drainage"},
    ),
    (
        "Her low mood after the fusion has lifted and she is back at work.",
        set(),
        {"psychological_distress"},
    ),
    ("The pinkness along the scar faded without antibiotics.", {"wound_erythema"}, set()),
    (
        "Both calves ache after 200 m of walking and ease when he sits down. It went away for a year after the decompression.",
        {"neurogenic_claudication"},
        set(),
    ),
    ("The plate has lifted off the vertebral body.", {"hardware_displacement"}, set()),
    # back to normal or baseline, or settled by a treatment told in the next sentence
    (
        "Lost 4 kg while an inpatient with poor appetite but back to baseline now.",
        set(),
        {"unexplained_weight_loss"},
    ),
    (
        "Pyrexia 38.9 and WCC 14.2 on admission with pneumonia. Settled with IV antibiotics.",
        set(),
        {"fever", "wbc_elevated"},
    ),
    (
        "Treated for depression with an SSRI a decade ago, well since.",
        set(),
        {"psychological_distress"},
    ),
    # a bladder or bowel complaint told now and dated to before the operation, unchanged
    (
        "One episode of incontinence in clinic. Known prostate trouble with urgency for years, no change.",
        set(),
        {"bladder_dysfunction"},
    ),
    (
        "Nocturia three times a night for a decade, unchanged since the decompression.",
        set(),
        {"bladder_dysfunction"},
    ),
    (
        "New urgency since the fusion. Knee pain for years, no change.",
        {"bladder_dysfunction"},
        set(),
    ),
    (
        "Q: Any leaking of urine? A: Yes, a little when I laugh, since my first baby twenty years ago, no change.",
        set(),
        {"bladder_dysfunction"},
    ),
    # a condition with two signs joined by "or she has"
    (
        "Told to ring 999 at once if his neck swells or he has difficulty breathing.",
        set(),
        {"neck_swelling", "breathing_difficulty"},
    ),
    # questions answered no, or with one side
    ('Night pain? "No, I sleep right through."', set(), {"night_pain"}),
    (
        "Q: Tingling in both legs? A: Only the right, as before the operation.",
        set(),
        {"bilateral_limb_symptoms"},
    ),
    ("Q: Tingling in both legs? A: Yes, both feet.", {"bilateral_limb_symptoms"}, set()),
    # the accident behind the claim or the operation
    (
        "Workers' compensation claim (fell through a roof at work). Fusion L1-L3 five months ago.",
        set(),
        {"falls", "significant_trauma"},
    ),
    (
        "T12 fracture fixation a year ago (fell off a motorbike at speed).",
        set(),
        {"significant_trauma"},
    ),
    (
        "Lumbar fusion 6 months ago following a fall from a horse. Now back pain on bending.",
        set(),
        {"falls", "significant_trauma"},
    ),
    (
        "Three weeks after the fusion she had a fall in the garden, new back pain.",
        {"falls", "significant_trauma"},
        set(),
    ),
    # weight lost on purpose, told apart from the loss's own words
    (
        "Weight down 8 kg - she joined a slimming club in spring.",
        set(),
        {"unexplained_weight_loss"},
    ),
    (
        "Weight loss of 9 kg since January, deliberate, for a charity run.",
        set(),
        {"unexplained_weight_loss"},
    ),
    ("Lost 7 kg over two months without trying.", {"unexplained_weight_loss"}, set()),
    # a screw breach where it was put, and a screw that moved
    (
        "Post-op CT: left S1 screw breaches the medial pedicle wall by 2 mm (as placed).",
        set(),
        {"hardware_displacement"},
    ),
    ("The L4 screw has backed out 3 mm since surgery.", {"hardware_displacement"}, set()),
    # the artery's claudication, and cramp at night
    (
        "Impression: this is vascular claudication, ABPI to follow.",
        set(),
        {"neurogenic_claudication"},
    ),
    ("She is woken at night by calf cramp that goes when she stretches.", set(), {"night_pain"}),
    # a complaint the examination does not bear out, and one it does
    (
        "He says his legs have gone weak. On examination: hip flexion and knee extension 5/5.",
        set(),
        {"new_weakness"},
    ),
    (
        "Says her hands are clumsier. On testing dexterity is normal and the peg test normal.",
        set(),
        {"hand_clumsiness"},
    ),
    (
        "Right leg weaker since the fusion. On examination: ankle dorsiflexion 3/5, rest 5/5.",
        {"new_weakness"},
        set(),
    ),
    # what the operation cured, helped or was done for some time ago
    (
        "Her decompression last year cured the leg pain on walking; now only back ache.",
        set(),
        {"neurogenic_claudication"},
    ),
    (
        "Spacer at L3/4 two years ago for claudication - now walks five miles.",
        set(),
        {"neurogenic_claudication"},
    ),
    # a chronology's entries dated before the index operation, and after it
    (
        "RECORD REVIEW\n"
        "04.02.2022 GP: sciatica down the right leg, SLR R 35 deg.\n"
        "11.04.2022 MRI: L4/5 extrusion on the right L5 root.\n"
        "20.06.2022 Operation: right L4/5 microdiscectomy.\n"
        "15.03.2023 Clinic: left leg pain, SLR L 40 deg.",
        {"straight_leg_raise_positive"},
        {"mri_disc_material"},
    ),
    # a form field answered after a dotted leader
    ("CT FUSION REVIEW\nScrew halo > 1 mm .......... none", set(), {"screw_lucency"}),
    (
        "CT FUSION REVIEW\nScrew halo > 1 mm .......... present at L5, 2 mm",
        {"screw_lucency"},
        set(),
    ),
    # a sign not examined states nothing; the sign before the comma stands
    ("Bladder scan 600 ml. Saddle numbness not yet assessed.", set(), {"saddle_anesthesia"}),
    ("Hoffmann positive on the left, clonus not tested.", {"hyperreflexia"}, set()),
]


@pytest.mark.parametrize(
    ("text", "found", "left_out"), CASES, ids=[f"s{i}" for i in range(len(CASES))]
)
def test_scope_reads_what_is_current_and_leaves_out_the_rest(
    text: str, found: set[str], left_out: set[str]
) -> None:
    read = {m.id for m in find_in_reports([text])}
    assert found <= read
    assert not (left_out & read)


def test_a_chronology_dates_the_findings_before_its_operation_as_history() -> None:
    from spinetrack.domain.reports.findings import read_mentions

    text = (
        "TIMELINE\n"
        "2021-03: GP, SLR L 30 deg.\n"
        "2021-09: L5/S1 fusion.\n"
        "2022-01: clinic, SLR L 45 deg."
    )
    statuses = [m.status for m in read_mentions([text]) if m.id == "straight_leg_raise_positive"]
    assert statuses == ["historical", "affirmed"]
