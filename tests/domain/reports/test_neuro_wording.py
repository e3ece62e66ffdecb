"""Neurological findings told in other words: worsening across time, a lost function, a failed
walking test, a hand task done by someone else, numbness placed by a part of a limb.

The sentences are written for these tests (not taken from the blind corpus); each says what the
general wording is, and the sentences that must stay unread say why.
"""

import pytest

from spinetrack.domain.reports import find_in_reports


def _found(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for mention in find_in_reports([text]):
        if found.get(mention.id) != "affirmed":
            found[mention.id] = mention.status
    return found


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a deficit set between an earlier and a later time
        (
            "On Tuesday she was tripping over her left foot, now it slaps on every step.",
            "progressive_weakness",
        ),
        (
            "Last night he could still lift his toes, this evening he cannot.",
            "progressive_weakness",
        ),
        (
            "Yesterday the right leg felt weak, today it gives way on the stairs.",
            "progressive_weakness",
        ),
        # "can no longer" tells a lost function; it does not negate what follows it
        (
            "She can no longer climb the kerb and the left foot is catching more each day.",
            "progressive_weakness",
        ),
        ("He is no longer able to walk on his heels.", "new_weakness"),
        # a walk told by the test it fails
        ("On examination he could not walk heel-to-toe.", "gait_disturbance"),
        ("Romberg negative but cannot tandem walk.", "gait_disturbance"),
        ("Walks unsteadily to the bathroom.", "gait_disturbance"),
        # a hand told by the task it can no longer do, or that someone else now does
        ("Unable to open a jar or turn the kitchen tap.", "hand_clumsiness"),
        ("Her husband now does her shirt buttons for her.", "hand_clumsiness"),
        ("Cannot hold a fork properly since the operation.", "hand_clumsiness"),
        # numbness placed by a part of a limb, or named in another language
        ("Numb over the front of the right thigh since the operation.", "dermatomal_numbness"),
        ("The outer edge of the left foot is numb.", "dermatomal_numbness"),
        ("Engourdissement L5 gauche depuis hier.", "dermatomal_numbness"),
        # brisk reflexes said to remain, and dictated misspellings of the cord signs
        ("Reflexes remain brisk in all four limbs.", "hyperreflexia"),
        ("there are four beats of clones at the left ankle", "hyperreflexia"),
        ("hoff man sign is positive on the right", "hyperreflexia"),
        # unsteadiness said to worsen; a relative who tells is the source, not the one affected
        (
            "Over three months, worsening difficulty with buttons and unsteadiness.",
            "gait_disturbance",
        ),
        ("Her husband says she walks like she has had a drink.", "gait_disturbance"),
        # a weakness placed in a limb, the weakness first
        ("Possibly some weakness in the left foot, she is not sure.", "new_weakness"),
        # both limbs in a translated French note
        (
            "Claudication neurogène: douleur aux deux jambes après 100 mètres.",
            "bilateral_limb_symptoms",
        ),
        # both limbs named by the symptom's own word
        ("Bilateral claudication at 50 metres.", "bilateral_limb_symptoms"),
    ],
)
def test_the_finding_is_read_from_general_wording(text: str, finding: str) -> None:
    assert _found(text).get(finding) in {"affirmed", "uncertain"}, _found(text)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a deficit that is getting better between the two times is not progressive
        ("Yesterday the foot was weak, today it is much better.", "progressive_weakness"),
        ("Yesterday weak, today power normal.", "progressive_weakness"),
        # weakness put down to pain
        ("Yesterday the leg gave way because of pain, today the same.", "progressive_weakness"),
        # "no longer" with a finding after it stays a negation
        ("He no longer has numbness on the outer foot.", "dermatomal_numbness"),
        # a failed walking test in the past, and a normal tandem walk
        ("Tandem gait normal.", "gait_disturbance"),
        # unsteadiness from vertigo is not a gait disturbance; a relative's own unsteady walk is family
        ("Worsening unsteadiness from her vertigo.", "gait_disturbance"),
        ("His mother walks unsteadily.", "gait_disturbance"),
        # weakness in a limb from before surgery, or put down to pain
        ("Weakness in the right leg since before surgery.", "new_weakness"),
        ("Some weakness in the left leg because of pain.", "new_weakness"),
        # numbness put down to a peripheral nerve
        ("The numbness is on the outer thigh, typical of meralgia.", "dermatomal_numbness"),
        # numbness in both feet is not one root's skin
        ("Numbness over the top of both feet like a stocking.", "dermatomal_numbness"),
    ],
)
def test_lookalike_wording_is_not_read_as_the_finding(text: str, finding: str) -> None:
    assert finding not in _found(text), _found(text)
