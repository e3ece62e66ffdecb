"""Findings told in the word families later writers use, outside neurology and levels.

Each family is one reason the blind writers' wording was missed (a break named before its implant,
a fusion called incomplete, a sacroiliac test written as a result, the distance walked "before"
the legs ache, an OCR scan's "rn" for "m"); each is read once, by a word group or a rule, and the
look-alikes each family could catch by mistake stay unread. The sentences are written for these
tests, not taken from the corpus.
"""

import pytest

from spinetrack.domain.reports import find_in_reports
from spinetrack.domain.reports.spelling import correct, correction


def _found(sentence: str) -> dict[str, str]:
    """The findings read as present (affirmed or uncertain), with their status."""
    return {
        m.id: m.status for m in find_in_reports([sentence]) if m.status in {"affirmed", "uncertain"}
    }


@pytest.mark.parametrize(
    ("sentence", "finding"),
    [
        # pain patterns
        ("Shoulder-blade stiffness after ironing, settles when she rests.", "mechanical_pain"),
        ("Back pain is worse when I move and better lying - not constant.", "mechanical_pain"),
        (
            "Can manage 15 minutes walking before her calves ache and she has to sit.",
            "neurogenic_claudication",
        ),
        ("Walks 300 m until both thighs go numb and heavy.", "neurogenic_claudication"),
        ("Complains of electric-shock like pain into the left hand.", "burning_pain"),
        ("His soles burn in bed at night.", "burning_pain"),
        (
            "Gaenslen and thigh thrust both positive on the left, FABER positive too.",
            "sij_provocation_positive",
        ),
        ("Sacral thrust [+], distraction [+], compression [+].", "sij_provocation_positive"),
        ("Bending forward is easy; extension aggravates.", "extension_pain"),
        ("Sore deep in my right bum cheek when I sit.", "unilateral_buttock_pain"),
        # wounds and systemic findings
        ("Sutures out; skin around the lower end pink and warm.", "wound_erythema"),
        ("Wears a T-shirt to bed and wakes up drenched in sweat most nights.", "night_sweats"),
        ("Changes her nightie twice a night, wet with sweat.", "night_sweats"),
        ("Had a clear cell ca of the kidney removed in 2015.", "history_of_cancer"),
        ("Bone scan: sclerotic deposits throughout the pelvis.", "history_of_cancer"),
        ("Slipped off the step yesterday.", "falls"),
        ("Medicolegal instruction received from the insurer.", "compensation_claim"),
        ("PMH: k/c/o DM, HTN, IHD.", "diabetes"),
        # imaging
        ("Post-laminectomy meningocele in the wound bed, 3 cm.", "pseudomeningocele"),
        ("Hairline fracture through the left S1 screw.", "hardware_breakage"),
        ("Posterolateral fusion incomplete at L5-S1.", "ct_no_bridging_bone"),
        ("The interbody cage has shifted 4 mm anteriorly.", "hardware_displacement"),
        ("Avidly enhancing soft tissue encases the exiting right S1 root.", "mri_enhancing_scar"),
        # airway
        ("Sats 95 %, speaking in short sentences.", "breathing_difficulty"),
        ("Tablets still stick in her throat.", "dysphagia"),
    ],
)
def test_a_finding_said_in_a_later_writers_words_is_read(sentence: str, finding: str) -> None:
    assert finding in _found(sentence)


@pytest.mark.parametrize(
    ("sentence", "finding"),
    [
        # a fracture of bone beside the implant, a checklist column, a fear
        ("Pedicle fracture at L4 around the screw.", "hardware_breakage"),
        ("Proximal junctional fracture of T9 with the T10 screws pulled out.", "hardware_breakage"),
        ("X-ray: no fracture, screws okay.", "hardware_breakage"),
        ('He fears "the screws will break" if he bends.', "hardware_breakage"),
        ("Level | Implant fracture | Screw halo", "hardware_breakage"),
        # a relative's diabetes
        ("Family history: mother - DM.", "diabetes"),
        # buttock pain that runs on down the leg is radicular
        ("Pain in my left butt cheek shooting down to the calf.", "unilateral_buttock_pain"),
        # full sentences are the opposite of breathlessness
        ("Talking in full sentences, sats 98 % on air.", "breathing_difficulty"),
        # a rash where the dressing was is the skin's, not the wound's
        ("Itchy red rash in the shape of the dressing, wound itself clean.", "wound_erythema"),
        # a fusion still maturing, or called solid
        ("Fusion mass incompletely consolidated, likely still maturing.", "ct_no_bridging_bone"),
        # a stimulator lead is not the spinal implant
        (
            "The cephalad lead has migrated two levels since the implant film.",
            "hardware_displacement",
        ),
        # one or two positive sacroiliac tests of five
        ("Only 1/5 SIJ provocation tests positive (thigh thrust).", "sij_provocation_positive"),
        # sweats at night are not night pain; a walk that is fine is no claudication
        ("Back pain for a month, sweats at night.", "night_pain"),
        ("Feels a bit sweaty at night in the heatwave.", "night_sweats"),
        ("Before surgery, walking 50 m brought on leg pain.", "neurogenic_claudication"),
        # a working diagnosis is not pain with work
        ("I disagree with the working diagnosis of facet pain.", "mechanical_pain"),
        # swallowing normally otherwise does not undo the catch, but a plain normal swallow is none
        ("Swallowing normally, eating and drinking.", "dysphagia"),
    ],
)
def test_a_look_alike_of_the_family_is_not_read(sentence: str, finding: str) -> None:
    assert finding not in _found(sentence)


def test_otherwise_normal_eating_does_not_undo_a_catch_on_swallowing() -> None:
    assert "dysphagia" in _found(
        "A little catch swallowing big tablets, otherwise eating normally."
    )


def test_night_sweats_in_the_same_clause_leave_night_pain_readable() -> None:
    found = _found("Lost 8 kg, night sweats, pain in the lower back at night.")
    assert {"night_sweats", "night_pain"} <= set(found)


@pytest.mark.parametrize(
    ("written", "meant"),
    [("srnoker", "smoker"), ("cornpensation", "compensation"), ("ternp", "temp"), ("rng", "mg")],
)
def test_an_ocr_rn_for_m_is_read_as_the_word_meant(written: str, meant: str) -> None:
    assert correction(written) == meant


@pytest.mark.parametrize("word", ["modern", "return", "stern", "burning", "byrne"])
def test_real_words_and_names_with_rn_are_left_alone(word: str) -> None:
    assert correction(word) is None


def test_an_ocr_l_for_the_digit_one_is_read_as_one_but_a_level_stays() -> None:
    assert correct("Smoker l0/day, temp 37.l, pain at l5-s1.").text == (
        "Smoker 10/day, temp 37.1, pain at l5-s1."
    )


def test_an_ocr_finding_quotes_the_whole_word_as_written() -> None:
    report = "[OCR] PMH: Srnoker l0/day."
    mention = next(m for m in find_in_reports([report]) if m.id == "smoker")
    assert report[mention.start : mention.end] == "Srnoker"
